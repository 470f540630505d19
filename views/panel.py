"""The side panel's figures for one date: pure functions over a timeline and the claims.

Numbers come from :mod:`geo` (geodesic km² on the WGS84 ellipsoid); the app only
lays them out. Nothing here imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo.area_table import nearest_claim
from geo.change import diff_states
from geo.measurement import fast_area_km2, geodesic_area_km2
from geo.settlements import count_within, settlements_within

__all__ = ["area_series", "claim_figures", "control_counts", "events_on", "held_and_contested",
           "md_escape", "published_count", "state_figures"]

# What Markdown (and Streamlit's extensions) could turn into a link, an image, HTML,
# maths or colour. Dots, hyphens and underscores inside words stay readable.
_MD_SPECIAL = re.compile(r"([\\`*\[\]()#!|<>~$])")


def md_escape(text: Any) -> str:
    r"""Escape Markdown (and Streamlit's ``:colour[...]``, ``$math$``) in data text.

    Examples
    --------
    >>> print(md_escape("![x](http://a) <b> a_b.geojson"))
    \!\[x\]\(http://a\) \<b\> a_b.geojson
    """
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def state_figures(timeline: Any, layer: str, on: dt.date, settlements: Any = None) -> dict:
    """Area of ``layer`` on ``on`` and its change since the previous state.

    Returns
    -------
    dict
        ``area_km2`` (geodesic), ``since`` (first day of the current state or None),
        ``previous`` (first day of the previous state or None), ``change``
        (:class:`geo.change.Change` from the previous state, or None),
        ``settlements`` (count covered, or None without a gazetteer) and
        ``settlement_names`` (list of str).
    """
    geom = timeline.geometry(layer, on)
    prev = timeline.previous_change(layer, on)
    change = diff_states(timeline.geometry(layer, prev), geom) if prev is not None else None
    names: list[str] = []
    count = None
    if settlements is not None:
        count = count_within(settlements, geom)
        if count:
            names = [str(n) for n in settlements_within(settlements, geom)["name"]]
    return {"area_km2": geodesic_area_km2(geom), "since": timeline.segment_start(layer, on),
            "previous": prev, "change": change, "settlements": count,
            "settlement_names": names}


def claim_figures(timeline: Any, claims: pd.DataFrame | None, layer: str, on: dt.date
                  ) -> dict | None:
    """Return the area claim nearest ``on`` for ``layer``, against the map ON THE CLAIM'S DATE.

    A claim is compared with the layer as the map draws it on the day the claim
    was made (not on ``on``, which may be months away); ``days_apart`` says how
    far the claim is from the selected date. None when no km² claim names the layer.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="contested", status="contested",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=None, geometry=box(35, 51, 35.1, 51.1))],
    ...     crs="EPSG:4326"))
    >>> claims = pd.DataFrame({"claim_id": ["a"], "unit": ["km2"], "layer": ["contested"],
    ...     "status": [""], "figure": [100.0], "date": [dt.date(2024, 8, 10)],
    ...     "claim_maker": ["x"], "outlet": ["y"]})
    >>> f = claim_figures(tl, claims, "contested", dt.date(2024, 8, 20))
    >>> round(f["map_km2"], 1), round(f["diff_km2"], 1), f["days_apart"]
    (78.0, -22.0, 10)
    """
    if claims is None or not len(claims):
        return None
    row = nearest_claim(claims, layer, on)
    if row is None:
        return None
    claim_day = row.get("date")
    status = row.get("status") if isinstance(row.get("status"), str) and row.get("status") \
        else None
    map_km2 = geodesic_area_km2(timeline.geometry(layer, claim_day, status))
    figure = float(row["figure"])
    diff = map_km2 - figure
    return {"claim_id": row.get("claim_id"), "date": claim_day,
            "claim_maker": row.get("claim_maker"), "outlet": row.get("outlet"),
            "figure_km2": figure, "map_km2": map_km2, "diff_km2": diff,
            "diff_pct": 100.0 * diff / figure if figure else np.nan,
            "days_apart": abs((claim_day - on).days)}


def events_on(timeline: Any, on: dt.date) -> pd.DataFrame:
    """Return the events in force on ``on`` (``today`` is True for those starting that day)."""
    if not timeline.has_layer("events"):
        return pd.DataFrame(columns=["today", "valid_from", "kind", "name", "confidence"])
    state = timeline.state("events", on)
    out = pd.DataFrame({
        "today": [d == on for d in state["valid_from"]],
        "valid_from": list(state["valid_from"]),
        "kind": list(state.get("kind", [""] * len(state))),
        "name": [n if isinstance(n, str) and n else i
                 for n, i in zip(state.get("name", state["id"]), state["id"], strict=True)],
        "confidence": list(state["confidence"]),
    })
    return out.sort_values(["today", "valid_from"], ascending=[False, False]).reset_index(
        drop=True)


def area_series(timeline: Any, layers: list[str]) -> pd.DataFrame:
    """Geodesic area of each layer (all statuses) on every date it changes.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (datetime64), ``layer``, ``area_km2``; one extra row per layer
        at the timeline's end so a step chart runs to the last day.
    """
    rows, geoms = [], []
    for layer in layers:
        dates = timeline.change_dates(layer)
        for day in dates:
            rows.append((day, layer))
            geoms.append(timeline.geometry(layer, day))
        if dates and dates[-1] < timeline.end:
            rows.append((timeline.end, layer))
            geoms.append(timeline.geometry(layer, timeline.end))
    frame = pd.DataFrame(rows, columns=["date", "layer"])
    frame["area_km2"] = np.asarray(fast_area_km2(geoms), dtype=float) if geoms else []
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


#: Which resolved controls, in which country, each layer's settlements have.
_LAYER_CONTROL = {"ukrainian_held": ("RUS", {"ukrainian"}),
                  "contested": ("RUS", {"contested"}),
                  "sudzha_pocket": ("RUS", {"ukrainian", "contested"}),
                  "sumy_security_zone": ("UKR", {"russian", "contested"})}


def control_counts(controls: Mapping, places: Mapping) -> dict[str, list[str]]:
    """Settlements each area layer stands for on the day, from the resolved controls.

    ``russian_claimed`` / ``ukrainian_claimed`` list the places that side claims.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> ctl = {"A": S(status="ukrainian", claimed_by=()),
    ...        "B": S(status="contested", claimed_by=("russian",))}
    >>> pl = {"A": S(country="RUS"), "B": S(country="RUS")}
    >>> out = control_counts(ctl, pl)
    >>> out["ukrainian_held"], out["contested"], out["russian_claimed"]
    (['A'], ['B'], ['B'])
    """
    out: dict[str, list[str]] = {layer: [] for layer in _LAYER_CONTROL}
    out["russian_claimed"], out["ukrainian_claimed"] = [], []
    for name in sorted(controls):
        c = controls[name]
        for layer, (iso, statuses) in _LAYER_CONTROL.items():
            if places[name].country == iso and c.status in statuses:
                out[layer].append(name)
        for side in c.claimed_by:
            out[f"{side}_claimed"].append(name)
    return out


def held_and_contested(timeline: Any, on: dt.date) -> dict[str, float]:
    """Kursk oblast on ``on``: held, contested and their union (geodesic km²).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> rows = [dict(id=i, layer=layer, status=st, valid_from=dt.date(2024, 8, 6),
    ...              valid_to=None, geometry=g) for i, layer, st, g in [
    ...     ("a", "ukrainian_held", "held", box(35.0, 51.0, 35.1, 51.1)),
    ...     ("b", "contested", "contested", box(35.1, 51.0, 35.2, 51.1))]]
    >>> f = held_and_contested(Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326")),
    ...                        dt.date(2024, 9, 1))
    >>> round(f["held"]), round(f["contested"]), round(f["both"])
    (78, 78, 156)
    """
    held = timeline.geometry("ukrainian_held", on) if timeline.has_layer(
        "ukrainian_held") else shapely.Polygon()
    cont = timeline.geometry("contested", on) if timeline.has_layer(
        "contested") else shapely.Polygon()
    return {"held": geodesic_area_km2(held), "contested": geodesic_area_km2(cont),
            "both": geodesic_area_km2(shapely.union_all([held, cont]))}


def published_count(claims: pd.DataFrame | None, on: dt.date, days: int = 7) -> dict | None:
    """Return the published settlement count nearest ``on`` within ``days`` (or None).

    Examples
    --------
    >>> claims = pd.DataFrame({"unit": ["settlements"], "layer": ["ukrainian_held"],
    ...     "date": [dt.date(2024, 8, 27)], "figure": [100.0], "claim_maker": ["Syrskyi"],
    ...     "outlet": ["Kyiv Independent"]})
    >>> published_count(claims, dt.date(2024, 8, 30))["figure"]
    100.0
    >>> published_count(claims, dt.date(2024, 9, 10)) is None
    True
    """
    if claims is None or not len(claims):
        return None
    rows = claims[(claims["unit"] == "settlements") & (claims["layer"] == "ukrainian_held")]
    if not len(rows):
        return None
    apart = rows["date"].map(lambda d: abs((d - on).days))
    rows = rows[apart <= days]
    if not len(rows):
        return None
    row = rows.loc[apart[rows.index].idxmin()]
    return {"figure": float(row["figure"]), "date": row["date"],
            "claim_maker": row["claim_maker"], "outlet": row["outlet"],
            "days_apart": abs((row["date"] - on).days)}
