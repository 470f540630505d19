"""Checks that hold the digitised layers to the published figures.

Pure geometry: takes a :class:`layers.Timeline` and the base layers, returns one
:class:`CheckResult` per rule. Areas are geodesic on the WGS84 ellipsoid (km²).
The figures come from the two seed articles and the public-figures reference:
"nearly 1,300 km²" in September 2024, "about two-thirds retaken" by February
2025, the Sudzha pocket falling in mid-March 2025, "more than 90 km²" of Sumy
oblast claimed on 26 April 2025, "about 100 settlements".
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


def _check_september(timeline) -> CheckResult:
    start, end = dt.date(2024, 8, 27), dt.date(2024, 9, 30)
    lo, hi = 1300 * 0.93, 1300 * 1.07
    areas = {d: _area_km2(_held(timeline, d)) for d in
             _segment_days(timeline, "ukrainian_held", start, end)}
    worst = max(areas, key=lambda d: abs(areas[d] - 1300))
    ok = all(lo <= a <= hi for a in areas.values())
    return CheckResult(
        "september_area", ok,
        f"{min(areas.values()):,.0f}-{max(areas.values()):,.0f} km²",
        f"{lo:,.0f}-{hi:,.0f} km² (1,300 km² ± 7 %) every day 2024-08-27..2024-09-30",
        f"worst day {worst.isoformat()}: {areas[worst]:,.0f} km²; seed 002 'nearly 1,300 "
        "km²', Kyiv's 1,263-1,376 km²")


def _check_february(timeline) -> CheckResult:
    peak_day = max(timeline.change_dates("ukrainian_held"),
                   key=lambda d: _area_km2(_held(timeline, d)))
    peak = _area_km2(_held(timeline, peak_day))
    feb = _area_km2(_held(timeline, dt.date(2025, 2, 15)))
    share = feb / peak if peak else float("nan")
    ok = peak > 0 and 0.28 <= share <= 0.40
    return CheckResult(
        "february_share", ok, f"{feb:,.0f} km² = {share:.0%} of the {peak:,.0f} km² peak",
        "28 %-40 % of the layer's own peak on 2025-02-15",
        f"peak on {peak_day.isoformat()}; seed 002 'about two-thirds retaken by February'")


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


def _check_settlements(timeline, base) -> CheckResult:
    held = _held(timeline, dt.date(2024, 8, 27))
    count = count_within(base.settlements, held)
    return CheckResult(
        "settlements_count", True, f"{count} gazetteer settlements",
        "~100 settlements (Syrskyi 27 Aug; seed 002)",
        "Informational: the gazetteer (GeoNames cities500 + a short curated list) lacks "
        "most villages, so the count is far below the claimed ~100.")


def run_published_checks(timeline, base) -> list[CheckResult]:
    """Run every "must be true" check against the published figures.

    Parameters
    ----------
    timeline : layers.Timeline
        The loaded layers (needs ``ukrainian_held``; ``sudzha_pocket`` and
        ``sumy_security_zone`` are checked when present, failing when absent).
    base : layers.base.BaseLayers
        Countries (``base.country("RUS")``, ``"UKR"``) and ``base.settlements``.

    Returns
    -------
    list of CheckResult
        In order: september_area, february_share, sudzha_pocket, sumy_zone_area,
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
    [('september_area', False), ('february_share', False)]
    >>> results[0].value
    '78-78 km²'
    """
    return [
        _check_september(timeline),
        _check_february(timeline),
        _check_pocket(timeline),
        _check_sumy(timeline, base),
        _check_april_on(timeline),
        _check_inside_russia(timeline, base),
        _check_settlements(timeline, base),
    ]
