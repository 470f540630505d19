"""Checks that hold the digitised layers to the published figures.

Pure geometry: takes a :class:`layers.Timeline` and the base layers, returns one
:class:`CheckResult` per rule. Areas are geodesic on the WGS84 ellipsoid (km²).
The figures are checks, not targets. These are the shape rules no single claim measures:
"about two-thirds retaken" by February 2025 bounds the held share of the held-or-contested
peak; the Sudzha pocket
falls in mid-March 2025; "more than 90 km²" of Sumy oblast on 26 April 2025 bounds the
whole zone; "about 100 settlements" is shown beside the facts' count. Checks of one
figure against one quantity (Kyiv's ~1,300 km² peak, the pipeline's length, Gerasimov's
"more than 90 km²") are the required rows of the claims table
(:func:`geo.claims_check.check_claims`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.measurement import geodesic_area_km2 as _area_km2
from geo.settlements import count_within

__all__ = ["SUDZHA", "CheckResult", "run_published_checks"]

#: Sudzha town centre (lon, lat), as in the gazetteer.
SUDZHA = Point(35.271, 51.191)
#: Slivers smaller than this (km²) outside a country are floating-point noise.
SLIVER_KM2 = 1e-6


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one published-figure check.

    Attributes
    ----------
    name : str
        Short identifier, e.g. ``"september_area"``.
    passed : bool
    value : str
        What the map gives (with units).
    expected : str
        What the published figure requires (with units).
    detail : str
        One sentence naming the worst date or the source.
    """

    name: str
    passed: bool
    value: str
    expected: str
    detail: str


