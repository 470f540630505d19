"""Control cells: the ground each reported settlement stands for, dissolved by control.

Pure geometry. A settlement with a resolved control (:mod:`geo.control`) is a *seed*.
Its cell is its Voronoi cell among the seeds of the same country (the ground nearer to
it than to any other reported settlement), cut to ``reach_km`` around it and to the
country. Cells are dissolved by control and the outline is rounded by a closing and an
opening of ``smooth_m`` metres; every seed keeps a small core (at most 300 m, less than
half-way to its nearest seed) inside its own control and outside every other, so the
rounding can never move a settlement across a line. Distances are metres in an azimuthal
equidistant projection centred on the study area; areas are measured afterwards on the
ellipsoid (:func:`geo.measurement.geodesic_area_km2`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPoint
from shapely.geometry.base import BaseGeometry

from geo.measurement import _project, local_transformer

__all__ = ["CENTRE", "Seed", "cell_reach_km", "control_cells", "dissolve_cells",
           "median_spacing_km", "to_metres"]

#: Centre (lat, lon) of the projection used for distances: the middle of the fighting.
CENTRE = (51.2, 35.0)
#: Largest core radius (metres) kept around each seed.
CORE_M = 300.0


@dataclass(frozen=True)
class Seed:
    """A settlement with a control on the day: name, lon/lat (degrees), status."""

    name: str
    lon: float
    lat: float
    status: str


def _to_m(geom: BaseGeometry) -> BaseGeometry:
    return _project(geom, local_transformer("aeqd", *CENTRE))


def to_metres(geom: BaseGeometry) -> BaseGeometry:
    """Lon/lat degrees to the metres of the projection used here (centred on CENTRE).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> to_metres(Point(35.0, 51.2)).coords[0]
    (0.0, 0.0)
    """
    return _to_m(geom)


def _to_deg(geom: BaseGeometry) -> BaseGeometry:
    return _project(geom, local_transformer("aeqd", *CENTRE), inverse=True)


def median_spacing_km(points: Sequence[tuple[float, float]]) -> float:
    """Median distance (km) from each point to its nearest neighbour.

    Parameters
    ----------
    points : sequence of (lon, lat)
        Degrees, WGS84; at least two.

    Examples
    --------
    >>> round(median_spacing_km([(35.0, 51.2), (35.0, 51.218), (35.1, 51.2)]), 1)
    2.0
    """
    if len(points) < 2:
        raise ValueError("median_spacing_km needs at least two points")
    xy = np.array([p.coords[0] for p in _to_m(MultiPoint(list(points))).geoms])
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    np.fill_diagonal(d, np.inf)
    return float(np.median(d.min(axis=1))) / 1000.0


def cell_reach_km(places: Mapping[str, object], method) -> float:
    """Return the cells' reach: ``method.reach_factor`` × the median neighbour spacing (km).

    Measured over the places (objects with ``lon``, ``lat`` and ``country``) inside
    ``method.spacing_box`` (lon_min, lat_min, lon_max, lat_max) and in one of
    ``method.spacing_countries`` (the countries where the gazetteer lists every populated
    place: where it holds only the places a source locates, the gaps between them say what
    is missing, not how far apart villages are), rounded to 10 m. The same
    distance is the stale radius of :mod:`geo.control` (rule 7): the ground a newer report
    stands for.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> pl = {"A": S(lon=35.0, lat=51.2, country="RUS"),   # A-B: 2.004 km apart
    ...       "B": S(lon=35.0, lat=51.218, country="RUS"),
    ...       "C": S(lon=35.0, lat=51.1, country="UKR")}      # not counted
    >>> cell_reach_km(pl, S(reach_factor=2.0, spacing_box=(34, 50, 36, 52),
    ...                     spacing_countries=("RUS",)))
    4.01
    """
    lon0, lat0, lon1, lat1 = method.spacing_box
    inside = tuple(sorted((p.lon, p.lat) for p in places.values()
                          if lon0 <= p.lon <= lon1 and lat0 <= p.lat <= lat1
                          and p.country in method.spacing_countries))
    return round(method.reach_factor * _median_spacing_cached(inside), 2)


@functools.lru_cache(maxsize=8)
def _median_spacing_cached(points: tuple[tuple[float, float], ...]) -> float:
    # Every resolve_on asks for the same gazetteer's spacing: measure it once.
    return median_spacing_km(points)


def control_cells(seeds: Sequence[Seed], country_m: BaseGeometry, reach_km: float
                  ) -> list[tuple[BaseGeometry, BaseGeometry]]:
    """Each seed's cell and core, in metres (projected), in the order of ``seeds``.

    Parameters
    ----------
    seeds : sequence of Seed
        Settlements of one country with their control.
    country_m : shapely geometry
        The country polygon in the projection's metres (:func:`to_metres`); cells are
        cut to it.
    reach_km : float
        Largest distance (km) a cell reaches from its settlement.

    Returns
    -------
    list of (cell, core)
        Shapely polygons in the projection's metres.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> seeds = [Seed("A", 35.0, 51.2, "ukrainian"), Seed("B", 35.1, 51.2, "russian")]
    >>> country = to_metres(box(34, 50, 36, 52))
    >>> (a, _), (b, _) = control_cells(seeds, country, reach_km=3)
    >>> round(a.area / 1e6, 1)  # a 3 km disc (a 64-gon), half-way to B is 3.5 km away
    28.2
    """
    if not seeds:
        return []
    pts = list(_to_m(MultiPoint([(s.lon, s.lat) for s in seeds])).geoms)
    reach = reach_km * 1000.0
    if len(pts) == 1:
        cells = [pts[0].buffer(reach * 2)]
    else:
        multi = MultiPoint(pts)
        cells = list(shapely.voronoi_polygons(multi, extend_to=multi.buffer(reach * 2),
                                              ordered=True).geoms)
    xy = np.array([[p.x, p.y] for p in pts])
    discs = shapely.buffer(np.array(pts, dtype=object), reach, quad_segs=16)
    shapely.prepare(country_m)
    cuts = shapely.intersection(shapely.intersection(np.array(cells, dtype=object), discs),
                                country_m)
    out = []
    for i, (pt, cut) in enumerate(zip(pts, cuts, strict=True)):
        if len(pts) > 1:
            d = np.hypot(*(xy - xy[i]).T)
            nearest = float(np.min(d[d > 0])) if (d > 0).any() else reach
        else:
            nearest = reach
        core = pt.buffer(min(CORE_M, 0.45 * nearest), quad_segs=8).intersection(cut)
        out.append((cut, core))
    return out


def dissolve_cells(seeds: Sequence[Seed], cells: Sequence[tuple[BaseGeometry, BaseGeometry]],
                   country_m: BaseGeometry, *, smooth_m: float, simplify_m: float,
                   priority: Sequence[str]) -> dict[str, BaseGeometry]:
    """Dissolve cells by status and round the outline; lon/lat degrees out.

    Parameters
    ----------
    seeds, cells : sequences
        As given to and returned by :func:`control_cells`.
    country_m : shapely geometry
        In the projection's metres (:func:`to_metres`); the results are cut to it.
    smooth_m, simplify_m : float
        Radius of the closing-then-opening (m) and the simplification tolerance (m).
    priority : sequence of str
        Statuses to draw, first wins where two overlap after rounding
        (e.g. ``("ukrainian", "contested")``).

    Returns
    -------
    dict of str to shapely geometry
        One (possibly empty) geometry per status in ``priority``, lon/lat degrees.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> seeds = [Seed("A", 35.0, 51.2, "ukrainian"), Seed("B", 35.05, 51.2, "russian")]
    >>> country = to_metres(box(34, 50, 36, 52))
    >>> cells = control_cells(seeds, country, reach_km=3)
    >>> out = dissolve_cells(seeds, cells, country, smooth_m=300,
    ...                      simplify_m=20, priority=["ukrainian", "contested"])
    >>> out["ukrainian"].contains(Point(35.0, 51.2)), out["ukrainian"].contains(
    ...     Point(35.05, 51.2)), out["contested"].is_empty
    (True, False, True)
    """
    cores: dict[str, list[BaseGeometry]] = {}
    raw: dict[str, list[BaseGeometry]] = {}
    for seed, (cell, core) in zip(seeds, cells, strict=True):
        raw.setdefault(seed.status, []).append(cell)
        cores.setdefault(seed.status, []).append(core)
    out: dict[str, BaseGeometry] = {}
    taken = shapely.Polygon()
    for status in priority:
        merged = shapely.union_all(raw.get(status, []))
        if merged.is_empty:
            out[status] = shapely.Polygon()
            continue
        round_ = (merged.buffer(smooth_m, quad_segs=8).buffer(-2 * smooth_m, quad_segs=8)
                  .buffer(smooth_m, quad_segs=8))
        round_ = round_.simplify(simplify_m).intersection(country_m)
        own = shapely.union_all(cores.get(status, []))
        others = shapely.union_all([g for s, gs in cores.items() if s != status for g in gs])
        shape = round_.union(own).difference(others).difference(taken)
        shape = shapely.make_valid(shape)
        taken = taken.union(shape)
        out[status] = _to_deg(shape)
    return out
