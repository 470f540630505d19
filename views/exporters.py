"""Snapshots of the map as files: PNG/SVG/PDF, standalone HTML, GeoJSON, GeoPackage, CSV, GIF/MP4.

Every exporter is a function of in-memory data (a :class:`layers.Timeline`, the
base layers, the claims table) that returns an :class:`Export`: the bytes, a
suggested file name and a MIME type, ready for ``st.download_button`` or for
:func:`write_export`. Nothing here needs the network: the HTML export inlines
Leaflet from ``static/vendor``.

:func:`safe_output_path` is the one place that decides whether a file may be
written: never inside the repository's ``data/`` folder, never outside the
chosen output folder.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import mapping

from geo.measurement import geodesic_area_km2
from layers.claims import CLAIM_COLUMNS
from layers.errors import FrontlineError
from layers.paths import DATA_DIR
from layers.timeline import to_date
from views.static_render import ATTRIBUTION, FORMATS, MapRenderer, layer_areas

__all__ = [
    "ANIMATION_FORMATS", "EXPORT_FORMATS", "Export", "ExportUnavailableError",
    "UnsafeOutputPathError", "build_exports",
    "animation_dates", "export_animation", "export_csv_area_table", "export_csv_claims",
    "export_geojson", "export_gpkg", "export_html", "export_image", "mp4_available",
    "safe_output_path", "state_frame", "write_export",
]

ANIMATION_FORMATS = ("gif", "mp4")
_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
         "html": "text/html", "geojson": "application/geo+json",
         "gpkg": "application/geopackage+sqlite3", "csv": "text/csv",
         "gif": "image/gif", "mp4": "video/mp4"}
#: Columns every exported feature carries (plus geometry), in order.
FEATURE_COLUMNS = ["id", "layer", "status", "valid_from", "valid_to", "confidence", "name",
                   "kind", "sources", "notes", "file", "area_km2"]


class UnsafeOutputPathError(FrontlineError, ValueError):
    """An export would be written inside data/ or outside the chosen output folder."""


class ExportUnavailableError(FrontlineError, RuntimeError):
    """An export format needs an optional package that is not installed."""


@dataclass(frozen=True)
class Export:
    """One exported file, in memory.

    Attributes
    ----------
    name : str
        Suggested file name (no folder), e.g. ``frontline_2025-02-15.png``.
    mime : str
        MIME type, for ``st.download_button(mime=...)``.
    data : bytes
        The file's content.
    meta : dict
        Extra facts (an animation's ``frames``: the ISO date of each frame).
    """

    name: str
    mime: str
    data: bytes
    meta: dict = field(default_factory=dict, compare=False)


# --------------------------------------------------------------------------- paths


def safe_output_path(out_dir: str | os.PathLike, filename: str, *,
                     data_dir: str | os.PathLike = DATA_DIR) -> Path:
    r"""Return where ``filename`` may be written inside ``out_dir``, or refuse.

    Refused: a name that is not a plain file name (``../x``, ``a/b``, an
    absolute path, ``.``/``..``, empty, NUL); an ``out_dir`` inside (or equal
    to) ``data_dir`` after resolving symlinks; a target that is a symlink (or
    sits behind one) pointing outside ``out_dir`` or into ``data_dir``; a target
    that is a directory.

    Parameters
    ----------
    out_dir : path-like
        The chosen output folder (need not exist yet).
    filename : str
        The file's name.
    data_dir : path-like, optional
        The folder never written to (default: the repository's ``data/``).

    Returns
    -------
    pathlib.Path
        ``resolved out_dir / filename``.

    Raises
    ------
    UnsafeOutputPathError
        With the reason and what to do instead.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> safe_output_path(out, "map.png").name
    'map.png'
    >>> try:
    ...     safe_output_path(out, "../map.png")
    ... except UnsafeOutputPathError as exc:
    ...     print(exc)  # doctest: +ELLIPSIS
    output file name '../map.png' must be a plain file name ...
    """
    name = str(filename)
    if (not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name
            or Path(name).is_absolute() or Path(name).name != name):
        raise UnsafeOutputPathError(
            f"output file name {name!r} must be a plain file name (no '/', '\\', '..' or "
            "absolute path); choose the folder with --out")
    if "\x00" in str(out_dir):
        raise UnsafeOutputPathError("output folder contains a NUL character")
    data = Path(data_dir).resolve()
    out = Path(out_dir).expanduser().resolve()
    if out == data or data in out.parents:
        raise UnsafeOutputPathError(
            f"refusing to write into the data folder {data}: exports never overwrite the "
            "shipped data; choose another --out folder (e.g. snapshots/)")
    target = out / name
    final = target.resolve()
    if final.parent != out:
        raise UnsafeOutputPathError(
            f"{target} is a symlink pointing outside the output folder {out} (to {final}); "
            "remove it or choose another name")
    if final == data or data in final.parents:
        raise UnsafeOutputPathError(f"{target} points into the data folder {data}")
    if final.is_dir():
        raise UnsafeOutputPathError(f"{target} is a directory; choose another name")
    return target


def write_export(export: Export, out_dir: str | os.PathLike, filename: str | None = None, *,
                 data_dir: str | os.PathLike = DATA_DIR) -> Path:
    """Write ``export`` into ``out_dir`` (created if missing) after :func:`safe_output_path`.

    The file is written to a temporary name in the same folder, then renamed
    over the target: a reader never sees half a file, and an existing symlink
    at the target is replaced, not followed.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    UnsafeOutputPathError
        See :func:`safe_output_path`.
    OSError
        If the folder cannot be created or written.
    """
    target = safe_output_path(out_dir, filename or export.name, data_dir=data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".export-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(export.data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


# --------------------------------------------------------------------------- features


def _selected(timeline: Any, layers: Iterable[str] | None) -> list[str]:
    present = list(timeline.layers)
    if layers is None:
        return present
    wanted = list(layers)
    return [name for name in present if name in wanted]


def _iso(value: Any) -> str | None:
    if value is None or (not isinstance(value, str | dt.date) and pd.isna(value)):
        return None
    return to_date(value).isoformat()


def _clean(value: Any) -> Any:
    """JSON-safe copy: NaN -> None, dates -> ISO, numpy scalars -> Python."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def state_frame(timeline: Any, on: str | dt.date, layers: Iterable[str] | None = None
                ) -> gpd.GeoDataFrame:
    """Return the features in force on ``on`` with plain, file-friendly columns.

    Columns :data:`FEATURE_COLUMNS` + geometry: dates as ISO strings
    (``valid_to`` None while in force), ``sources`` still a list of dicts,
    ``area_km2`` the feature's geodesic area (0.0 for points and lines).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="ukrainian_held", status="held",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=None, sources=[],
    ...     geometry=box(35.0, 51.0, 35.1, 51.1))], crs="EPSG:4326"))
    >>> state_frame(tl, "2024-09-01")[["id", "valid_from", "area_km2"]].round(2).values.tolist()
    [['a', '2024-08-06', 78.01]]
    """
    frames = [timeline.state(layer, on) for layer in _selected(timeline, layers)]
    frames = [f for f in frames if len(f)]
    if not frames:
        return gpd.GeoDataFrame({c: [] for c in FEATURE_COLUMNS}, geometry=[],
                                crs="EPSG:4326")
    rows = pd.concat(frames, ignore_index=True)
    out = pd.DataFrame({
        "id": rows["id"].astype(str),
        "layer": rows["layer"].astype(str),
        "status": rows["status"].astype(str),
        "valid_from": [_iso(v) for v in rows["valid_from"]],
        # object, not pandas' string dtype: a feature still in force keeps None, not NaN.
        "valid_to": pd.Series([_iso(v) for v in rows["valid_to"]], dtype=object),
    })
    for col in ("confidence", "name", "kind", "notes", "file"):
        out[col] = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
                    for v in rows.get(col, pd.Series([""] * len(rows)))]
    out["sources"] = [_clean(list(v)) if isinstance(v, list | tuple) else []
                      for v in rows.get("sources", pd.Series([[]] * len(rows)))]
    out["area_km2"] = [geodesic_area_km2(g) for g in rows.geometry]
    out = out[FEATURE_COLUMNS]
    return gpd.GeoDataFrame(out, geometry=list(rows.geometry), crs="EPSG:4326")


