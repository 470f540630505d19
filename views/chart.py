"""The area-over-time chart: a Vega-Lite spec built with Altair (pure; no streamlit)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt
import pandas as pd

__all__ = ["area_chart_spec", "claims_for_chart"]


def claims_for_chart(claims: pd.DataFrame, layers: Sequence[str]) -> pd.DataFrame:
    """Return the km² claims to mark on the chart of ``layers``.

    A claim about a union of layers (``"ukrainian_held+ukrainian_claimed"``) is
    drawn on the first layer of the union; ``layer`` keeps the whole expression.

    Examples
    --------
    >>> claims = pd.DataFrame({"claim_id": ["a", "b", "c"], "unit": ["km2", "km2", "km"],
    ...     "layer": ["ukrainian_held", "ukrainian_held+ukrainian_claimed", "ukrainian_held"],
    ...     "claim_maker": ["x"] * 3, "outlet": ["o"] * 3, "figure": [1.0, 2.0, 3.0],
    ...     "date": pd.to_datetime(["2024-08-12"] * 3)})
    >>> claims_for_chart(claims, ["ukrainian_held"])[["claim_id", "plot_layer"]].values.tolist()
    [['a', 'ukrainian_held'], ['b', 'ukrainian_held']]
    """
    km2 = claims[claims["unit"] == "km2"].copy()
    km2["plot_layer"] = km2["layer"].astype(str).str.split("+").str[0]
    return km2[km2["plot_layer"].isin(list(layers))]


def area_chart_spec(series: pd.DataFrame, claims: pd.DataFrame, layers: Sequence[str],
                    label: Callable[[str], str], colour: Callable[[str], str], *,
                    height: int = 240) -> dict:
    """Vega-Lite spec of the area chart with named datasets; the same for every date.

    Lines are each layer's geodesic area (km²) over time, diamonds the published
    claims, and a dashed rule the date shown, read from a one-row dataset
    ``today`` that the caller adds (so scrubbing changes only that dataset).

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``date``, ``layer``, ``area_km2`` (e.g. :func:`views.panel.area_series`).
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
    >>> sorted(spec["datasets"]), len(spec["layer"])
    (['claims', 'series'], 3)
    """
    ser = series.copy()
    ser["label"] = ser["layer"].map(label)
    labels = [label(x) for x in layers]
    scale = alt.Scale(domain=labels, range=[colour(x) for x in layers])
    lines = alt.Chart(alt.NamedData("series")).mark_line(interpolate="step-after").encode(
        x=alt.X("date:T", title=None), y=alt.Y("area_km2:Q", title="area (km²)"),
        color=alt.Color("label:N", scale=scale, legend=alt.Legend(orient="bottom", title=None)),
        tooltip=[alt.Tooltip("label:N", title="layer"), alt.Tooltip("date:T"),
                 alt.Tooltip("area_km2:Q", format=",.0f", title="km²")])
    km2 = claims_for_chart(claims, layers) if len(claims) else pd.DataFrame(
        columns=["claim_id", "claim_maker", "outlet", "date", "figure", "layer", "plot_layer"])
    km2 = km2.assign(label=km2["plot_layer"].map(label), date=pd.to_datetime(km2["date"]))
    km2 = km2[["claim_id", "claim_maker", "outlet", "date", "figure", "layer", "label"]]
    points = alt.Chart(alt.NamedData("claims")).mark_point(
        filled=True, size=45, shape="diamond").encode(
        x="date:T", y="figure:Q", color=alt.Color("label:N", scale=scale),
        tooltip=["claim_id:N", "claim_maker:N", "outlet:N",
                 alt.Tooltip("layer:N", title="measures"), alt.Tooltip("date:T"),
                 alt.Tooltip("figure:Q", format=",.0f", title="km²")])
    rule = alt.Chart(alt.NamedData("today")).mark_rule(
        color="#d62728", strokeDash=[4, 3]).encode(x="date:T")
    spec = alt.layer(lines, points, rule).properties(height=height).to_dict()
    spec["datasets"] = {"series": ser[["date", "layer", "area_km2", "label"]], "claims": km2}
    return spec
