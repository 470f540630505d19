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
from harness.chromium import block_network
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

        blocked = block_network(page)
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


# --------------------------------------------------------------------------- publishable snapshots

import re  # noqa: E402

from layers import load_dataset  # noqa: E402
from layers.outlets import read_outlets  # noqa: E402
from views import render_frame as rf  # noqa: E402
from views.citation import cite, outlet_name  # noqa: E402
from views.styles import ATTRIBUTION  # noqa: E402

# What must never reach a reader: stored-page ids (a88089, 3255253, 2025/03/13/7502688),
# seed file names, internal "seed 00x" labels.
RAW_ID = re.compile(r"\b[a-z]\d{4,}\b|\b\d{6,}\b|\d{4}/\d{2}/\d{2}/\d+|\.txt\b|\bseed ?0\d\d",
                    re.IGNORECASE)
REAL_DATES = ["2024-09-01", "2025-03-14", "2025-08-30"]


def test_the_raw_id_check_can_fail():
    for raw in ("themoscowtimes a88089", "seed 002_overview.txt", "devdiscourse 3255253",
                "pravda.com.ua 2025/03/13/7502688", "overview article (seed 002)"):
        assert RAW_ID.search(raw), raw
    assert not RAW_ID.search("Syrskyi via Kyiv Independent, 27 Aug 2024")


@pytest.fixture(scope="module")
def real():
    data = load_dataset()
    assert not data.problems
    return data


def test_every_source_in_the_data_is_cited_without_raw_ids(real):
    """Every outlet of every layer feature and claim reads as a name, never a page id."""
    outlets = real.base.outlets
    assert outlets, "data/base/outlets.csv is read into BaseLayers.outlets"
    seen = 0
    for srcs in real.timeline.features["sources"]:
        for src in srcs:
            text = cite(src, outlets)
            assert text and not RAW_ID.search(text), (src, text)
            seen += 1
    for row in real.claims.itertuples():
        text = cite({"claim_maker": row.claim_maker, "outlet": row.outlet, "date": row.date},
                    outlets)
        assert not RAW_ID.search(text), (row.outlet, text)
    assert seen > 1000


def test_cite_reads_as_a_reader_would_cite():
    outlets = {"kyivindependent": "Kyiv Independent", "themoscowtimes": "The Moscow Times"}
    assert cite({"claim_maker": "Syrskyi", "outlet": "kyivindependent",
                 "date": "2024-08-27"}, outlets) == "Syrskyi via Kyiv Independent, 27 Aug 2024"
    assert cite({"claim_maker": "Russian MoD", "outlet": "themoscowtimes a88089",
                 "date": "2025-03-12"}, outlets) == ("Russian MoD via The Moscow Times, "
                                                     "12 Mar 2025")
    assert outlet_name("unknownsite 123456", {}) == "unknownsite"  # the id never printed
    assert cite({"claim_maker": "ISW", "outlet": "", "date": "bad"}) == "ISW"


def test_outlets_table_errors_are_all_reported(tmp_path):
    from layers import LayerValidationError

    bad = tmp_path / "outlets.csv"
    bad.write_text("id_prefix,outlet_name\nfoo,Foo\nfoo,Foo again\n,Nameless\nbar,\n")
    with pytest.raises(LayerValidationError, match="listed twice") as exc:
        read_outlets(bad)
    assert len(exc.value.problems) == 3
    (tmp_path / "cols.csv").write_text("prefix,name\nfoo,Foo\n")
    with pytest.raises(LayerValidationError, match="column is missing"):
        read_outlets(tmp_path / "cols.csv")


def _drawn_text(export) -> str:
    return re.sub(r"\s+", " ", " ".join(export.meta["texts"]))


@pytest.mark.parametrize("day", REAL_DATES)
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_images_carry_attribution_title_date_and_readable_sources(real, fmt, day):
    out = ex.build_exports(fmt, real.timeline, real.base, day, width_px=1000, height_px=650,
                           dpi=72)[0]
    text = _drawn_text(out)
    assert ATTRIBUTION in text
    assert "Kursk incursion: the front line" in text and day in text
    assert out.meta["sources"] and "Sources (most-cited first)" in text
    assert out.meta["sources"][0] in text  # the most-cited source is printed, as cited
    assert not RAW_ID.search(text), RAW_ID.search(text)
    if fmt == "png":
        info = Image.open(io.BytesIO(out.data)).info
        assert info["Copyright"] == ATTRIBUTION and day[:4] in info["Title"]
    else:
        assert b"OpenStreetMap" in out.data or fmt == "pdf"  # PDF: UTF-16 metadata