def export_geojson(timeline: Any, on: str | dt.date, layers: Iterable[str] | None = None
                   ) -> Export:
    """Export the features in force on ``on`` as one RFC 7946 FeatureCollection.

    Each feature keeps every property of the layer contract (so the file is a
    valid layer file again: ``layers.parse_layer_bytes`` reads it), with
    ``sources`` as a JSON array and dates as ISO strings, plus ``area_km2``.
    Coordinates are written at full precision. The collection carries
    ``date`` and ``attribution`` members.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="ukrainian_held", status="held",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=None, sources=[], notes="$x$",
    ...     geometry=box(35.0, 51.0, 35.1, 51.1))], crs="EPSG:4326"))
    >>> out = export_geojson(tl, "2024-09-01")
    >>> out.name, out.mime
    ('frontline_2024-09-01.geojson', 'application/geo+json')
    >>> json.loads(out.data)["features"][0]["properties"]["notes"]
    '$x$'
    """
    day = to_date(on)
    frame = state_frame(timeline, day, layers)
    feats = []
    for row, geom in zip(frame.drop(columns="geometry").to_dict("records"), frame.geometry,
                         strict=True):
        feats.append({"type": "Feature", "properties": _clean(row),
                      "geometry": _clean(mapping(geom))})
    doc = {"type": "FeatureCollection", "name": f"frontline_{day.isoformat()}",
           "date": day.isoformat(), "attribution": ATTRIBUTION, "features": feats}
    data = json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=None).encode("utf-8")
    return Export(f"frontline_{day.isoformat()}.geojson", _MIME["geojson"], data)


