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

from geo.change import diff_states
from geo.measurement import fast_area_km2, geodesic_area_km2
from geo.quantities import settlements_in
from geo.settlements import count_within, settlements_within

__all__ = ["area_series", "control_counts", "events_on", "held_and_contested", "md_escape",
           "plural", "published_count", "state_figures", "week_figures"]

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


def week_figures(checked: pd.DataFrame, layers: str, on: dt.date, days: int = 7
                 ) -> list[dict]:
    """Return the published area figures of exactly ``layers`` within ``days`` of ``on``.

    ``checked`` is the claims check (:func:`geo.claims_check.check_claims`): each row
    already holds the map's value of the same quantity on the claim's own date, so the
    panel shows the one computation the claims table shows.

    Returns
    -------
    list of dict
        Nearest first: ``who`` (claim maker and date), ``measures``, ``figure``, ``map``,
        ``difference`` (texts), ``verdict`` and ``days_apart`` (int).

    Examples
    --------
    >>> checked = pd.DataFrame({"quantity": ["area", "peak_area"], "layers": ["contested"] * 2,
    ...     "date": [dt.date(2024, 8, 10)] * 2, "claim_maker": ["x", "y"],
    ...     "measures": ["grey zone", "peak"], "figure_text": ["100 km²"] * 2,
    ...     "map_text": ["78.0 km²"] * 2, "difference_text": ["-22.0 (-22.0 %)"] * 2,
    ...     "verdict": ["no tolerance set: the map is 22.0 % lower"] * 2})
    >>> [f["who"] for f in week_figures(checked, "contested", dt.date(2024, 8, 11))]
    ['x, 10 Aug 2024']
    >>> week_figures(checked, "contested", dt.date(2024, 8, 30))
    []
    """
    if checked is None or not len(checked):
        return []
    rows = checked[(checked["quantity"] == "area") & (checked["layers"] == layers)]
    out = []
    for _, r in rows.iterrows():
        apart = abs((r["date"] - on).days) if r["date"] is not None else days + 1
        if apart <= days:
            out.append({"who": f"{r['claim_maker']}, {r['date'].day} {r['date']:%b %Y}",
                        "measures": r["measures"], "figure": r["figure_text"],
                        "map": r["map_text"], "difference": r["difference_text"],
                        "verdict": r["verdict"], "days_apart": apart})
    return sorted(out, key=lambda f: f["days_apart"])


def plural(n: int, word: str) -> str:
    """Return ``1 day``, ``2 days``: a count with its noun.

    Examples
    --------
    >>> plural(1, "day"), plural(0, "settlement"), plural(3, "settlement")
    ('1 day', '0 settlements', '3 settlements')
    """
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


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
    out = {layer: settlements_in(controls, places, [layer])
           for layer in ("ukrainian_held", "contested", "sudzha_pocket", "sumy_security_zone")}
    for side in ("russian", "ukrainian"):
        out[f"{side}_claimed"] = [n for n in sorted(controls) if side in controls[n].claimed_by]
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
    >>> claims = pd.DataFrame({"quantity": ["settlements_held"], "layers": ["ukrainian_held"],
    ...     "date": [dt.date(2024, 8, 27)], "figure": [100.0], "claim_maker": ["Syrskyi"],
    ...     "outlet": ["Kyiv Independent"]})
    >>> published_count(claims, dt.date(2024, 8, 30))["figure"]
    100.0
    >>> published_count(claims, dt.date(2024, 9, 10)) is None
    True
    """
    if claims is None or not len(claims):
        return None
    rows = claims[(claims["quantity"] == "settlements_held")
                  & (claims["layers"] == "ukrainian_held")]
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