def _days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _segment_days(timeline, layer: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """One representative day per unchanged stretch of ``layer`` in ``[start, end]``."""
    if not timeline.has_layer(layer):
        return list(_days(start, end))
    days = [start] + [d for d in timeline.change_dates(layer) if start < d <= end]
    return sorted(set(days))


def _held(timeline, day) -> BaseGeometry:
    return timeline.geometry("ukrainian_held", day)


def _held_or_contested(timeline, day) -> BaseGeometry:
    held = _held(timeline, day)
    if not timeline.has_layer("contested"):
        return held
    return held.union(timeline.geometry("contested", day))


def _peak(timeline) -> tuple[dt.date | None, float]:
    """Day and area (km²) of the largest ``ukrainian_held`` ∪ ``contested``."""
    days = sorted(set(timeline.change_dates("ukrainian_held"))
                  | (set(timeline.change_dates("contested"))
                     if timeline.has_layer("contested") else set()))
    areas = {d: _area_km2(_held_or_contested(timeline, d)) for d in days}
    if not areas:
        return None, 0.0
    day = max(areas, key=areas.get)
    return day, areas[day]


def _check_february(timeline) -> CheckResult:
    peak_day, peak = _peak(timeline)
    feb = _area_km2(_held(timeline, dt.date(2025, 2, 15)))
    share = feb / peak if peak else float("nan")
    ok = peak > 0 and 0.28 <= share <= 0.40
    when = peak_day.isoformat() if peak_day else "no date"
    return CheckResult(
        "february_share", ok, f"{feb:,.0f} km² held = {share:.0%} of the {peak:,.0f} km² peak",
        "held on 2025-02-15: 28 %-40 % of the held-or-contested peak",
        f"peak on {when}; about two-thirds retaken by February 2025 (Rudskoi, 20 Feb 2025)")


def _check_pocket(timeline) -> CheckResult:
    if not timeline.has_layer("sudzha_pocket"):
        return CheckResult("sudzha_pocket", False, "no sudzha_pocket layer",
                           "Sudzha inside until 2025-03-12, outside from 2025-03-16",
                           "the layer is missing")
    inside = [d for d in _days(dt.date(2025, 2, 1), dt.date(2025, 3, 12))
              if not timeline.geometry("sudzha_pocket", d).covers(SUDZHA)]
    after = [d for d in _days(dt.date(2025, 3, 16), timeline.end)
             if timeline.geometry("sudzha_pocket", d).covers(SUDZHA)]
    ok = not inside and not after
    bad = inside[:1] + after[:1]
    return CheckResult(
        "sudzha_pocket", ok,
        f"{len(inside)} day(s) missing Sudzha before 13 Mar; {len(after)} day(s) "
        "containing it from 16 Mar",
        "Sudzha inside on every day 2025-02-01..2025-03-12, outside from 2025-03-16",
        f"first failing day {bad[0].isoformat()}" if bad else
        "Russian MoD: Sudzha taken 13 Mar; Ukraine: withdrawal 16 Mar")


def _check_sumy(timeline, base) -> CheckResult:
    day = dt.date(2025, 4, 26)
    zone = (timeline.geometry("sumy_security_zone", day)
            if timeline.has_layer("sumy_security_zone") else Point(0, 0).buffer(0))
    area = _area_km2(zone)
    outside = _area_km2(zone.difference(base.country("UKR"))) if not zone.is_empty else 0.0
    ok = 90 <= area <= 110 and outside <= SLIVER_KM2
    return CheckResult(
        "sumy_zone_area", ok, f"{area:,.1f} km² ({outside:.2g} km² outside Ukraine)",
        "90-110 km² on 2025-04-26, all inside Ukraine",
        "Gerasimov 'more than 90 km²' (seed 002; RIA)")


def _check_april_on(timeline) -> CheckResult:
    start = dt.date(2025, 4, 1)
    areas = {d: _area_km2(_held(timeline, d)) for d in
             _segment_days(timeline, "ukrainian_held", start, timeline.end)}
    worst = max(areas, key=areas.get)
    ok = areas[worst] <= 90
    return CheckResult(
        "april_on_area", ok, f"max {areas[worst]:,.1f} km² (on {worst.isoformat()})",
        "≤ 90 km² every day from 2025-04-01", "Romanenko ~90 km² on 1 Apr; DeepState 63 km² "
        "on 6 Apr and ~30 km² on 26 Apr")


def _check_inside_russia(timeline, base) -> CheckResult:
    russia = base.country("RUS")
    outside = {d: _area_km2(_held(timeline, d).difference(russia))
               for d in timeline.change_dates("ukrainian_held")}
    worst = max(outside, key=outside.get) if outside else None
    ok = worst is None or outside[worst] <= SLIVER_KM2
    return CheckResult(
        "held_inside_russia", ok,
        f"{outside[worst]:.2g} km² outside Russia at worst" if worst else "no dates",
        f"≤ {SLIVER_KM2:g} km² outside Russia on every change date",
        f"worst on {worst.isoformat()}" if worst else "layer empty")


def _check_settlements(timeline, base, reported: float | None) -> CheckResult:
    held = _held(timeline, dt.date(2024, 8, 27))
    inside = count_within(base.settlements, held)
    if reported is None:
        value = f"{inside} gazetteer settlements inside the held area"
    else:
        value = (f"{reported:.0f} settlements reported Ukrainian-held by the facts; {inside} "
                 "gazetteer settlements inside the held area")
    return CheckResult(
        "settlements_count", True, value, "~100 settlements (Syrskyi, 27 Aug 2024)",
        "Informational: the fact base names fewer villages than Kyiv counted; the gap is "
        "shown, not filled.")


def run_published_checks(timeline, base, settlements_held: float | None = None
                         ) -> list[CheckResult]:
    """Run every "must be true" check against the published figures.

    Parameters
    ----------
    timeline : layers.Timeline
        The loaded layers (needs ``ukrainian_held``; ``sudzha_pocket`` and
        ``sumy_security_zone`` are checked when present, failing when absent).
    base : layers.base.BaseLayers
        Countries (``base.country("RUS")``, ``"UKR"``) and ``base.settlements``.
    settlements_held : float, optional
        The facts' count of Ukrainian-held settlements on 2024-08-27
        (:func:`geo.quantities.measure`, quantity ``settlements_held``).

    Returns
    -------
    list of CheckResult
        In order: february_share, sudzha_pocket, sumy_zone_area,
        april_on_area, held_inside_russia, settlements_count (informational).

    Examples
    --------
    >>> import datetime as dt, geopandas as gpd
    >>> from types import SimpleNamespace
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> rows = [dict(id="a", layer="ukrainian_held", status="held",
    ...              valid_from=dt.date(2024, 8, 6), valid_to=None,
    ...              geometry=box(35.0, 51.0, 35.1, 51.1))]
    >>> tl = Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326"))
    >>> base = SimpleNamespace(country=lambda iso: box(30, 45, 45, 60),
    ...                        settlements=gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"))
    >>> results = run_published_checks(tl, base)
    >>> [(r.name, r.passed) for r in results][:2]
    [('february_share', False), ('sudzha_pocket', False)]
    >>> results[0].value
    '78 km² held = 100% of the 78 km² peak'
    """
    return [
        _check_february(timeline),
        _check_pocket(timeline),
        _check_sumy(timeline, base),
        _check_april_on(timeline),
        _check_inside_russia(timeline, base),
        _check_settlements(timeline, base, settlements_held),
    ]
