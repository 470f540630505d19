"""Each published claim beside the map's value of the quantity it measures.

Pure. One computation for every consumer: ``frontline claims``, ``frontline check`` (its
required rows), the dashboard's claims table and panel, and the tests all read
:func:`check_claims`. Each row's quantity, layers, statuses and window come from the
claims table (:mod:`geo.quantities` computes them); nothing is paired by guesswork.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from geo.area_table import _text, as_date
from geo.quantities import QUANTITIES, UNITS, MapView, Request, measure, with_contested

__all__ = ["CHECK_COLUMNS", "check_claims", "contested_text", "difference_text", "verdict"]

#: Columns of :func:`check_claims`: what a reader needs first, then the details.
CHECK_COLUMNS = ["claim", "figure_text", "map_text", "difference_text", "verdict",
                 "quantity", "side", "claim_id", "date", "claim_maker", "outlet", "measures",
                 "layers", "statuses", "window_days", "comparison", "unit", "figure",
                 "map_value", "difference", "diff_pct", "tolerance_pct", "required",
                 "within", "note", "with_contested_text", "map_with_contested"]

_UNIT_TEXT = {"km2": "km²", "km": "km", "percent": "%", "settlements": "settlements"}


def _plural(n: int, word: str) -> str:
    """Examples: ``_plural(1, "day")`` is ``'1 day'``, ``_plural(5, "day")`` ``'5 days'``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _fmt(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    u = _UNIT_TEXT.get(unit, unit)
    if unit == "settlements":
        return f"{value:,.0f} {'settlement' if round(value) == 1 else u}"
    if unit == "percent":
        return f"{value:,.1f} %"
    return f"{value:,.1f} {u}" if abs(value) < 100 else f"{value:,.0f} {u}"


def _claim_text(maker: str, when: str, measures: str, what: str, quantity: str) -> str:
    """Who said it and when, what they said it measures, and what the map compares it with.

    Examples
    --------
    >>> _claim_text("Syrskyi", "27 Aug 2024", "area under Ukrainian control",
    ...             "area of the layers on the date", "area").split(" — ")[1]
    'compared with the area of the layers on the date'
    >>> _claim_text("Smirnov", "12 Aug 2024", "width of the front",
    ...             "not measured by the map (shown for context)", "context")
    'Smirnov, 12 Aug 2024: width of the front — not measured by the map (shown for context)'
    """
    head = f"{maker}, {when}: "
    if not measures:
        return head + what
    if quantity == "context" or quantity not in QUANTITIES:
        return f"{head}{measures} — {what}"
    return f"{head}{measures} — compared with the {what}"


def difference_text(diff: float, pct: float, unit: str) -> str:
    """Return the map's value minus the figure in the figure's unit, with the relative difference.

    A share's difference is in percentage points, so its relative difference would be a
    percentage of a percentage and is left out.

    Examples
    --------
    >>> difference_text(-21.54, -1.706, "km2")
    '-21.5 km² (-1.7 %)'
    >>> difference_text(-1, -100 / 3, "settlements")
    '-1 settlement (-33.3 %)'
    >>> difference_text(4.3, 6.8, "percent")
    '+4.3 percentage points'
    >>> difference_text(float("nan"), float("nan"), "km")
    ''
    """
    if diff is None or math.isnan(diff):
        return ""
    if unit == "percent":
        return f"{diff:+,.1f} percentage points"
    if unit == "settlements":
        text = f"{diff:+,.0f} {'settlement' if abs(round(diff)) == 1 else 'settlements'}"
    else:
        text = f"{diff:+,.1f} {_UNIT_TEXT.get(unit, unit)}"
    return text + (f" ({pct:+.1f} %)" if pct is not None and not math.isnan(pct) else "")


def contested_text(figure: float, held: float, wider: float, unit: str) -> str:
    """Where a held-ground figure lies against the map with and without the contested ground.

    Between the two, the figure and the map differ in how they class the ground the
    sources disagree about; outside both, in extent.

    Examples
    --------
    >>> contested_text(140.0, 81.2, 209.4, "km2")
    'with the contested ground 209 km²: the figure lies between the two'
    >>> contested_text(144.0, 33.8, 62.3, "km2")
    'with the contested ground 62.3 km²: the figure is above both'
    >>> contested_text(44.0, 18.0, 41.0, "settlements")
    'with the contested ones 41 settlements: the figure is above both'
    >>> contested_text(140.0, 81.2, float("nan"), "km2")
    ''
    """
    if any(math.isnan(x) for x in (figure, held, wider)):
        return ""
    low, high = min(held, wider), max(held, wider)
    where = ("lies between the two" if low <= figure <= high else
             "is above both" if figure > high else "is below both")
    ground = "the contested ones" if unit == "settlements" else "the contested ground"
    return f"with {ground} {_fmt(wider, unit)}: the figure {where}"


def verdict(value: float, figure: float, comparison: str, tolerance: float
            ) -> tuple[bool | None, str]:
    """Whether the map agrees with a figure, and the words for it.

    ``comparison`` is ``about`` (within ``tolerance`` %), ``more_than`` or ``less_than``
    (a bound, with ``tolerance`` % of slack; none given: exact). Without a tolerance an
    ``about`` claim is shown for context: the verdict only says how far apart they are.

    Examples
    --------
    >>> verdict(1029.0, 1300.0, "about", 7.0)
    (False, 'outside ±7 %: the map is 20.8 % lower')
    >>> verdict(103.0, 90.0, "more_than", float("nan"))
    (True, 'consistent: the map is above the figure')
    >>> verdict(480.0, 500.0, "about", float("nan"))
    (None, 'no tolerance set: the map is 4.0 % lower')
    """
    if math.isnan(value) or math.isnan(figure):
        return None, "not computed"
    pct = 100.0 * (value - figure) / figure if figure else float("nan")
    side = "higher" if value > figure else "lower"
    apart = "equal to it" if abs(pct) < 0.05 else f"{abs(pct):.1f} % {side}"
    slack = 0.0 if math.isnan(tolerance) else tolerance
    if comparison == "more_than":
        ok = value >= figure * (1 - slack / 100.0)
        return ok, ("consistent: the map is above the figure" if ok else
                    f"the map is {abs(pct):.1f} % below a 'more than' figure")
    if comparison == "less_than":
        ok = value <= figure * (1 + slack / 100.0)
        return ok, ("consistent: the map is below the figure" if ok else
                    f"the map is {abs(pct):.1f} % above a 'less than' figure")
    if math.isnan(tolerance):
        return None, f"no tolerance set: the map is {apart}"
    ok = abs(pct) <= tolerance
    return ok, (f"within ±{tolerance:g} %: the map is {apart}" if ok else
                f"outside ±{tolerance:g} %: the map is {apart}")


def check_claims(view: MapView, claims: pd.DataFrame) -> pd.DataFrame:
    """Every claim beside the map's value of the quantity it names, with a verdict.

    Parameters
    ----------
    view : geo.quantities.MapView
        The timeline, the border and the facts' controls.
    claims : pandas.DataFrame
        As read by ``layers.read_claims`` (columns ``quantity``, ``layers``, ``statuses``,
        ``window_days``, ``comparison``, ``tolerance_pct``, ``required``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per claim, columns :data:`CHECK_COLUMNS`. ``difference`` = map − figure,
        ``diff_pct`` relative to the figure; ``within`` (nullable boolean) is the
        verdict, ``<NA>`` for context rows, rows without a tolerance and rows that
        cannot be computed (``note`` says why). A claim whose unit is not its
        quantity's unit is not computed: that pairing is wrong. A figure of held
        ground alone also gets ``map_with_contested``, the same quantity with the
        contested ground added (:func:`geo.quantities.with_contested`), and
        ``with_contested_text`` says where the figure lies against the two; the
        verdict stays with the quantity the figure measures.

    Examples
    --------
    >>> import datetime as dt
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="ukrainian_held", status="held",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=None,
    ...     geometry=box(35.0, 51.0, 35.1, 51.1))], crs="EPSG:4326"))
    >>> claims = pd.DataFrame({"claim_id": ["c1", "c2"], "date": [dt.date(2024, 8, 12)] * 2,
    ...     "claim_maker": ["x", "y"], "side": ["ukraine"] * 2, "figure": [80.0, 80.0],
    ...     "unit": ["km2", "percent"], "quantity": ["area"] * 2,
    ...     "layers": ["ukrainian_held"] * 2, "statuses": [""] * 2, "window_days": [None] * 2,
    ...     "comparison": ["about"] * 2, "tolerance_pct": [5.0] * 2, "required": [False] * 2,
    ...     "measures": [""] * 2, "outlet": ["o"] * 2, "notes": [""] * 2})
    >>> out = check_claims(MapView(tl), claims)
    >>> out.loc[0, "map_text"], out.loc[0, "verdict"]
    ('78.0 km²', 'within ±5 %: the map is 2.5 % lower')
    >>> out.loc[1, "note"]
    "unit 'percent' does not fit quantity 'area' (km2): wrong pairing"
    """
    records = []
    for _, c in claims.iterrows():
        day = as_date(c.get("date"))
        quantity = _text(c.get("quantity")) or "context"
        unit = _text(c.get("unit")).lower()
        figure = float(c["figure"]) if pd.notna(c.get("figure")) else np.nan
        tol = c.get("tolerance_pct")
        tol = float(tol) if tol is not None and pd.notna(tol) else np.nan
        win = c.get("window_days")
        win = int(win) if win is not None and pd.notna(win) else None
        comparison = _text(c.get("comparison")) or "about"
        layers = tuple(x for x in _text(c.get("layers")).split("+") if x)
        statuses = tuple(x for x in _text(c.get("statuses")).split("+") if x)
        value, note, wider = np.nan, "", np.nan
        if quantity == "context":
            note = "context: not measured by the map"
        elif quantity not in QUANTITIES:
            note = f"unknown quantity {quantity!r}"
        elif UNITS[quantity] != unit:
            note = (f"unit {unit!r} does not fit quantity {quantity!r} "
                    f"({UNITS[quantity]}): wrong pairing")
        else:
            req = Request(quantity, layers, statuses, day, win)
            got = measure(view, req)
            value, note = got.value, got.note
            if (widened := with_contested(req)) is not None:
                wider = measure(view, widened).value
        within, words = verdict(value, figure, comparison, tol)
        if quantity == "context":
            words = "context (not computed)"
        elif note and math.isnan(value):
            words = f"not computed: {note}"
        diff = value - figure
        pct = 100.0 * diff / figure if figure and not np.isnan(figure) else np.nan
        when = day.strftime("%d %b %Y").lstrip("0") if day else "undated"
        what = QUANTITIES.get(quantity, quantity)
        if win:
            what = f"{what} ({_plural(win, 'day')})"
        bound = {"more_than": "more than ", "less_than": "less than "}.get(comparison, "")
        records.append({
            "claim": _claim_text(_text(c.get("claim_maker")), when, _text(c.get("measures")),
                                 what, quantity),
            "figure_text": bound + _fmt(figure, unit), "map_text": _fmt(value, unit),
            "difference_text": difference_text(diff, pct, unit),
            "verdict": words, "quantity": quantity, "side": _text(c.get("side")),
            "claim_id": c.get("claim_id"), "date": day,
            "claim_maker": c.get("claim_maker"), "outlet": c.get("outlet"),
            "measures": c.get("measures"), "layers": "+".join(layers),
            "statuses": "+".join(statuses), "window_days": win, "comparison": comparison,
            "unit": unit, "figure": figure, "map_value": value, "difference": diff,
            "diff_pct": pct, "tolerance_pct": tol, "required": bool(c.get("required")),
            "within": pd.NA if within is None else within, "note": note,
            "with_contested_text": contested_text(figure, value, wider, unit),
            "map_with_contested": wider,
        })
    out = pd.DataFrame.from_records(records, columns=CHECK_COLUMNS)
    out["date"] = out["date"].astype(object)
    for col in ("figure", "map_value", "difference", "diff_pct", "tolerance_pct",
                "map_with_contested"):
        out[col] = out[col].astype(float)
    out["window_days"] = out["window_days"].astype("Int64")
    out["within"] = out["within"].astype("boolean")
    return out