def test_gif_and_mp4_carry_the_attribution(real, base):
    out = ex.export_animation(real.timeline, base, "2025-03-10", "2025-03-14", width_px=600,
                              height_px=400, dpi=60)
    comment = json.loads(Image.open(io.BytesIO(out.data)).info["comment"])
    assert comment["attribution"] == ATTRIBUTION
    assert out.meta["frame"].source == "drawn"
    renderer = MapRenderer(real.timeline, base, width_px=600, height_px=400, dpi=60,
                           on=["2025-03-10", "2025-03-14"])
    renderer.draw("2025-03-10")
    assert ATTRIBUTION in " ".join(renderer.texts())  # drawn on every frame
    if ex.mp4_available():
        mp4 = ex.export_animation(real.timeline, base, "2025-03-10", "2025-03-14", fmt="mp4",
                                  width_px=400, height_px=300, dpi=60)
        assert b"OpenStreetMap" in mp4.data  # the container's copyright tag


@pytest.mark.parametrize("day", REAL_DATES)
def test_data_exports_carry_attribution_and_readable_sources(real, day, tmp_path):
    tl, base = real.timeline, real.base
    doc = json.loads(ex.build_exports("geojson", tl, base, day)[0].data)
    assert doc["attribution"] == ATTRIBUTION and doc["date"] == day
    assert doc["title"].startswith("Kursk incursion") and doc["sources"]
    assert not any(RAW_ID.search(s) for s in doc["sources"])
    gpkg = tmp_path / "x.gpkg"
    gpkg.write_bytes(ex.build_exports("gpkg", tl, base, day)[0].data)
    about = gpd.read_file(gpkg, layer="attribution")
    fields = dict(zip(about["field"], about["value"], strict=False))
    assert fields["attribution"] == ATTRIBUTION and fields["date"] == day
    assert list(about.loc[about["field"] == "source", "value"]) == doc["sources"]


def test_csv_exports_carry_attribution_and_readable_sources(real):
    area, claims = ex.build_exports("csv", real.timeline, real.base, None, claims=real.claims)
    for export, col in ((area, "sources"), (claims, "cited_as")):
        back = pd.read_csv(io.BytesIO(export.data), keep_default_na=False)
        assert set(back["attribution"]) == {ATTRIBUTION}
        if col == "sources":  # a row has sources exactly when something is in force
            assert ((back[col] == "") == (back["area_km2"].astype(float) == 0)).all()
        else:
            assert (back[col] != "").all()
        assert not back[col].str.contains(RAW_ID).any(), \
            back.loc[back[col].str.contains(RAW_ID), col].head().tolist()
    cited = pd.read_csv(io.BytesIO(claims.data)).set_index("claim_id")["cited_as"]
    # claims.csv: Syrskyi, "Ukrinform via menafn 1108546804; rbc.ua", 2024-08-12
    assert cited["syrskyi-20240812-area"] == ("Syrskyi via Ukrinform via MENAFN and "
                                              "RBC-Ukraine, 12 Aug 2024")


@pytest.mark.parametrize("day,expected", [
    ("2024-08-10", ["Ukrainian-held (Kursk oblast)", "Dated event"]),
    (fx.HELD_DAY, ["Ukrainian-held (Kursk oblast)", "Contested / grey zone", "Dated event"]),
    ("2025-03-05", ["Ukrainian-held (Kursk oblast)", "Sudzha pocket", "Contested / grey zone",
                    "Claimed by Russia", "Dated event"]),
    (fx.NOT_HELD_DAY, ["Ukrainian-held (Kursk oblast)",
                       "Russian 'security zone' (Sumy oblast)", "Dated event"]),
    ("2025-08-30", ["Russian 'security zone' (Sumy oblast)", "Dated event"]),
])
def test_legend_lists_exactly_the_layers_drawn(tl, base, day, expected):
    out = ex.export_image(tl, base, day, width_px=900, height_px=600, dpi=72)
    assert out.meta["legend"] == expected  # by hand from export_fixtures.features()
    text = _drawn_text(out)
    for label in ("Sudzha pocket", "Claimed by Russia", "Contested / grey zone"):
        assert (label in text) == (label in expected), label
    assert "–" not in text  # no empty rows