def export_gpkg(timeline: Any, on: str | dt.date, layers: Iterable[str] | None = None
                ) -> Export:
    """Export the features in force on ``on`` as a GeoPackage, one table per layer.

    Tables are named by layer id and hold only that layer's features in force
    (layers with none on that date get no table). Columns as
    :func:`state_frame`, with ``sources`` a JSON string and dates ISO strings;
    geometry type ``GEOMETRY`` so points and lines, polygons and multipolygons
    keep their own types. The file's timestamps are the map date, so the same
    input gives the same bytes.
    """
    import pyogrio

    day = to_date(on)
    frame = state_frame(timeline, day, layers)
    frame["sources"] = [json.dumps(s, ensure_ascii=False, sort_keys=True)
                        for s in frame["sources"]]
    stamp = f"{day.isoformat()}T00:00:00Z"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.gpkg"
        previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": stamp})
        try:
            for layer, group in frame.groupby("layer", sort=False):
                group = group.reset_index(drop=True)
                pyogrio.write_dataframe(group, path, layer=str(layer), driver="GPKG",
                                        geometry_type="Unknown", append=path.exists())
            if not path.exists():  # nothing in force: an empty, valid GeoPackage
                pyogrio.write_dataframe(frame, path, layer="empty", driver="GPKG",
                                        geometry_type="Unknown")
        finally:
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
        data = path.read_bytes()
    return Export(f"frontline_{day.isoformat()}.gpkg", _MIME["gpkg"], data)


# --------------------------------------------------------------------------- tables

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_bytes(table: pd.DataFrame) -> bytes:
    """Write ``table`` as UTF-8 CSV with ISO dates and formula-safe text cells.

    A text cell a spreadsheet would run as a formula (starting ``=``, ``+``,
    ``-``, ``@``) gets a leading ``'``; numbers are untouched.
    """
    table = table.copy()
    for col in table.columns:
        if table[col].dtype == object or pd.api.types.is_string_dtype(table[col]):
            table[col] = [_csv_cell(v) for v in table[col]]
    return table.to_csv(index=False, lineterminator="\n", float_format="%.3f").encode("utf-8")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_csv_area_table(timeline: Any, claims: pd.DataFrame | None = None) -> Export:
    """Export :func:`geo.area_table.area_table` as CSV (km², 3 decimals; nearest claims).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="ukrainian_held", status="held",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=None,
    ...     geometry=box(35.0, 51.0, 35.1, 51.1))], crs="EPSG:4326"))
    >>> print(export_csv_area_table(tl).data.decode())
    date,layer,status,area_km2,change_km2
    2024-08-06,ukrainian_held,held,78.010,
    <BLANKLINE>
    """
    from geo.area_table import area_table

    return Export("frontline_area_table.csv", _MIME["csv"],
                  _csv_bytes(area_table(timeline, claims)))


def export_csv_claims(view: Any, claims: pd.DataFrame) -> Export:
    """Export :func:`geo.claims_check.check_claims` as CSV: every claim beside the map's value.

    ``view`` is a :class:`geo.quantities.MapView` (the timeline, border and facts).
    """
    from geo.claims_check import check_claims

    table = check_claims(view, claims)
    return Export("frontline_claims_check.csv", _MIME["csv"], _csv_bytes(table))


# --------------------------------------------------------------------------- images


