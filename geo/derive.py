"""Every dated state of the area layers, derived from the settlement-control facts.

Pure: facts (:class:`geo.control.FactLike`), gazetteer positions and the two country
polygons in; :class:`Derivation` out (the states, plus each change day's resolved
controls for the consistency check and the dashboard). The method:

1. On every day a fact is about (or can go stale), resolve each settlement's control
   (:func:`geo.control.resolve_control`).
2. Per country, the settlements with a control are seeds; their Voronoi cells, cut to
   ``reach_km`` and to the country, are dissolved by control and rounded
   (:mod:`geo.control_cells`). Cells of Russian settlements are cut to Russia, cells of
   Ukrainian ones to Ukraine: a village never governs ground across the state border.
3. Layers: in Russia, ``ukrainian`` cells are ``ukrainian_held`` and ``contested`` cells
   ``contested``; in Ukraine, ``russian`` cells are ``sumy_security_zone`` (held) and
   ``contested`` cells its contested part. A side's claim on a settlement it does not
   hold (rule 7 of :mod:`geo.control`) adds the settlement's cell to ``russian_claimed``
   / ``ukrainian_claimed`` (Kursk) or the zone's ``claimed`` part (Sumy).
   ``sudzha_pocket`` is, from ``pocket_from``, the held and contested ground connected
   to the anchor settlement (Sudzha) while the anchor is held or contested.
4. A layer's state lasts until the next day its geometry differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from geo.control import Control, FactLike, candidate_dates, resolve_control
from geo.control_cells import (
    Seed,
    _to_deg,
    cell_reach_km,
    control_cells,
    dissolve_cells,
    to_metres,
)
from geo.layer_rules import CLAIMED, DRAWN
from geo.measurement import geodesic_area_km2, polygon_parts

__all__ = ["DerivedState", "Derivation", "PlaceLike", "clean_polygons", "derive_states"]

#: Grid of the written coordinates (degrees): 5 decimals, about 1 m.
PRECISION = 1e-5
#: Cut this far (degrees, ~1.5 m) inside the border, so rounding never crosses it.
INSET = 1.5e-5
#: Pieces smaller than this (km²) are rounding slivers and dropped.
SLIVER_KM2 = 0.01

_RANK = {"low": 0, "medium": 1, "high": 2}


class PlaceLike(Protocol):
    """What the derivation needs of a settlement (``layers.facts.Place`` is one)."""

    lon: float
    lat: float
    country: str


@dataclass(frozen=True)
class DerivedState:
    """One state of one layer and status, in force ``[valid_from, valid_to)``.

    ``settlements`` are the seeds whose cells make it, ``fact_ids`` the facts those
    seeds' controls rest on.
    """

    layer: str
    status: str
    valid_from: dt.date
    valid_to: dt.date | None
    geometry: BaseGeometry
    settlements: tuple[str, ...]
    fact_ids: tuple[str, ...]
    confidence: str
    rules: tuple[str, ...] = ()
    area_km2: float = 0.0


@dataclass(frozen=True)
class Derivation:
    """The derived states, each change day's resolved controls, and the cell reach (km)."""

    states: tuple[DerivedState, ...]
    days: tuple[dt.date, ...]
    controls: Mapping[dt.date, Mapping[str, Control]] = field(repr=False)
    reach_km: float = 0.0