def test_legend_on_a_date_with_nothing_drawn(tl, base):
    out = ex.export_image(tl, base, "2025-05-01", ["sudzha_pocket"], width_px=600,
                          height_px=400, dpi=72)
    assert out.meta["legend"] == []
    assert "No layer in force on this date" in _drawn_text(out)
    assert out.meta["frame"].source == "fighting area"
    w, s, e, n = out.meta["frame"].lonlat_bounds()
    fw, fs, fe, fn = rf.FIGHTING_AREA
    assert w <= fw + 1e-6 and s <= fs + 1e-6 and e >= fe - 1e-6 and n >= fn - 1e-6


def _inside(inner, outer, tol=1e-6):
    return (outer[0] <= inner[0] + tol and outer[1] <= inner[1] + tol
            and outer[2] >= inner[2] - tol and outer[3] >= inner[3] - tol)


@pytest.mark.parametrize("day", DATES)
def test_default_extent_fits_the_layers_drawn_on_the_date(tl, base, day):
    frame = ex.export_image(tl, base, day, width_px=1200, height_px=800, dpi=72).meta["frame"]
    drawn = rf.drawn_bounds(tl, day)
    shown = frame.lonlat_bounds()
    assert frame.source == "drawn"
    assert _inside(drawn, shown)
    # Snug: the tight side is the drawn span plus the padding (or the minimum size),
    # never the whole timeline's extent.
    x0, y0, x1, y1 = rf._projected_box(*drawn)
    fx0, fy0, fx1, fy1 = frame.extent
    want_w = max((x1 - x0) * (1 + 2 * rf.PAD), rf.MIN_SPAN_KM[0] * 1000)
    want_h = max((y1 - y0) * (1 + 2 * rf.PAD), rf.MIN_SPAN_KM[1] * 1000)
    assert min((fx1 - fx0) / want_w, (fy1 - fy0) / want_h) == pytest.approx(1.0, rel=1e-6)


def test_default_extents_differ_by_date(tl):
    a = map_frame(tl, width_px=800, height_px=500, on="2024-08-10").extent
    b = map_frame(tl, width_px=800, height_px=500, on=fx.NOT_HELD_DAY).extent
    assert a != b


def test_a_tiny_area_is_not_zoomed_to_a_few_hundred_metres():
    # 11 km²: a 0.05° x 0.03° box (about 3.5 km x 3.3 km).
    feats = [fx._feat("t-1", "ukrainian_held", "held", "2025-05-01", None,
                      fx._box(35.20, 51.05, 35.25, 51.08))]
    tiny = Timeline(parse_layer_bytes(fx.collection_bytes(feats), "tiny.geojson"))
    area = geodesic_area_km2(tiny.geometry("ukrainian_held", "2025-05-02"))
    assert area == pytest.approx(11.0, rel=0.1)
    frame = map_frame(tiny, width_px=1200, height_px=800, on="2025-05-02")
    xmin, ymin, xmax, ymax = frame.extent
    assert xmax - xmin >= rf.MIN_SPAN_KM[0] * 1000 - 1
    assert ymax - ymin >= rf.MIN_SPAN_KM[1] * 1000 - 1
    assert _inside((35.20, 51.05, 35.25, 51.08), frame.lonlat_bounds())


@pytest.mark.parametrize("bbox", [(34.9, 51.0, 35.6, 51.4), (35.1, 51.1, 35.3, 51.3),
                                  (33.0, 50.0, 37.0, 52.5)])
def test_bbox_sets_the_extent(tl, base, bbox):
    out = ex.export_image(tl, base, fx.HELD_DAY, width_px=1000, height_px=700, dpi=72,
                          bbox=bbox)
    frame = out.meta["frame"]
    assert frame.source == "bbox"
    shown = frame.lonlat_bounds()
    assert _inside(bbox, shown)
    # The tight side equals the box (the other is widened to the map's aspect ratio);
    # within projection tolerance: the box's edges curve slightly in transverse Mercator.
    x0, y0, x1, y1 = rf._projected_box(*bbox)
    fx0, fy0, fx1, fy1 = frame.extent
    assert min((fx1 - fx0) / (x1 - x0), (fy1 - fy0) / (y1 - y0)) == pytest.approx(1, rel=1e-9)
    lon_span, lat_span = bbox[2] - bbox[0], bbox[3] - bbox[1]
    tight_lon = abs((shown[2] - shown[0]) - lon_span) < 0.03 * lon_span + 0.01
    tight_lat = abs((shown[3] - shown[1]) - lat_span) < 0.03 * lat_span + 0.01
    assert tight_lon or tight_lat
    png = Image.open(io.BytesIO(out.data)).info["Extent"]
    assert [float(v) for v in png.split(",")] == pytest.approx(shown, abs=1e-4)


