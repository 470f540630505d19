"""Exports (issue 5): every format for several dates, read back and checked."""

from __future__ import annotations

import io
import json
import shutil

import export_fixtures as fx
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from frontline_cli import output_paths as op
from geo.measurement import geodesic_area_km2
from layers import Timeline, default_paths, load_layer_dir, parse_layer_bytes, read_base
from views import export_data, export_images
from views import exporters as ex
from views.render_frame import map_frame, project_xy
from views.render_furniture import layer_areas
from views.static_render import MapRenderer, render_png
from views.styles import BASE_STYLE, style_for

DATES = ["2024-08-10", fx.HELD_DAY, "2025-03-05", fx.NOT_HELD_DAY]


@pytest.fixture(scope="module")
def tl():
    return fx.timeline()


@pytest.fixture(scope="module")
def base():
    return read_base(default_paths().base)


@pytest.fixture(scope="module")
def claims(tmp_path_factory):
    from layers import read_claims

    path = tmp_path_factory.mktemp("claims") / "claims.csv"
    path.write_text(fx.CLAIMS_CSV, encoding="utf-8")
    return read_claims(path)


def _real_timeline():
    result = load_layer_dir(default_paths().layers)
    if not len(result.frame) or result.problems:
        return None
    return Timeline(result.frame)


# --------------------------------------------------------------------------- PNG / SVG / PDF


def _hex_rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    return np.array([int(colour[i:i + 2], 16) for i in (0, 2, 4)], dtype=float)


def _held_rgb() -> np.ndarray:
    """The held fill blended over Russian land, as the renderer draws it."""
    style = style_for("ukrainian_held", "held")
    alpha = style["fill_opacity"]
    return alpha * _hex_rgb(style["fill"]) + (1 - alpha) * _hex_rgb(BASE_STYLE["RUS"]["fill"])


def _colour_near(png: bytes, frame, lonlat, rgb, radius=14, tol=10) -> bool:
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)
    col, row = frame.to_pixel(*lonlat)
    c, r = int(round(col)), int(round(row))
    patch = img[r - radius:r + radius + 1, c - radius:c + radius + 1]
    return bool((np.abs(patch - rgb).max(axis=2) <= tol).any())


@pytest.mark.parametrize("size", [(1600, 1000, 150), (800, 600, 72), (700, 1000, 200)])
def test_png_has_requested_pixel_size(tl, base, size):
    w, h, dpi = size
    png = render_png(tl, base, fx.HELD_DAY, width_px=w, height_px=h, dpi=dpi)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG"
    assert img.size == (w, h)
    assert img.info.get("dpi", (dpi,))[0] == pytest.approx(dpi, abs=1)


VIEW = (34.4, 50.85, 35.9, 51.6)  # one extent for renders of different dates


def test_held_colour_at_sudzha_only_when_held(tl, base):
    frame = map_frame(tl, width_px=1200, height_px=800, bbox=VIEW)
    held = render_png(tl, base, fx.HELD_DAY, width_px=1200, height_px=800, dpi=100, bbox=VIEW)
    not_held = render_png(tl, base, fx.NOT_HELD_DAY, width_px=1200, height_px=800, dpi=100,
                          bbox=VIEW)
    assert _colour_near(held, frame, fx.SUDZHA, _held_rgb())
    assert not _colour_near(not_held, frame, fx.SUDZHA, _held_rgb())


def test_colour_check_can_fail(tl, base):
    """The probe is not trivially true: the held colour is absent far from any layer."""
    frame = map_frame(tl, width_px=1200, height_px=800, bbox=VIEW)
    held = render_png(tl, base, fx.HELD_DAY, width_px=1200, height_px=800, dpi=100, bbox=VIEW)
    assert not _colour_near(held, frame, (34.5, 51.55), _held_rgb())


def test_renderer_exposes_the_transform_it_drew_with(tl, base):
    renderer = MapRenderer(tl, base, width_px=1000, height_px=700, dpi=100, on=fx.HELD_DAY)
    assert renderer.frame == map_frame(tl, width_px=1000, height_px=700, on=fx.HELD_DAY)
    assert renderer.frame.source == "drawn"
    bbox = renderer.ax.get_window_extent()
    left, top, right, bottom = renderer.frame.axes_px
    assert (bbox.x0, 700 - bbox.y1, bbox.x1, 700 - bbox.y0) == pytest.approx(
        (left, top, right, bottom), abs=0.6)
    # A data point lands on the same pixel through matplotlib's own transform.
    x, y = project_xy(fx.SUDZHA[0], fx.SUDZHA[1])
    px, py = renderer.ax.transData.transform((float(x), float(y)))
    assert renderer.frame.to_pixel(*fx.SUDZHA) == pytest.approx((px, 700 - py), abs=0.6)


