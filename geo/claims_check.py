"""Each published claim beside what the map computes for the same layer on the claim's date."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.area_table import TimelineLike, _text, as_date
from geo.measurement import geodesic_area_km2, geodesic_length_km, max_depth_km
from geo.settlements import count_within

__all__ = ["CHECK_COLUMNS", "check_claims"]

#: Columns of :func:`check_claims`, in order.
CHECK_COLUMNS = ["claim_id", "date", "claim_maker", "outlet", "measures", "layer", "status",
                 "figure", "unit", "computed", "diff", "diff_pct", "tolerance_pct", "within",
                 "note"]


def _has_layer(timeline: Any, layer: str) -> bool:
    has = getattr(timeline, "has_layer", None)
    if callable(has):
        return bool(has(layer))
    return layer in getattr(timeline, "layers", timeline.area_layers)


def _first_change(timeline: Any, layer: str):
    dates = timeline.change_dates(layer)
    return dates[0] if dates else None


#: Border beyond this many degrees of the area is ignored when measuring depth (exact
#: while the depth is well under the margin: ~70 km at 51°N; checked, else the full border).
_DEPTH_MARGIN_DEG = 1.0


def _depth_km(area: BaseGeometry, border: BaseGeometry) -> float:
    """Return :func:`max_depth_km` of ``area`` from the part of ``border`` near it (fast)."""
    minx, miny, maxx, maxy = area.bounds
    m = _DEPTH_MARGIN_DEG
    near = shapely.clip_by_rect(border, minx - m, miny - m, maxx + m, maxy + m)
    if not near.is_empty:
        depth = max_depth_km(area, near)
        if depth < 35.0:  # far inside the margin: no farther border part can be nearer
            return depth
    return max_depth_km(area, border)


def check_claims(timeline: TimelineLike, claims: pd.DataFrame,
                 settlements: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
                 border: BaseGeometry | None = None) -> pd.DataFrame:
    """Compare every claim with the map's figure for the same layer on the claim's date.

    - ``unit == "km2"`` with a layer: the geodesic area (km²) of
      ``timeline.geometry(layer, claim date, status or None)``. A layer written
      ``"a+b"`` means the union of layers ``a`` and ``b`` (e.g. Kyiv's total
      claim against ``ukrainian_held+ukrainian_claimed``).
    - ``unit == "settlements"`` with a layer and ``settlements`` given: how many
      settlement points that geometry covers.
    - ``unit == "km"`` whose ``measures`` says "depth": how far the layer reaches
      from ``border`` (:func:`geo.measurement.max_depth_km`); "length": the
      geodesic length of the layer's lines in force (e.g. the pipeline route).
    - Anything else (other units, no layer, layer not loaded): ``computed`` is NaN
      and ``note`` says why.

    Parameters
    ----------
    timeline : TimelineLike
        E.g. ``layers.Timeline`` (duck-typed: ``geometry``, ``change_dates``,
        ``area_layers`` and, if present, ``has_layer``/``layers``).
    claims : pandas.DataFrame
        Columns as ``layers.claims.CLAIM_COLUMNS``.
    settlements : geopandas.GeoDataFrame or GeoSeries, optional
        Gazetteer points, lon/lat.
    border : shapely geometry, optional
        The state border (lon/lat lines), for depth claims.

    Returns
    -------
    pandas.DataFrame
        One row per claim, columns :data:`CHECK_COLUMNS`. ``diff`` = computed -
        figure, ``diff_pct`` relative to the figure. ``within`` (nullable
        boolean) is ``abs(diff_pct) <= tolerance_pct``, or ``<NA>`` when the
        claim has no tolerance (shown for context) or nothing was computed.

    Examples
    --------
    >>> import datetime as dt
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="ukrainian_held", status="held",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=None,
    ...     geometry=box(35.0, 51.0, 35.1, 51.1))], crs="EPSG:4326"))
    >>> claims = pd.DataFrame({"claim_id": ["c1"], "date": [dt.date(2024, 8, 12)],
    ...     "claim_maker": ["x"], "side": ["UA"], "figure": [80.0], "unit": ["km2"],
    ...     "measures": ["held"], "layer": ["ukrainian_held"], "status": [""],
    ...     "tolerance_pct": [5.0], "outlet": ["o"], "source_ref": [""], "notes": [""]})
    >>> row = check_claims(tl, claims).iloc[0]
    >>> float(round(row["computed"], 2)), float(round(row["diff_pct"], 2)), bool(row["within"])
    (78.01, -2.49, True)
    """
    records = []
    for _, claim in claims.iterrows():
        layer = _text(claim.get("layer"))
        status = _text(claim.get("status")) or None
        unit = _text(claim.get("unit")).lower()
        day = as_date(claim.get("date"))
        figure = float(claim["figure"]) if pd.notna(claim.get("figure")) else np.nan
        tol = claim.get("tolerance_pct")
        tol = float(tol) if tol is not None and pd.notna(tol) else np.nan
        computed, note = np.nan, ""
        said = _text(claim.get("measures"))
        measures = said.lower()
        km_kind = ("depth" if "depth" in measures else
                   "length" if "length" in measures else "") if unit == "km" else ""
        if unit not in ("km2", "settlements") and not km_kind:
            note = f"unit {unit!r} ({said or 'unspecified'}) is not computed from the map"
        elif not layer:
            note = "no layer given: the claim is not tied to a map layer"
        elif day is None:
            note = "no date: cannot pick the map's state"
        elif missing := [n for n in layer.split("+") if not _has_layer(timeline, n)]:
            note = f"layer {missing[0]!r} is not in the timeline (no features loaded for it)"
        elif unit == "settlements" and settlements is None:
            note = "no settlements gazetteer given"
        elif km_kind == "depth" and border is None:
            note = "no border given: depth is measured from the state border"
        else:
            # "a+b": the claim measures the union of several layers (e.g. our held
            # estimate plus the band one side claims beyond it).
            geom = shapely.union_all([timeline.geometry(n, day, status)
                                      for n in layer.split("+")])
            if unit == "km2":
                computed = geodesic_area_km2(geom)
            elif unit == "settlements":
                computed = float(count_within(settlements, geom))
            elif km_kind == "depth":  # how far the layer reaches from the state border
                computed = _depth_km(geom, border) if not geom.is_empty else np.nan
            else:  # length of the layer's lines in force (e.g. the pipeline route)
                lines = [g for g in shapely.get_parts(geom)
                         if g.geom_type in ("LineString", "MultiLineString")]
                computed = sum(geodesic_length_km(g) for g in lines) if lines else np.nan
            first = min(filter(None, (_first_change(timeline, n) for n in layer.split("+"))),
                        default=None)
            if first is not None and day < first:
                note = f"claim date is before the layer's first state ({first.isoformat()})"
        diff = computed - figure
        pct = 100.0 * diff / figure if figure and not np.isnan(figure) else np.nan
        within = (pd.NA if np.isnan(tol) or np.isnan(pct) else bool(abs(pct) <= tol))
        records.append({
            "claim_id": claim.get("claim_id"), "date": day,
            "claim_maker": claim.get("claim_maker"), "outlet": claim.get("outlet"),
            "measures": claim.get("measures"), "layer": layer, "status": status or "",
            "figure": figure, "unit": unit, "computed": computed, "diff": diff,
            "diff_pct": pct, "tolerance_pct": tol, "within": within, "note": note,
        })
    out = pd.DataFrame.from_records(records, columns=CHECK_COLUMNS)
    out["date"] = out["date"].astype(object)
    for col in ("figure", "computed", "diff", "diff_pct", "tolerance_pct"):
        out[col] = out[col].astype(float)
    out["within"] = out["within"].astype("boolean")
    return out