def clean_polygons(geom: BaseGeometry) -> BaseGeometry:
    """Snap to the 1e-5° grid, drop slivers, orient rings counter-clockwise.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> clean_polygons(box(35.0, 51.0, 35.1, 51.1)).exterior.is_ccw
    True
    >>> clean_polygons(box(35.0, 51.0, 35.0001, 51.0001)).is_empty
    True
    """
    geom = shapely.set_precision(shapely.make_valid(geom), PRECISION)
    polys = [orient(p, 1.0) for p in polygon_parts(geom)
             if geodesic_area_km2(p) >= SLIVER_KM2]
    if not polys:
        return shapely.Polygon()
    merged = shapely.union_all(polys)
    parts = [orient(p, 1.0) for p in polygon_parts(merged)]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _confidence(controls: Sequence[Control]) -> str:
    if not controls:
        return "low"
    ranks = sorted(_RANK[c.confidence] for c in controls)
    median = ranks[len(ranks) // 2]
    return next(k for k, v in _RANK.items() if v == median)


def _key(controls: Mapping[str, Control]) -> tuple:
    return tuple(sorted((n, c.status, c.claimed_by) for n, c in controls.items()))


@dataclass
class _Day:
    shapes: dict[tuple[str, str], BaseGeometry]
    members: dict[tuple[str, str], list[Control]]


def _country_day(controls, places, iso, country, country_m, method, reach) -> _Day:
    names = sorted(n for n in controls if places[n].country == iso
                   and controls[n].status != "stale")
    seeds = [Seed(n, places[n].lon, places[n].lat, controls[n].status) for n in names]
    cells = control_cells(seeds, country_m, reach)
    own = "ukrainian" if iso == "RUS" else "russian"
    drawn = dissolve_cells(seeds, cells, country_m, smooth_m=method.smooth_m,
                           simplify_m=method.simplify_m, priority=[own, "contested"])
    keys = {status: DRAWN[(iso, status)] for status in (own, "contested")}
    shapes: dict[tuple[str, str], BaseGeometry] = {}
    members: dict[tuple[str, str], list[Control]] = {}
    for status, key in keys.items():
        shapes[key] = shapely.intersection(drawn[status], country)
        members[key] = [controls[s.name] for s in seeds if s.status == status]
    drawn_all = shapely.union_all([drawn[own], drawn["contested"]])
    claims = {side: CLAIMED.get((iso, side)) for side in ("russian", "ukrainian")}
    for side, key in claims.items():
        if key is None:
            continue
        # Russia's claim on ground drawn Ukrainian-held or contested in Kursk is that
        # ground; elsewhere a claim adds the cell of a place the claimant does not hold
        # under our rules (resolved for the other side), beyond what is drawn.
        inside_drawn = iso == "RUS" and side == "russian"
        wanted = {"ukrainian", "contested"} if inside_drawn else \
            {"ukrainian" if side == "russian" else "russian"}
        picked = [(s, c) for s, c in zip(seeds, cells, strict=True)
                  if side in controls[s.name].claimed_by and s.status in wanted]
        geom = shapely.union_all([_to_deg(c) for _, (c, _core) in picked]) \
            if picked else shapely.Polygon()
        geom = shapely.intersection(geom, country)
        geom = geom.intersection(drawn_all) if inside_drawn else geom.difference(drawn_all)
        shapes[key] = geom
        members[key] = [controls[s.name] for s, _ in picked]
    return _Day(shapes, members)


def _pocket(day, controls, places, held, contested, method) -> dict[str, BaseGeometry]:
    """Held and contested ground connected to the anchor, while the anchor is not lost."""
    empty = {"held": shapely.Polygon(), "contested": shapely.Polygon()}
    anchor = controls.get(method.pocket_anchor)
    if day < method.pocket_from or anchor is None or anchor.status not in (
            "ukrainian", "contested"):
        return empty
    pos = places[method.pocket_anchor]
    point = Point(pos.lon, pos.lat)
    joined = shapely.union_all([held, contested]).buffer(PRECISION)
    parts = [p for p in polygon_parts(joined) if p.distance(point) < 1e-4]
    if not parts:
        return empty
    around = shapely.union_all(parts)
    return {"held": held.intersection(around), "contested": contested.intersection(around)}


def derive_states(facts: Sequence[FactLike], places: Mapping[str, PlaceLike],
                  countries: Mapping[str, BaseGeometry], method, end: dt.date
                  ) -> Derivation:
    """Derive every state of the area layers from ``facts``.

    Parameters
    ----------
    facts : sequence of FactLike
    places : mapping of str to PlaceLike
        The gazetteer: every settlement a fact names, and the others (their spacing sets
        the reach and the stale radius, :func:`geo.control_cells.cell_reach_km`).
    countries : mapping
        ``{"RUS": polygon, "UKR": polygon}``, lon/lat degrees.
    method : layers.facts.Method
        ``conflict_window_days``, ``contested_days``, ``stale_days``,
        ``reach_factor``, ``spacing_box``, ``spacing_countries``,
        ``smooth_m``, ``simplify_m``, ``pocket_anchor``, ``pocket_from``.
    end : datetime.date
        The timeline's last day; no state starts after it.

    Returns
    -------
    Derivation

    Examples
    --------
    >>> from types import SimpleNamespace as F
    >>> from shapely.geometry import box
    >>> d = dt.date
    >>> facts = [F(fact_id="1", settlement="A", date=d(2024, 8, 10), control="ukrainian",
    ...            side="ukrainian", confidence="high"),
    ...          F(fact_id="2", settlement="A", date=d(2024, 9, 1), control="russian",
    ...            side="russian", confidence="medium")]
    >>> method = F(conflict_window_days=3, contested_days=14, stale_days=45,
    ...            reach_factor=1.5, spacing_box=(34, 50, 36, 52),
    ...            spacing_countries=("RUS", "UKR"),
    ...            smooth_m=300, simplify_m=20, pocket_anchor="A", pocket_from=d(2025, 2, 1))
    >>> places = {"A": F(lon=35.0, lat=51.2, country="RUS"),  # B: 2 km east, in Ukraine
    ...           "B": F(lon=35.0287, lat=51.2, country="UKR")}
    >>> out = derive_states(facts, places,
    ...                     {"RUS": box(34, 51, 36, 52), "UKR": box(34, 50, 36, 51)},
    ...                     method, d(2025, 8, 31))
    >>> [(s.layer, s.valid_from.isoformat(), s.valid_to.isoformat()) for s in out.states]
    [('ukrainian_held', '2024-08-10', '2024-09-01')]
    >>> round(geodesic_area_km2(out.states[0].geometry), 1)  # a 3 km disc, rounded
    28.3
    """
    # Only ground within reach of a settlement can be drawn: cut the countries to the
    # settlements' box (plus the reach) before projecting, so each cut is cheap.
    lons = [p.lon for p in places.values()]
    lats = [p.lat for p in places.values()]
    reach = cell_reach_km(places, method)
    pad = reach / 50.0  # degrees; > reach at these latitudes
    frame = shapely.box(min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad)
    inset = {iso: geom.buffer(-INSET).intersection(frame) for iso, geom in countries.items()}
    inset_m = {iso: to_metres(geom) for iso, geom in inset.items()}
    positions = {n: (p.lon, p.lat) for n, p in places.items()}
    days = sorted({d for d in candidate_dates(facts, method.stale_days, method.contested_days)
                   if d <= end} | {method.pocket_from})
    kept_days: list[dt.date] = []
    by_day: dict[dt.date, dict[str, Control]] = {}
    previous = None
    series: dict[tuple[str, str], list[tuple[dt.date, BaseGeometry, list[Control]]]] = {}
    for day in days:
        controls = resolve_control(facts, day, window=method.conflict_window_days,
                                   contested_days=method.contested_days,
                                   stale_days=method.stale_days,
                                   stale_radius_km=reach,
                                   positions=positions)
        key = _key(controls)
        pocket_flag = day >= method.pocket_from
        if previous is not None and key == previous[0] and pocket_flag == previous[1]:
            continue
        previous = (key, pocket_flag)
        kept_days.append(day)
        by_day[day] = controls
        shapes: dict[tuple[str, str], BaseGeometry] = {}
        members: dict[tuple[str, str], list[Control]] = {}
        for iso in ("RUS", "UKR"):
            part = _country_day(controls, places, iso, inset[iso], inset_m[iso], method,
                                reach)
            shapes.update(part.shapes)
            members.update(part.members)
        pocket = _pocket(day, controls, places, shapes[("ukrainian_held", "held")],
                         shapes[("contested", "contested")], method)
        for status, layer in (("held", "ukrainian_held"), ("contested", "contested")):
            shapes[("sudzha_pocket", status)] = pocket[status]
            members[("sudzha_pocket", status)] = members[(layer, status)] \
                if not pocket[status].is_empty else []
        for k, geom in shapes.items():
            series.setdefault(k, []).append((day, clean_polygons(geom), members[k]))
    states = []
    for (layer, status), seq in sorted(series.items()):
        runs: list[list] = []
        for day, geom, mem in seq:
            if runs and shapely.equals_exact(runs[-1][1], geom, 0.0) and \
                    runs[-1][1].geom_type == geom.geom_type:
                continue
            runs.append([day, geom, mem])
        for i, (day, geom, mem) in enumerate(runs):
            if geom.is_empty:
                continue
            until = runs[i + 1][0] if i + 1 < len(runs) else None
            if until is not None and until > end:
                until = None
            inside = mem if status == "claimed" else \
                [c for c in mem if not _outside(geom, places[c.settlement])]
            states.append(DerivedState(
                layer, status, day, until, geom,
                tuple(sorted(c.settlement for c in inside)),
                tuple(sorted({f for c in inside for f in c.fact_ids})),
                _confidence(inside), tuple(sorted({c.rule for c in inside})),
                round(geodesic_area_km2(geom), 1)))
    return Derivation(tuple(states), tuple(kept_days), by_day, reach)


def _outside(geom: BaseGeometry, place: PlaceLike) -> bool:
    return geom.distance(Point(place.lon, place.lat)) > 0.01