def export_image(timeline: Any, base: Any, on: str | dt.date,
                 layers: Iterable[str] | None = None, *, fmt: str = "png",
                 width_px: int = 1600, height_px: int = 1000, dpi: float = 150.0) -> Export:
    """Export the static map of ``on`` (see :func:`views.static_render.render_png`).

    Raises
    ------
    ValueError
        For an unknown format, or a size or dpi out of range.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    day = to_date(on)
    renderer = MapRenderer(timeline, base, None if layers is None else list(layers),
                           width_px=width_px, height_px=height_px, dpi=dpi)
    renderer.draw(day)
    return Export(f"frontline_{day.isoformat()}.{fmt}", _MIME[fmt], renderer.to_bytes(fmt),
                  meta={"frame": renderer.frame})


# --------------------------------------------------------------------------- animation


def animation_dates(timeline: Any, start: str | dt.date | None = None,
                    end: str | dt.date | None = None, layers: Iterable[str] | None = None
                    ) -> list[dt.date]:
    """One date per distinct state between ``start`` and ``end`` (inclusive).

    The first frame is ``start`` itself (default: the first change date), then
    every date in ``(start, end]`` on which one of the chosen layers changes.

    Raises
    ------
    ValueError
        If ``end`` is before ``start``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> rows = [dict(id=i, layer="ukrainian_held", status="held", valid_from=a, valid_to=b,
    ...              geometry=box(35, 51, 35.1, 51.1)) for i, a, b in
    ...         [("a", dt.date(2024, 8, 6), dt.date(2024, 9, 1)), ("b", dt.date(2024, 9, 1), None)]]
    >>> tl = Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326"))
    >>> [d.isoformat() for d in animation_dates(tl)]
    ['2024-08-06', '2024-09-01']
    >>> [d.isoformat() for d in animation_dates(tl, "2024-08-20")]
    ['2024-08-20', '2024-09-01']
    """
    changes: set[dt.date] = set()
    for layer in _selected(timeline, layers):
        changes.update(timeline.change_dates(layer))
    first = to_date(start) if start is not None else (min(changes) if changes
                                                       else timeline.start)
    last = to_date(end) if end is not None else timeline.end
    if last < first:
        raise ValueError(f"the end date {last.isoformat()} is before the start date "
                         f"{first.isoformat()}")
    return [first] + sorted(d for d in changes if first < d <= last)


def mp4_available() -> bool:
    """Whether MP4 export works (the optional ``imageio-ffmpeg`` package is installed)."""
    try:
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return False
    return True


def _gif_bytes(frames: list[np.ndarray], durations: list[int], comment: str) -> bytes:
    from PIL import Image

    images = [Image.fromarray(f) for f in frames]
    # One palette for every frame (from a strip of first, middle and last), no dithering:
    # flat map colours stay flat and do not flicker between frames.
    sample = [images[0], images[len(images) // 2], images[-1]]
    strip = Image.new("RGB", (sample[0].width, sample[0].height * len(sample)))
    for k, im in enumerate(sample):
        strip.paste(im, (0, k * im.height))
    palette = strip.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    quant = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    buf = io.BytesIO()
    quant[0].save(buf, format="GIF", save_all=True, append_images=quant[1:],
                  duration=durations, loop=0, comment=comment.encode("utf-8"),
                  optimize=False, disposal=1)
    return buf.getvalue()


def _mp4_bytes(frames: list[np.ndarray], fps: float) -> bytes:
    if not mp4_available():
        raise ExportUnavailableError(
            "MP4 export needs the optional package imageio-ffmpeg: "
            "pip install 'kursk-frontline[video]' (or export a GIF)")
    import imageio.v2 as imageio

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "anim.mp4"
        writer = imageio.get_writer(
            path, format="FFMPEG", fps=fps, codec="libx264", pixelformat="yuv420p",
            macro_block_size=2, quality=8,
            ffmpeg_params=["-fflags", "+bitexact", "-flags:v", "+bitexact",
                           "-map_metadata", "-1", "-threads", "1"],
            ffmpeg_log_level="error")
        try:
            for frame in frames:
                h, w = frame.shape[:2]
                writer.append_data(frame[: h - h % 2, : w - w % 2])
        finally:
            writer.close()
        return path.read_bytes()


def export_animation(timeline: Any, base: Any, start: str | dt.date | None = None,
                     end: str | dt.date | None = None, layers: Iterable[str] | None = None,
                     *, fmt: str = "gif", width_px: int = 1200, height_px: int = 750,
                     dpi: float = 100.0, frame_ms: int = 700, hold_last_ms: int = 2500,
                     progress: Callable[[int, int], None] | None = None) -> Export:
    """Export an animated map: one frame per state (see :func:`animation_dates`).

    Each frame shows its date and every layer's area. The basemap, labels and
    decorations are drawn once and reused for every frame.

    Parameters
    ----------
    timeline, base
        As for :func:`views.static_render.render_png`.
    start, end : str or datetime.date, optional
        The date range (default: the whole timeline).
    layers : iterable of str, optional
        Layer ids (default: all).
    fmt : {"gif", "mp4"}
    width_px, height_px, dpi
        Frame size.
    frame_ms, hold_last_ms : int
        How long each frame (the last frame) shows in the GIF; the MP4 runs at
        ``1000 / frame_ms`` frames per second.
    progress : callable, optional
        Called as ``progress(done, total)`` before the first frame and after each.

    Returns
    -------
    Export
        ``meta["frames"]`` lists each frame's ISO date; the GIF's comment holds
        the same list as JSON (``{"frames": [...]}``).

    Raises
    ------
    ValueError
        For an unknown format or a bad range.
    ExportUnavailableError
        For MP4 without imageio-ffmpeg.
    """
    if fmt not in ANIMATION_FORMATS:
        raise ValueError(f"animation format {fmt!r} is not one of "
                         f"{', '.join(ANIMATION_FORMATS)}")
    if fmt == "mp4" and not mp4_available():
        _mp4_bytes([], 1.0)  # raises the explanatory error before any rendering
    dates = animation_dates(timeline, start, end, layers)
    renderer = MapRenderer(timeline, base, None if layers is None else list(layers),
                           width_px=width_px, height_px=height_px, dpi=dpi)
    total = len(dates)
    if progress is not None:
        progress(0, total)
    frames = []
    for k, (_day, rgb) in enumerate(renderer.frames(dates), start=1):
        frames.append(rgb)
        if progress is not None:
            progress(k, total)
    iso = [d.isoformat() for d in dates]
    meta = {"frames": iso,
            "areas_km2": [{f"{la}/{st}": round(a, 3)
                           for la, st, a in layer_areas(timeline, d, renderer.layers)}
                          for d in dates]}
    name = f"frontline_{iso[0]}_{to_date(end).isoformat() if end else iso[-1]}.{fmt}"
    if fmt == "gif":
        durations = [frame_ms] * (total - 1) + [max(frame_ms, hold_last_ms)]
        data = _gif_bytes(frames, durations, json.dumps({"frames": iso}))
    else:
        data = _mp4_bytes(frames, 1000.0 / frame_ms)
    return Export(name, _MIME[fmt], data, meta=meta)


# --------------------------------------------------------------------------- html

_INLINE_BASE = "frontline-inline://vendor"
_EXTERNAL_TAG = re.compile(
    r"<script\b[^>]*\bsrc\s*=|<link\b[^>]*\brel\s*=\s*[\"']?stylesheet|@import\b",
    re.IGNORECASE)


def export_html(timeline: Any, base: Any, on: str | dt.date,
                layers: Iterable[str] | None = None, *, online_tiles: bool = False,
                change: Any = None) -> Export:
    """Export the interactive map of ``on`` as one standalone HTML file that works offline.

    The map is :func:`views.folium_map.build_map`; every Leaflet/plugin script
    and stylesheet it links is replaced by its inlined content (CSS images as
    data: URIs), so the file opens from disk with no network.

    Parameters
    ----------
    timeline, base, on, layers
        As for :func:`views.folium_map.build_map`.
    online_tiles : bool
        Offer (unticked) OpenStreetMap tiles: the only URLs the file may fetch.
    change : mapping, optional
        Gained/lost ground to draw (see ``build_map``).

    Raises
    ------
    RuntimeError
        If a script or stylesheet is still linked after inlining (a new
        folium plugin whose asset is not vendored): the export would not work
        offline.
    """
    from views import assets
    from views.folium_map import build_map

    day = to_date(on)
    fmap = build_map(timeline, base, day, layers, asset_base_url=_INLINE_BASE,
                     online_tiles=online_tiles, change=change)
    html = fmap.get_root().render()
    for kind, _name, path in assets.asset_files():
        url = assets.asset_url(path.relative_to(assets.VENDOR_DIR).as_posix(), _INLINE_BASE)
        if kind == "js":
            code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
            pattern = r"<script\b[^>]*\bsrc=[\"']" + re.escape(url) + r"[\"'][^>]*>\s*</script>"
            html = re.sub(pattern, lambda _m, c=code: f"<script>{c}</script>", html)
        else:
            css = assets.inline_css(path).replace("</style", "<\\/style")
            pattern = r"<link\b[^>]*\bhref=[\"']" + re.escape(url) + r"[\"'][^>]*/?>"
            html = re.sub(pattern, lambda _m, c=css: f"<style>{c}</style>", html)
    leftover = _EXTERNAL_TAG.search(html)
    if leftover or _INLINE_BASE in html:
        where = html[leftover.start():leftover.start() + 160] if leftover else _INLINE_BASE
        raise RuntimeError(f"the standalone HTML still links an external asset: {where!r}; "
                           "vendor it in static/vendor and list it in views/assets.py")
    if not online_tiles and re.search(r"https?://[^\"']*\{z\}", html):
        raise RuntimeError("the standalone HTML requests map tiles although online tiles "
                           "were not asked for")
    title = f"<title>Kursk front line, {day.isoformat()}</title>"
    html = html.replace("<head>", "<head>\n    " + title, 1)
    return Export(f"frontline_{day.isoformat()}.html", _MIME["html"], html.encode("utf-8"))



# --------------------------------------------------------------------------- one front door

#: Every format :func:`build_exports` makes (``csv`` makes two files).
EXPORT_FORMATS = ("png", "svg", "pdf", "html", "geojson", "gpkg", "csv", "gif", "mp4")


def build_exports(fmt: str, timeline: Any, base: Any, on: str | dt.date,
                  layers: Iterable[str] | None = None, *, claims: pd.DataFrame | None = None,
                  view: Any = None,
                  width_px: int | None = None, height_px: int | None = None,
                  dpi: float | None = None, start: str | dt.date | None = None,
                  end: str | dt.date | None = None, frame_ms: int = 700,
                  online_tiles: bool = False,
                  progress: Callable[[int, int], None] | None = None) -> list[Export]:
    """Build the export(s) of one format: the single dispatcher the app and the CLI share.

    Parameters
    ----------
    fmt : str
        One of :data:`EXPORT_FORMATS`.
    timeline, base, on, layers
        The data, the base layers, the date and the layers to include.
    claims : pandas.DataFrame, optional
        The claims table (for ``csv``).
    view : geo.quantities.MapView, optional
        What the claims check reads (for ``csv``); without it, the timeline and border
        only (settlement counts from the facts are then not computed).
    width_px, height_px, dpi : optional
        Image and animation size (defaults: 1600x1000 at 150 dpi for a still image,
        1200x750 at 100 dpi for an animation).
    start, end, frame_ms, progress
        For ``gif``/``mp4`` (see :func:`export_animation`).
    online_tiles : bool
        For ``html``: include the optional online tile layer.

    Returns
    -------
    list of Export
        One export (two for ``csv``: the area table and the claims check).

    Raises
    ------
    ValueError
        For an unknown format (and the exporters' own errors).

    Examples
    --------
    >>> build_exports("tiff", None, None, "2024-09-01")
    Traceback (most recent call last):
    ...
    ValueError: format 'tiff' is not one of png, svg, pdf, html, geojson, gpkg, csv, gif, mp4
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    animated = fmt in ANIMATION_FORMATS
    size = {"width_px": width_px or (1200 if animated else 1600),
            "height_px": height_px or (750 if animated else 1000),
            "dpi": dpi or (100.0 if animated else 150.0)}
    if fmt in ("png", "svg", "pdf"):
        return [export_image(timeline, base, on, layers, fmt=fmt, **size)]
    if fmt == "html":
        return [export_html(timeline, base, on, layers, online_tiles=online_tiles)]
    if fmt == "geojson":
        return [export_geojson(timeline, on, layers)]
    if fmt == "gpkg":
        return [export_gpkg(timeline, on, layers)]
    if fmt == "csv":
        has_claims = claims is not None and len(claims)
        claims = claims if has_claims else pd.DataFrame(columns=CLAIM_COLUMNS)
        from geo.quantities import MapView

        view = view or MapView(timeline, base.border.union_all())
        return [export_csv_area_table(timeline, claims if has_claims else None),
                export_csv_claims(view, claims)]
    return [export_animation(timeline, base, start, end, layers, fmt=fmt, frame_ms=frame_ms,
                             progress=progress, **size)]
