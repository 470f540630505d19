"""Snapshots of the map as files: the one front door the dashboard and the CLI share.

:func:`build_exports` dispatches a format to the module that makes it:

- :mod:`views.export_images`: PNG/SVG/PDF stills, GIF/MP4 animations;
- :mod:`views.export_html`: the standalone, offline HTML map;
- :mod:`views.export_data`: GeoJSON, GeoPackage and the CSV tables.

Every exporter is a function of in-memory data that returns an
:class:`views.export_file.Export` (bytes, suggested file name, MIME type);
writing files is the CLI's job (:mod:`frontline_cli.output_paths`). The
per-format functions are re-exported here for callers that want one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd

from layers.claims import CLAIM_COLUMNS
from views.export_data import (
    FEATURE_COLUMNS,
    export_csv_area_table,
    export_csv_claims,
    export_geojson,
    export_gpkg,
    state_frame,
)
from views.export_file import MIME, Export, ExportUnavailableError
from views.export_html import export_html
from views.export_images import (
    ANIMATION_FORMATS,
    animation_dates,
    export_animation,
    export_image,
    mp4_available,
)

__all__ = [
    "ANIMATION_FORMATS", "EXPORT_FORMATS", "FEATURE_COLUMNS", "MIME", "Export",
    "ExportUnavailableError", "animation_dates", "build_exports", "export_animation",
    "export_csv_area_table", "export_csv_claims", "export_geojson", "export_gpkg",
    "export_html", "export_image", "mp4_available", "state_frame",
]

#: Every format :func:`build_exports` makes (``csv`` makes two files).
EXPORT_FORMATS = ("png", "svg", "pdf", "html", "geojson", "gpkg", "csv", "gif", "mp4")


def build_exports(fmt: str, timeline: Any, base: Any, on: str | dt.date,
                  layers: Iterable[str] | None = None, *, claims: pd.DataFrame | None = None,
                  view: Any = None,
                  width_px: int | None = None, height_px: int | None = None,
                  dpi: float | None = None, start: str | dt.date | None = None,
                  end: str | dt.date | None = None, frame_ms: int = 700,
                  online_tiles: bool = False,
                  progress: Callable[[int, int], None] | None = None,
                  bbox: Sequence[float] | None = None) -> list[Export]:
    """Build the export(s) of one format: the single dispatcher the app and the CLI share.

    Parameters
    ----------
    fmt : str
        One of :data:`EXPORT_FORMATS`.
    timeline, base, on, layers
        The data, the base layers (their ``outlets`` name the sources' outlets),
        the date and the layers to include.
    claims : pandas.DataFrame, optional
        The claims table (for ``csv``).
    view : geo.quantities.MapView, optional
        What the claims check reads (for ``csv``); without it, the timeline and border
        only (settlement counts from the facts are then not computed).
    width_px, height_px, dpi : optional
        Image and animation size (defaults: 1600x1000 at 150 dpi for a still image,
        1200x750 at 100 dpi for an animation).
    start, end, frame_ms, progress
        For ``gif``/``mp4`` (see :func:`views.export_images.export_animation`).
    online_tiles : bool
        For ``html``: include the optional online tile layer.
    bbox : sequence of 4 float, optional
        ``(lon_min, lat_min, lon_max, lat_max)``, degrees: the view to export (the
        dashboard passes the map's current bounds). Images, animations and HTML show
        it; GeoJSON and GeoPackage keep the features intersecting it. Default: the
        images fit what is drawn on the date; the data files hold every feature.

    Returns
    -------
    list of Export
        One export (two for ``csv``: the area table and the claims check).

    Raises
    ------
    ValueError
        For an unknown format or a bad ``bbox`` (and the exporters' own errors).

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
    outlets = getattr(base, "outlets", None) or {}
    if fmt in ("png", "svg", "pdf"):
        return [export_image(timeline, base, on, layers, fmt=fmt, bbox=bbox, **size)]
    if fmt == "html":
        return [export_html(timeline, base, on, layers, online_tiles=online_tiles, bbox=bbox,
                            outlets=outlets)]
    if fmt == "geojson":
        return [export_geojson(timeline, on, layers, outlets=outlets, bbox=bbox)]
    if fmt == "gpkg":
        return [export_gpkg(timeline, on, layers, outlets=outlets, bbox=bbox)]
    if fmt == "csv":
        has_claims = claims is not None and len(claims)
        claims = claims if has_claims else pd.DataFrame(columns=CLAIM_COLUMNS)
        from geo.quantities import MapView

        view = view or MapView(timeline, base.border.union_all())
        return [export_csv_area_table(timeline, claims if has_claims else None,
                                      outlets=outlets),
                export_csv_claims(view, claims, outlets=outlets)]
    return [export_animation(timeline, base, start, end, layers, fmt=fmt, frame_ms=frame_ms,
                             progress=progress, bbox=bbox, **size)]