def test_bbox_selects_features_in_data_exports(tl):
    west = (34.5, 50.9, 34.9, 51.3)  # west of every feature on the date
    doc = json.loads(ex.export_geojson(tl, fx.HELD_DAY, bbox=(34.9, 51.2, 35.0, 51.3)).data)
    assert {f["properties"]["id"] for f in doc["features"]} == {"ct-1"}
    assert doc["view_bbox"] == [34.9, 51.2, 35.0, 51.3]
    assert json.loads(ex.export_geojson(tl, fx.HELD_DAY, bbox=west).data)["features"] == []


@pytest.mark.parametrize("bbox,match", [
    ((35.5, 51.0, 34.5, 51.5), "lon_min 35.5 must be less than lon_max 34.5"),
    ((34.5, 51.5, 35.5, 51.0), "lat_min 51.5 must be less than lat_max 51"),
    ((51.0, 34.5, 51.5, 35.5), "looks like lat,lon order"),
    ((20.0, 40.0, 25.0, 45.0), "outside the mapped region"),
    ((34.5, 51.0, 35.5), "four finite numbers"),
    (("a", 1, 2, 3), "must be four numbers"),
    ((34.5, float("nan"), 35.5, 51.5), "four finite numbers"),
])
def test_bad_bbox_is_refused(tl, base, bbox, match):
    with pytest.raises(ValueError, match=match):
        rf.check_bbox(bbox)
    with pytest.raises(ValueError, match=match):
        ex.build_exports("png", tl, base, fx.HELD_DAY, bbox=bbox, width_px=400, height_px=300)


def _label_boxes(renderer):
    renderer.canvas.draw()
    r = renderer.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(r)) for t in renderer.labeller.labels]


def _overlaps(boxes):
    return [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1:]
            if ba.overlaps(bb)]


@pytest.mark.parametrize("bbox", [None, (34.55, 50.78, 35.05, 51.05), (34.2, 50.6, 36.0, 51.8)])
def test_labels_never_overlap_and_sumy_is_clear(real, bbox):
    renderer = MapRenderer(real.timeline, real.base, width_px=1200, height_px=800, dpi=100,
                           on="2024-09-01", bbox=bbox)
    renderer.draw("2024-09-01")
    boxes = _label_boxes(renderer)
    assert len(boxes) > 8
    assert _overlaps(boxes) == []
    if bbox is not None:  # both views hold Sumy
        names = [n for n, _ in boxes]
        assert "Sumy" in names
        sumy = dict(boxes)["Sumy"]
        assert not [n for n, b in boxes if n != "Sumy" and b.overlaps(sumy)]


def test_the_overlap_check_can_fail(real):
    renderer = MapRenderer(real.timeline, real.base, width_px=800, height_px=500, dpi=100,
                           on="2024-09-01")
    r = renderer.canvas.get_renderer()
    a = renderer.ax.text(0, 0, "Sumy")
    b = renderer.ax.text(0, 0, "Sumy village")
    assert _overlaps([(t.get_text(), t.get_window_extent(r)) for t in (a, b)])


def test_towns_are_labelled_before_villages(real):
    renderer = MapRenderer(real.timeline, real.base, width_px=1200, height_px=800, dpi=100,
                           bbox=(34.2, 50.6, 36.0, 51.8))
    pts = real.base.settlements.set_index("name")
    kinds = [pts.loc[t.get_text(), "kind"] if t.get_text() in pts.index else None
             for t in renderer.labeller.labels]
    kinds = [k if isinstance(k, str) else k.iloc[0] for k in kinds if k is not None]
    first_village = kinds.index("village") if "village" in kinds else len(kinds)
    assert "town" not in kinds[first_village:]