def test_same_input_gives_same_png(tl, base):
    a = render_png(tl, base, "2025-03-05", width_px=600, height_px=400, dpi=80)
    b = render_png(tl, base, "2025-03-05", width_px=600, height_px=400, dpi=80)
    assert a == b


@pytest.mark.parametrize("fmt,magic", [("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_svg_and_pdf(tl, base, fmt, magic):
    out = ex.export_image(tl, base, "2025-03-05", fmt=fmt, width_px=800, height_px=500, dpi=100)
    assert out.data.startswith(magic)
    assert out.name == f"frontline_2025-03-05.{fmt}"
    again = ex.export_image(tl, base, "2025-03-05", fmt=fmt, width_px=800, height_px=500,
                            dpi=100)
    assert again.data == out.data  # no timestamps: reproducible


def test_hostile_strings_are_literal_text(tl, base):
    """Mathtext and HTML in the sources are drawn as they are (no mathtext parse error)."""
    renderer = MapRenderer(tl, base, width_px=900, height_px=600, dpi=100)
    renderer.draw("2024-09-01")
    import re

    import matplotlib.text

    artists = renderer.fig.findobj(matplotlib.text.Text)
    drawn = re.sub(r"\s+", " ", " ".join(t.get_text() for t in artists))
    assert fx.HOSTILE in drawn
    assert all(not t.get_parse_math() for t in artists if "frac" in t.get_text())
    svg = renderer.to_bytes("svg")
    assert b"<script" not in svg  # text is drawn as paths, never as markup


def test_legend_areas_match_geodesic_areas(tl):
    rows = {(la, st): a for la, st, a in layer_areas(tl, "2025-03-05")}
    geom = tl.geometry("ukrainian_held", "2025-03-05", "held")
    assert rows[("ukrainian_held", "held")] == pytest.approx(geodesic_area_km2(geom))
    assert rows[("sumy_security_zone", "held")] == 0.0


@pytest.mark.parametrize("kwargs,match", [
    ({"width_px": 100, "height_px": 100, "dpi": 100}, "too small"),
    ({"width_px": 800, "height_px": 600, "dpi": 5}, "dpi"),
    ({"width_px": 20000, "height_px": 20000, "dpi": 100}, "too large"),
])
def test_bad_image_size_is_refused(tl, base, kwargs, match):
    with pytest.raises(ValueError, match=match):
        render_png(tl, base, fx.HELD_DAY, **kwargs)


def test_unknown_image_format_is_refused(tl, base):
    with pytest.raises(ValueError, match="is not one of png, svg, pdf"):
        render_png(tl, base, fx.HELD_DAY, width_px=600, height_px=400, fmt="bmp")
    with pytest.raises(ValueError, match="is not one of png, svg, pdf"):
        ex.export_image(tl, base, fx.HELD_DAY, fmt="tiff")


# --------------------------------------------------------------------------- GeoJSON / GPKG


def _str_or_none(value):
    return value if isinstance(value, str) else None


def _expected(tl, day):
    frame = ex.state_frame(tl, day)
    return {row.id: row for row in frame.itertuples()}


@pytest.mark.parametrize("day", DATES)
def test_geojson_round_trip(tl, day):
    out = ex.export_geojson(tl, day)
    doc = json.loads(out.data)
    assert doc["date"] == day and "OpenStreetMap" in doc["attribution"]
    back = gpd.read_file(io.BytesIO(out.data), engine="pyogrio", datetime_as_string=True)
    want = _expected(tl, day)
    assert sorted(back["id"]) == sorted(want)
    for row in back.itertuples():
        exp = want[row.id]
        for col in ("layer", "status", "valid_from", "confidence", "notes", "name"):
            assert getattr(row, col) == getattr(exp, col), col
        assert _str_or_none(row.valid_to) == exp.valid_to  # NULL reads back as NaN
        sources = row.sources if isinstance(row.sources, list) else json.loads(row.sources)
        assert sources == exp.sources
        assert geodesic_area_km2(row.geometry) == pytest.approx(exp.area_km2, rel=1e-12)
        assert row.geometry.equals_exact(exp.geometry, 0)
    # The file is a valid layer file again, carrying the same features.
    again = parse_layer_bytes(out.data, out.name)
    assert sorted(again["id"]) == sorted(want)


def test_geojson_keeps_hostile_strings_verbatim(tl):
    doc = json.loads(ex.export_geojson(tl, fx.HELD_DAY).data)
    notes = {f["properties"]["id"]: f["properties"]["notes"] for f in doc["features"]}
    assert notes["uh-2"] == fx.HOSTILE


@pytest.mark.parametrize("day", DATES)
def test_gpkg_round_trip(tl, day, tmp_path):
    out = ex.export_gpkg(tl, day)
    path = tmp_path / out.name
    path.write_bytes(out.data)
    want = _expected(tl, day)
    tables = gpd.list_layers(path)
    assert "attribution" in set(tables["name"])
    spatial = [t for t in tables["name"] if t != "attribution"]
    assert sorted(spatial) == sorted({exp.layer for exp in want.values()})
    seen = set()
    for table in spatial:
        back = gpd.read_file(path, layer=table, engine="pyogrio")
        assert set(back["layer"]) == {table}
        assert list(back.columns) == [*ex.FEATURE_COLUMNS, "geometry"]
        for row in back.itertuples():
            exp = want[row.id]
            seen.add(row.id)
            for col in ("status", "valid_from", "confidence", "notes", "name", "kind"):
                assert getattr(row, col) == getattr(exp, col), col
            assert _str_or_none(row.valid_to) == exp.valid_to
            assert json.loads(row.sources) == exp.sources
            assert row.geometry.geom_type == exp.geometry.geom_type
            assert geodesic_area_km2(row.geometry) == pytest.approx(exp.area_km2, rel=1e-12)
            assert row.area_km2 == pytest.approx(exp.area_km2, rel=1e-12)
    assert seen == set(want)


def test_gpkg_is_reproducible(tl):
    assert ex.export_gpkg(tl, "2025-03-05").data == ex.export_gpkg(tl, "2025-03-05").data


def test_gpkg_with_nothing_in_force(tl, tmp_path):
    out = ex.export_gpkg(tl, "2025-08-30", layers=["ukrainian_held"])
    path = tmp_path / out.name
    path.write_bytes(out.data)
    assert list(gpd.list_layers(path)["name"]) == ["empty", "attribution"]


def test_layers_filter(tl):
    doc = json.loads(ex.export_geojson(tl, "2025-03-05", layers=["contested"]).data)
    assert {f["properties"]["layer"] for f in doc["features"]} == {"contested"}


# --------------------------------------------------------------------------- CSV


def test_area_table_csv(tl, claims):
    from geo.area_table import area_table

    out = ex.export_csv_area_table(tl, claims)
    assert out.mime == "text/csv" and out.name.endswith(".csv")
    back = pd.read_csv(io.BytesIO(out.data))
    table = area_table(tl, claims)
    assert len(back) == len(table)
    assert list(back["date"]) == [d.isoformat() for d in table["date"]]
    assert back["area_km2"].to_numpy() == pytest.approx(table["area_km2"].to_numpy(), abs=5e-4)


def test_claims_csv(tl, claims, base):
    from geo.claims_check import CHECK_COLUMNS
    from geo.quantities import MapView

    out = ex.export_csv_claims(MapView(tl, base.border.union_all()), claims)
    back = pd.read_csv(io.BytesIO(out.data))
    assert list(back.columns) == [*CHECK_COLUMNS, "cited_as", "attribution"]
    assert list(back["claim_id"]) == ["c1", "c2", "c3"]


def test_csv_neutralises_spreadsheet_formulas():
    data = export_data._csv_bytes(pd.DataFrame({"a": ["=HYPERLINK(1)", "ok", "-x"],
                                                "n": [-1, 2, 3]}))
    back = pd.read_csv(io.BytesIO(data))
    assert list(back["a"]) == ["'=HYPERLINK(1)", "ok", "'-x"]
    assert list(back["n"]) == [-1, 2, 3]  # numbers untouched


# --------------------------------------------------------------------------- animation


def test_gif_has_one_frame_per_state_in_date_order(tl, base):
    calls = []
    out = ex.export_animation(tl, base, width_px=600, height_px=400, dpi=72,
                              progress=lambda done, total: calls.append((done, total)))
    dates = ex.animation_dates(tl)
    assert out.meta["frames"] == [d.isoformat() for d in dates]
    assert out.meta["frames"] == sorted(out.meta["frames"])
    img = Image.open(io.BytesIO(out.data))
    assert img.format == "GIF" and img.size == (600, 400)
    assert img.n_frames == len(dates)
    assert json.loads(img.info["comment"])["frames"] == out.meta["frames"]
    assert calls == [(k, len(dates)) for k in range(len(dates) + 1)]
    # The areas on each frame are the date's areas.
    first = out.meta["areas_km2"][0]["ukrainian_held/held"]
    assert first == pytest.approx(geodesic_area_km2(tl.geometry("ukrainian_held", dates[0],
                                                                  "held")), abs=1e-3)


def test_gif_date_range(tl, base):
    out = ex.export_animation(tl, base, "2024-08-20", "2025-03-13", width_px=400,
                              height_px=300, dpi=72)
    # The start date, then each change in (start, end]: the crossing event ends 2024-09-01.
    assert out.meta["frames"] == ["2024-08-20", "2024-09-01", "2025-02-10", "2025-03-01",
                                  "2025-03-13"]
    assert Image.open(io.BytesIO(out.data)).n_frames == 5
    assert out.name == "frontline_2024-08-20_2025-03-13.gif"


def test_animation_bad_range_and_format(tl, base):
    with pytest.raises(ValueError, match="before the start date"):
        ex.export_animation(tl, base, "2025-03-01", "2024-09-01")
    with pytest.raises(ValueError, match="animation format 'avi'"):
        ex.export_animation(tl, base, fmt="avi")


def test_mp4_or_a_clear_error(tl, base, monkeypatch, tmp_path):
    """MP4 works when imageio-ffmpeg is installed, and says how to get it when not."""
    if ex.mp4_available():
        out = ex.export_animation(tl, base, "2025-02-10", "2025-03-20", fmt="mp4",
                                  width_px=400, height_px=300, dpi=72)
        assert out.mime == "video/mp4" and out.data[4:8] == b"ftyp"
        import imageio.v2 as imageio
        path = tmp_path / out.name
        path.write_bytes(out.data)
        reader = imageio.get_reader(path, format="FFMPEG")
        try:
            assert reader.count_frames() == len(out.meta["frames"]) == 4
        finally:
            reader.close()
    monkeypatch.setattr(export_images, "mp4_available", lambda: False)
    with pytest.raises(ex.ExportUnavailableError, match="imageio-ffmpeg"):
        ex.export_animation(tl, base, fmt="mp4")


# --------------------------------------------------------------------------- path safety


def test_safe_output_path_accepts_a_plain_name(tmp_path):
    assert op.safe_output_path(tmp_path / "new", "map.png") == (tmp_path / "new").resolve() / \
        "map.png"


@pytest.mark.parametrize("name", ["../x.png", "a/b.png", "/etc/passwd", "..", ".", "",
                                  "x\x00.png", "..\\x.png"])
def test_safe_output_path_refuses_escaping_names(tmp_path, name):
    with pytest.raises(op.UnsafeOutputPathError, match="plain file name"):
        op.safe_output_path(tmp_path, name)


def test_safe_output_path_refuses_data_folder(tmp_path):
    data = tmp_path / "data"
    (data / "layers").mkdir(parents=True)
    for out in (data, data / "layers", data / "layers" / "new" / ".."):
        with pytest.raises(op.UnsafeOutputPathError, match="data folder"):
            op.safe_output_path(out, "x.geojson", data_dir=data)
    # The real repository data/ folder is the default.
    with pytest.raises(op.UnsafeOutputPathError, match="data folder"):
        op.safe_output_path(default_paths().layers, "x.geojson")
    # A symlinked folder that leads into data/ is refused too.
    link = tmp_path / "innocent"
    link.symlink_to(data)
    with pytest.raises(op.UnsafeOutputPathError, match="data folder"):
        op.safe_output_path(link, "x.geojson", data_dir=data)


def test_safe_output_path_refuses_symlinks_pointing_out(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "evil.png").symlink_to(tmp_path / "elsewhere.png")
    with pytest.raises(op.UnsafeOutputPathError, match="symlink pointing outside"):
        op.safe_output_path(out, "evil.png")
    data = tmp_path / "data"
    data.mkdir()
    (out / "d.png").symlink_to(data / "d.png")
    with pytest.raises(op.UnsafeOutputPathError, match="symlink pointing outside"):
        op.safe_output_path(out, "d.png", data_dir=data)
    (out / "sub").mkdir()
    with pytest.raises(op.UnsafeOutputPathError, match="is a directory"):
        op.safe_output_path(out, "sub")


def test_write_export_replaces_a_symlink_inside_instead_of_following_it(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "real.txt").write_text("keep")
    (out / "alias.txt").symlink_to(out / "real.txt")
    path = op.write_export(ex.Export("x.txt", "text/plain", b"new"), out, "alias.txt")
    assert path.read_bytes() == b"new" and not path.is_symlink()
    assert (out / "real.txt").read_text() == "keep"
    assert not [p for p in out.iterdir() if p.name.startswith(".export-")]


# --------------------------------------------------------------------------- HTML

def _html(tl, base, day=fx.HELD_DAY, **kwargs):
    return ex.export_html(tl, base, day, **kwargs)


def test_html_has_no_external_script_or_stylesheet(tl, base):
    out = _html(tl, base)
    html = out.data.decode()
    assert out.mime == "text/html" and out.name == f"frontline_{fx.HELD_DAY}.html"
    assert "<script src" not in html.replace("\n", " ")
    import re
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+stylesheet", html)
    assert not re.search(r"https?://[^\"' ]*\.(js|css)\b", html)
    assert "{z}" not in html  # no tiles unless asked for
    assert "L.map(" in html and "leaflet" in html.lower()


def test_html_online_tiles_only_when_asked(tl, base):
    html = _html(tl, base, online_tiles=True).data.decode()
    assert "tile.openstreetmap.org" in html
    import re
    assert not re.search(r"<script[^>]+src=", html)


@pytest.mark.browser
def test_html_renders_offline_in_chromium(tl, base, tmp_path, chromium):
    # `chromium` is the session-wide browser from conftest.py (skips locally, fails in CI
    # when Debian's chromium is missing); a second sync_playwright() in the same session
    # would clash with it ("Sync API inside the asyncio loop").
    path = tmp_path / "map.html"
    path.write_bytes(_html(tl, base).data)
    blocked = []
    context = chromium.new_context()
    try:
        page = context.new_page()

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_selector(".leaflet-container", timeout=15_000)
        page.wait_for_selector("path.leaflet-interactive", timeout=15_000)
        n_paths = page.locator("svg path").count()
    finally:
        context.close()
    assert not errors, errors
    assert n_paths > 3
    assert not [u for u in blocked if not u.startswith("data:")], blocked


# --------------------------------------------------------------------------- real data


def test_real_data_exports_when_present(base, tmp_path):
    real = _real_timeline()
    assert real is not None, "data/layers must hold the digitised layers"
    day = real.change_dates()[len(real.change_dates()) // 2]
    png = render_png(real, base, day, width_px=1200, height_px=800, dpi=100)
    assert Image.open(io.BytesIO(png)).size == (1200, 800)
    out = ex.export_gpkg(real, day)
    (tmp_path / out.name).write_bytes(out.data)
    n = sum(len(gpd.read_file(tmp_path / out.name, layer=t))
            for t in gpd.list_layers(tmp_path / out.name)["name"] if t != "attribution")
    assert n == len(ex.state_frame(real, day))
    shutil.rmtree(tmp_path)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "html", "geojson", "gpkg", "csv", "gif"])
def test_build_exports_dispatches_every_format(tl, base, claims, fmt):
    exports = ex.build_exports(fmt, tl, base, fx.HELD_DAY, claims=claims, width_px=400,
                               height_px=300, dpi=50, start="2024-08-06", end="2024-09-01")
    expected = 2 if fmt == "csv" else 1
    assert len(exports) == expected
    for export in exports:
        assert export.name.endswith("." + fmt) and export.data
        assert export.mime == ex.MIME[fmt]
