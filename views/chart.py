"""The area-over-time chart: its series and a Vega-Lite spec (pure; no streamlit).

The spec is written out as a dict rather than built with Altair: it is three small
layers, and importing Altair costs ~0.25 s of CPU on the dashboard's cold start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo.measurement import fast_area_km2
from views.styles import UPLOAD_PREFIX, is_upload, style_for

__all__ = ["CHART_LABELS", "DERIVED_LABELS", "area_chart_spec", "area_series", "chart_colour",
           "chart_label", "chart_layers", "claims_for_chart", "series_key"]

#: Short layer names for the chart's legend, which must fit a ~330 px wide side panel.
CHART_LABELS = {
    "ukrainian_held": "Ukrainian-held", "sudzha_pocket": "Sudzha pocket",
    "contested": "Grey zone", "russian_claimed": "Russian claim",
    "ukrainian_claimed": "Ukrainian claim", "sumy_security_zone": "Sumy zone",
}


#: Lines of the ground published figures measure beyond one whole layer, keyed as the claims
#: table writes ``layers`` (joined by ``+``: a union) and, after a ``|``, ``statuses`` (only
#: those count): Kyiv's totals count held, contested and Ukraine's claimed ground; Russia's
#: "left to Ukraine" held and contested; the trackers' Sumy figures the zone's held part.
DERIVED_LABELS = {
    "ukrainian_held+contested": "Held + contested",
    "ukrainian_held+contested+ukrainian_claimed": "Held + contested + UA claim",
    "sumy_security_zone|held": "Sumy zone, held",
}
_DERIVED_COLOURS = {"ukrainian_held+contested": "#3a3a3a",
                    "ukrainian_held+contested+ukrainian_claimed": "#9a9a9a",
                    "sumy_security_zone|held": "#d4868a"}


def _key_parts(key: str) -> tuple[list[str], list[str | None]]:
    """Return the layers and statuses of a line (``[None]``: every status).

    A layer's own name is one layer, whatever it holds (an upload's may hold a ``+``).
    """
    if key not in DERIVED_LABELS:
        return [key], [None]
    layers, _, statuses = key.partition("|")
    return layers.split("+"), (statuses.split("+") if statuses else [None])


def series_key(layers: str, statuses: str = "") -> str:
    """Return the chart's line for a claim's ``layers`` and ``statuses`` columns.

    Examples
    --------
    >>> series_key("sumy_security_zone", "held"), series_key("ukrainian_held", "")
    ('sumy_security_zone|held', 'ukrainian_held')
    """
    return f"{layers}|{statuses}" if statuses else layers


def chart_label(layer: str) -> str:
    """Return the chart's short name of a layer (uploads keep their ``upload:`` prefix).

    Examples
    --------
    >>> chart_label("sumy_security_zone"), chart_label("upload: contested"), chart_label("x")
    ('Sumy zone', 'upload: Grey zone', 'x')
    >>> chart_label("ukrainian_held+contested")
    'Held + contested'
    """
    if is_upload(layer):
        return UPLOAD_PREFIX + chart_label(layer[len(UPLOAD_PREFIX):])
    return CHART_LABELS.get(layer, DERIVED_LABELS.get(layer, layer))


def chart_colour(layer: str) -> str:
    """Return the line colour of a layer or a derived line on the chart.

    Examples
    --------
    >>> chart_colour("ukrainian_held+contested")
    '#3a3a3a'
    """
    return _DERIVED_COLOURS.get(layer) or style_for(layer, "held")["line"]


def chart_layers(area_layers: Sequence[str]) -> list[str]:
    """Return what the chart draws: every area layer, then each derived line of them.

    Examples
    --------
    >>> chart_layers(["ukrainian_held", "contested"])
    ['ukrainian_held', 'contested', 'ukrainian_held+contested']
    """
    unions = [k for k in DERIVED_LABELS if set(_key_parts(k)[0]) <= set(area_layers)]
    return [*area_layers, *unions]

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def area_series(timeline: Any, layers: list[str]) -> pd.DataFrame:
    """Geodesic area of each layer (all statuses) on every date it changes.

    A line of :data:`DERIVED_LABELS` is measured as one: its area is that of the union of
    its layers (only the statuses it names) on every date one of them changes, each piece
    of ground counted once. Any other name is one layer, even with a ``+`` in it (an
    upload's).

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (datetime64), ``layer``, ``area_km2``; one extra row per layer
        at the timeline's end so a step chart runs to the last day.
    """
    rows, geoms = [], []

    def geometry(key: str, day):
        layers, statuses = _key_parts(key)
        parts = [timeline.geometry(layer, day, status) for layer in layers for status in statuses]
        return parts[0] if len(parts) == 1 else shapely.union_all(parts)

    for layer in layers:
        dates = sorted({d for part in _key_parts(layer)[0] for d in timeline.change_dates(part)})
        for day in dates:
            rows.append((day, layer))
            geoms.append(geometry(layer, day))
        if dates and dates[-1] < timeline.end:
            rows.append((timeline.end, layer))
            geoms.append(geometry(layer, timeline.end))
    frame = pd.DataFrame(rows, columns=["date", "layer"])
    frame["area_km2"] = np.asarray(fast_area_km2(geoms), dtype=float) if geoms else []
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def _field(name: str, kind: str, **extra) -> dict:
    """One Vega-Lite field definition (``kind``: nominal, temporal, quantitative)."""
    return {"field": name, "type": kind, **extra}


def claims_for_chart(claims: pd.DataFrame, layers: Sequence[str]) -> pd.DataFrame:
    """Return the claims to mark on the chart of ``layers``: areas of exactly one line.

    Only a claim whose quantity is ``area`` and whose ``layers`` and ``statuses`` are one
    charted line (:func:`series_key`, :func:`chart_layers`) is drawn beside it: a peak or
    a loss in a window measures something no line shows (the panel and the claims table
    compare those), and so does ground no line draws.

    Examples
    --------
    >>> claims = pd.DataFrame({"claim_id": ["a", "b", "c", "d"],
    ...     "unit": ["km2", "km2", "km", "km2"], "quantity": ["area", "area", "depth_from_border",
    ...     "peak_area"], "layers": ["ukrainian_held", "ukrainian_held+contested",
    ...     "ukrainian_held", "ukrainian_held"], "statuses": [""] * 4, "claim_maker": ["x"] * 4,
    ...     "outlet": ["o"] * 4, "figure": [1.0, 2.0, 3.0, 4.0],
    ...     "date": pd.to_datetime(["2024-08-12"] * 4)})
    >>> claims_for_chart(claims, ["ukrainian_held"])[["claim_id", "plot_layer"]].values.tolist()
    [['a', 'ukrainian_held']]
    """
    km2 = claims[(claims["unit"] == "km2") & (claims["quantity"] == "area")].copy()
    statuses = (km2["statuses"].fillna("").astype(str) if "statuses" in km2
                else pd.Series("", index=km2.index))
    km2["plot_layer"] = [series_key(str(lay), st)
                         for lay, st in zip(km2["layers"], statuses, strict=True)]
    km2["layer"] = km2["layers"]
    return km2[km2["plot_layer"].isin(list(layers))]


def area_chart_spec(series: pd.DataFrame, claims: pd.DataFrame, layers: Sequence[str],
                    label: Callable[[str], str], colour: Callable[[str], str], *,
                    height: int = 290) -> dict:
    """Vega-Lite spec of the area chart with named datasets; the same for every date.

    Lines are each layer's geodesic area (km²) over time, diamonds the published
    claims, and a dashed rule the date shown, read from a one-row dataset
    ``today`` that the caller adds (so scrubbing changes only that dataset).

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``date``, ``layer``, ``area_km2`` (e.g. :func:`area_series`).
    claims : pandas.DataFrame
        The claims table (``layers.claims.CLAIM_COLUMNS``).
    layers : sequence of str
        The layers drawn, in legend order.
    label, colour : callable
        Layer id to legend label, and to line colour.
    height : int
        Pixels.

    Returns
    -------
    dict
        A Vega-Lite spec whose ``datasets`` holds ``series`` and ``claims``.

    Examples
    --------
    >>> ser = pd.DataFrame({"date": pd.to_datetime(["2024-08-06", "2024-08-12"]),
    ...     "layer": ["ukrainian_held"] * 2, "area_km2": [140.0, 855.0]})
    >>> spec = area_chart_spec(ser, pd.DataFrame(columns=["unit", "layer"]),
    ...     ["ukrainian_held"], str.upper, lambda _layer: "#1f4e9c")
    >>> sorted(spec["datasets"]), [layer["mark"]["type"] for layer in spec["layer"]]
    (['claims', 'series'], ['line', 'point', 'rule'])
    >>> spec["layer"][0]["encoding"]["color"]["scale"]
    {'domain': ['UKRAINIAN_HELD'], 'range': ['#1f4e9c']}
    """
    ser = series.copy()
    ser["label"] = ser["layer"].map(label)
    labels = [label(x) for x in layers]
    scale = {"domain": labels, "range": [colour(x) for x in layers]}
    lines = {
        "data": {"name": "series"},
        "mark": {"type": "line", "interpolate": "step-after"},
        "encoding": {
            "x": _field("date", "temporal", title=None),
            "y": _field("area_km2", "quantitative", title="area (km²)"),
            "color": _field("label", "nominal", scale=scale,
                            legend={"orient": "bottom", "title": None, "columns": 3,
                                    "labelLimit": 0, "columnPadding": 10}),
            "tooltip": [_field("label", "nominal", title="layer"), _field("date", "temporal"),
                        _field("area_km2", "quantitative", format=",.0f", title="km²")]}}
    km2 = claims_for_chart(claims, layers) if len(claims) else pd.DataFrame(
        columns=["claim_id", "claim_maker", "outlet", "date", "figure", "layer", "plot_layer"])
    km2 = km2.assign(label=km2["plot_layer"].map(label), date=pd.to_datetime(km2["date"]))
    km2 = km2[["claim_id", "claim_maker", "outlet", "date", "figure", "layer", "label"]]
    points = {
        "data": {"name": "claims"},
        "mark": {"type": "point", "filled": True, "shape": "diamond", "size": 45},
        "encoding": {
            "x": _field("date", "temporal"),
            "y": _field("figure", "quantitative"),
            "color": _field("label", "nominal", scale=scale),
            "tooltip": [_field("claim_id", "nominal"), _field("claim_maker", "nominal"),
                        _field("outlet", "nominal"), _field("layer", "nominal", title="measures"),
                        _field("date", "temporal"),
                        _field("figure", "quantitative", format=",.0f", title="km²")]}}
    rule = {
        "data": {"name": "today"},
        "mark": {"type": "rule", "color": "#d62728", "strokeDash": [4, 3]},
        "encoding": {"x": _field("date", "temporal")}}
    return {"$schema": VEGA_LITE_SCHEMA, "height": height, "layer": [lines, points, rule],
            "datasets": {"series": ser[["date", "layer", "area_km2", "label"]], "claims": km2}}