def test_portrait_page_keeps_legend_and_sources_inside_the_image(real):
    renderer = MapRenderer(real.timeline, real.base, width_px=700, height_px=1000, dpi=100,
                           on="2025-03-14")
    renderer.draw("2025-03-14")
    renderer.canvas.draw()
    r = renderer.canvas.get_renderer()
    for t in renderer.panel.texts:
        box = t.get_window_extent(r)
        assert box.x0 >= 0 and box.x1 <= 700 and box.y0 >= 0 and box.y1 <= 1000, t.get_text()


# --------------------------------------------------------------------------- HTML title and date


def test_html_has_title_date_sources_and_attribution(real):
    out = ex.build_exports("html", real.timeline, real.base, "2024-09-01")[0]
    html = out.data.decode()
    assert "<title>Kursk incursion: the front line, 1 September 2024</title>" in html
    assert '<div id="frontline-title"' in html and "1 September 2024</time>" in html
    assert ATTRIBUTION.replace("&", "&amp;") in html
    block = html[html.index('<div id="frontline-title"'):]
    block = block[:block.index("</div>")]
    assert "via Ukrainska Pravda" in block and not RAW_ID.search(block)


def test_html_fits_the_view(tl, base):
    html = ex.export_html(tl, base, fx.HELD_DAY, bbox=(34.9, 51.0, 35.6, 51.4)).data.decode()
    # The map opens on exactly these bounds (the timeline control's initial state).
    assert '"bounds": [[51.0, 34.9], [51.4, 35.6]]' in html
    default = ex.export_html(tl, base, fx.HELD_DAY).data.decode()
    w, s, e, n = rf.view_bounds(tl, fx.HELD_DAY)
    assert f'"bounds": [[{s}, {w}], [{n}, {e}]]' in default


def test_html_title_block_escapes_hostile_sources(tl, base):
    html = ex.export_html(tl, base, fx.HELD_DAY).data.decode()
    block = html[html.index('<div id="frontline-title"'):]
    block = block[:block.index("</div>")]
    assert "<script>" not in block and "&lt;script&gt;" in block


@pytest.mark.browser
def test_html_title_and_date_show_in_chromium(real, tmp_path, chromium):
    from pathlib import Path

    path = tmp_path / "map.html"
    path.write_bytes(ex.build_exports("html", real.timeline, real.base, "2025-03-14")[0].data)
    blocked = []
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()

        blocked = block_network(page)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_selector("path.leaflet-interactive", timeout=15_000)
        title = page.title()
        block = page.locator("#frontline-title")
        assert block.is_visible()
        heading = block.locator("h1").inner_text()
        date = block.locator("time").inner_text()
        credit = block.locator(".credit").inner_text()
        block.locator("summary").click()
        first_source = block.locator("li").first.inner_text()
        # The title block sits over the map without hiding the zoom control.
        zoom = page.locator(".leaflet-control-zoom").bounding_box()
        box = block.bounding_box()
        out = Path(__file__).resolve().parents[1] / "test-artifacts"
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / "html_export_2025-03-14.png"))
    finally:
        context.close()
    assert not errors, errors
    assert not blocked, blocked
    assert title == "Kursk incursion: the front line, 14 March 2025"
    assert heading == "Kursk incursion: the front line"
    assert date == "14 March 2025"
    assert "OpenStreetMap" in credit and "GeoNames" in credit
    assert first_source and not RAW_ID.search(first_source)
    assert zoom is None or box["x"] >= zoom["x"] + zoom["width"] - 1


def test_legend_leaves_out_a_layer_outside_the_bbox(tl, base):
    # On 2025-04-01 the Sumy zone (34.60..35.20E), the Gornal remnant (35.20..35.26E,
    # 51.03..51.08N) and the route (up to 35.27E 51.19N) are in force. A wide box east of
    # 35.24E, widened only north-south to the map's aspect, holds the remnant alone.
    out = ex.export_image(tl, base, fx.NOT_HELD_DAY, width_px=900, height_px=600, dpi=72,
                          bbox=(35.24, 51.0, 35.6, 51.1))
    w, s, e, n = out.meta["frame"].lonlat_bounds()
    assert w > 35.2 and n < 51.15  # the zone is west of the view, the route north of it
    assert out.meta["legend"] == ["Ukrainian-held (Kursk oblast)"]
