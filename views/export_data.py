"""Data exports of one date: GeoJSON, GeoPackage and the CSV tables.

Each carries the provenance the format allows:

- GeoJSON: top-level ``title``, ``date``, ``attribution`` and ``sources`` (every
  source of the features, cited as a reader would: :func:`views.citation.cite`)
  members; each feature keeps its own ``sources`` list as stored.
- GeoPackage: an ``attribution`` table (``field``, ``value``: title, date,
  attribution, one row per source), and each layer table's description.
- CSV: two extra columns at the end, ``sources`` (the cited sources of the row)
  and ``attribution``. Columns, not ``#`` comment lines: a comment line is data to
  most CSV readers (spreadsheets, ``pandas.read_csv`` by default), while a column
  survives any tool and any subset of rows copied out.

With ``bbox``, the data exports keep the features that intersect the box, whole
(not clipped: their areas stay the features' own).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from geo.measurement import geodesic_area_km2
from layers.timeline import to_date
from views.citation import citations, cite
from views.export_file import ATTRIBUTION, MIME, Export, title_of
from views.render_frame import check_bbox, chosen_layers

__all__ = [
    "FEATURE_COLUMNS", "export_csv_area_table", "export_csv_claims", "export_geojson",
    "export_gpkg", "state_frame",
]

#: Columns every exported feature carries (plus geometry), in order.
FEATURE_COLUMNS = ["id", "layer", "status", "valid_from", "valid_to", "confidence", "name",
                   "kind", "sources", "notes", "file", "area_km2"]


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


def state_frame(timeline: Any, on: str | dt.date, layers: Iterable[str] | None = None,
                *, bbox: Sequence[float] | None = None) -> gpd.GeoDataFrame:
    """Return the features in force on ``on`` with plain, file-friendly columns.

    Columns :data:`FEATURE_COLUMNS` + geometry: dates as ISO strings
    (``valid_to`` None while in force), ``sources`` still a list of dicts,
    ``area_km2`` the feature's geodesic area (0.0 for points and lines). With
    ``bbox`` (lon/lat W, S, E, N), only the features intersecting it.

    Raises
    ------
    ValueError
        For a bad ``bbox`` (see :func:`views.render_frame.check_bbox`).

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
    >>> len(state_frame(tl, "2024-09-01", bbox=(34.0, 50.0, 34.5, 50.5)))
    0
    """
    view = shapely.box(*check_bbox(bbox)) if bbox is not None else None
    frames = [timeline.state(layer, on) for layer in chosen_layers(timeline, layers)]
    frames = [f for f in frames if len(f)]
    if view is not None:
        frames = [f[f.geometry.intersects(view)] for f in frames]
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


def export_geojson(timeline: Any, on: str | dt.date, layers: Iterable[str] | None = None,
                   *, outlets: Mapping[str, str] | None = None,
                   bbox: Sequence[float] | None = None) -> Export:
    """Export the features in force on ``on`` as one RFC 7946 FeatureCollection.

    Each feature keeps every property of the layer contract (so the file is a
    valid layer file again: ``layers.parse_layer_bytes`` reads it), with
    ``sources`` as a JSON array and dates as ISO strings, plus ``area_km2``.
    Coordinates are written at full precision. The collection carries
    ``title``, ``date``, ``attribution`` and ``sources`` (cited) members, and
    ``view_bbox`` when ``bbox`` selected the features.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="ukrainian_held", status="held",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=None, notes="$x$",
    ...     sources=[{"claim_maker": "ISW", "outlet": "ISW", "date": "2024-08-20"}],
    ...     geometry=box(35.0, 51.0, 35.1, 51.1))], crs="EPSG:4326"))
    >>> out = export_geojson(tl, "2024-09-01")
    >>> out.name, out.mime
    ('frontline_2024-09-01.geojson', 'application/geo+json')
    >>> doc = json.loads(out.data)
    >>> doc["features"][0]["properties"]["notes"], doc["sources"]
    ('$x$', ['ISW, 20 Aug 2024'])
    """
    day = to_date(on)
    frame = state_frame(timeline, day, layers, bbox=bbox)
    feats = []
    for row, geom in zip(frame.drop(columns="geometry").to_dict("records"), frame.geometry,
                         strict=True):
        feats.append({"type": "Feature", "properties": _clean(row),
                      "geometry": _clean(mapping(geom))})
    doc = {"type": "FeatureCollection", "name": f"frontline_{day.isoformat()}",
           "title": title_of(day), "date": day.isoformat(), "attribution": ATTRIBUTION,
           "sources": citations(frame["sources"], outlets)}
    if bbox is not None:
        doc["view_bbox"] = list(check_bbox(bbox))
    doc["features"] = feats
    data = json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=None).encode("utf-8")
    return Export(f"frontline_{day.isoformat()}.geojson", MIME["geojson"], data)


def attribution_table(day: dt.date, cited: list[str]) -> pd.DataFrame:
    """Return the GeoPackage's ``attribution`` table: title, date, attribution, then each source.

    Examples
    --------
    >>> attribution_table(dt.date(2024, 9, 1), ["ISW, 20 Aug 2024"])["field"].tolist()
    ['title', 'date', 'attribution', 'source']
    """
    rows = [("title", title_of(day)), ("date", day.isoformat()), ("attribution", ATTRIBUTION)]
    rows += [("source", c) for c in cited]
    return pd.DataFrame(rows, columns=["field", "value"])


def export_gpkg(timeline: Any, on: str | dt.date, layers: Iterable[str] | None = None,
                *, outlets: Mapping[str, str] | None = None,
                bbox: Sequence[float] | None = None) -> Export:
    """Export the features in force on ``on`` as a GeoPackage, one table per layer.

    Tables are named by layer id and hold only that layer's features in force
    (layers with none on that date get no table). Columns as
    :func:`state_frame`, with ``sources`` a JSON string and dates ISO strings;
    geometry type ``GEOMETRY`` so points and lines, polygons and multipolygons
    keep their own types. A non-spatial ``attribution`` table
    (:func:`attribution_table`) holds the title, date, basemap credit and the
    cited sources; each layer's description repeats the title and credit. The
    file's timestamps are the map date, so the same input gives the same bytes.
    """
    import pyogrio

    day = to_date(on)
    frame = state_frame(timeline, day, layers, bbox=bbox)
    cited = citations(frame["sources"], outlets)
    frame["sources"] = [json.dumps(s, ensure_ascii=False, sort_keys=True)
                        for s in frame["sources"]]
    stamp = f"{day.isoformat()}T00:00:00Z"
    describe = {"DESCRIPTION": f"{title_of(day)}. {ATTRIBUTION}"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.gpkg"
        previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": stamp})
        try:
            for layer, group in frame.groupby("layer", sort=False):
                group = group.reset_index(drop=True)
                pyogrio.write_dataframe(group, path, layer=str(layer), driver="GPKG",
                                        geometry_type="Unknown", append=path.exists(),
                                        layer_metadata=describe)
            if not path.exists():  # nothing in force: an empty, valid GeoPackage
                pyogrio.write_dataframe(frame, path, layer="empty", driver="GPKG",
                                        geometry_type="Unknown", layer_metadata=describe)
            pyogrio.write_dataframe(attribution_table(day, cited), path, layer="attribution",
                                    driver="GPKG", append=True)
        finally:
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
        data = path.read_bytes()
    return Export(f"frontline_{day.isoformat()}.gpkg", MIME["gpkg"], data)


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


def export_csv_area_table(timeline: Any, claims: pd.DataFrame | None = None, *,
                          outlets: Mapping[str, str] | None = None) -> Export:
    """Export :func:`geo.area_table.area_table` as CSV (km², 3 decimals; nearest claims).

    Two columns follow the table's own: ``sources`` (the row's layer and status
    on its date, cited, ``; ``-separated) and ``attribution``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="ukrainian_held", status="held",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=None,
    ...     sources=[{"claim_maker": "ISW", "outlet": "ISW", "date": "2024-08-07"}],
    ...     geometry=box(35.0, 51.0, 35.1, 51.1))], crs="EPSG:4326"))
    >>> header, row = export_csv_area_table(tl).data.decode().splitlines()
    >>> header
    'date,layer,status,area_km2,change_km2,sources,attribution'
    >>> row[:58]
    '2024-08-06,ukrainian_held,held,78.010,,"ISW, 7 Aug 2024",©'
    """
    from geo.area_table import area_table

    table = area_table(timeline, claims)
    cited = []
    for day, layer, status in zip(table["date"], table["layer"], table["status"],
                                  strict=True):
        state = timeline.state(layer, day)
        if "sources" in state and len(state):
            state = state[state["status"] == status]
        cited.append("; ".join(citations(state.get("sources", []), outlets)))
    table["sources"] = cited
    table["attribution"] = ATTRIBUTION
    return Export("frontline_area_table.csv", MIME["csv"], _csv_bytes(table))


def export_csv_claims(view: Any, claims: pd.DataFrame, *,
                      outlets: Mapping[str, str] | None = None) -> Export:
    """Export :func:`geo.claims_check.check_claims` as CSV: every claim beside the map's value.

    ``view`` is a :class:`geo.quantities.MapView` (the timeline, border and facts).
    Two columns follow the check's own: ``cited_as`` (the claim as a reader cites
    it: claim maker via outlet, date) and ``attribution``.
    """
    from geo.claims_check import check_claims

    table = check_claims(view, claims)
    table["cited_as"] = [cite({"claim_maker": m, "outlet": o, "date": d}, outlets)
                         for m, o, d in zip(table["claim_maker"], table["outlet"],
                                            table["date"], strict=True)]
    table["attribution"] = ATTRIBUTION
    return Export("frontline_claims_check.csv", MIME["csv"], _csv_bytes(table))
