"""Geometry of the hand-placed dated events.

Each vertex is a settlement, a geodesic offset from one, or an explicit lon/lat with its
reason. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import shapely.ops
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from geo.measurement import GEOD

__all__ = ["event_geometry", "vertex_lonlat"]


def vertex_lonlat(vertex: Mapping, places: Mapping) -> tuple[float, float]:
    """Resolve one vertex to (lon, lat) degrees.

    Parameters
    ----------
    vertex : mapping
        ``{"settlement": name}``, ``{"settlement": name, "bearing": deg, "km": km}``
        (bearing clockwise from north, distance along the WGS84 geodesic) or
        ``{"lon": x, "lat": y, "reason": why}``.
    places : mapping of str to an object with ``lon`` and ``lat``

    Raises
    ------
    KeyError
        If the settlement is not in ``places``.

    Examples
    --------
    >>> from types import SimpleNamespace as P
    >>> places = {"A": P(lon=35.0, lat=51.0)}
    >>> vertex_lonlat({"settlement": "A"}, places)
    (35.0, 51.0)
    >>> lon, lat = vertex_lonlat({"settlement": "A", "bearing": 0, "km": 11.1}, places)
    >>> round(lat, 2)
    51.1
    """
    if "settlement" in vertex:
        name = vertex["settlement"]
        if name not in places:
            raise KeyError(f"settlement {name!r} is not in the gazetteer")
        lon, lat = places[name].lon, places[name].lat
        if "bearing" in vertex:
            lon, lat, _ = GEOD.fwd(lon, lat, float(vertex["bearing"]),
                                   float(vertex["km"]) * 1000.0)
        return float(lon), float(lat)
    return float(vertex["lon"]), float(vertex["lat"])


def event_geometry(vertices: Sequence[Mapping], border_near: str | None, places: Mapping,
                   border: BaseGeometry) -> BaseGeometry:
    """Build a Point (one vertex, or the border point nearest ``border_near``) or a line.

    Examples
    --------
    >>> from types import SimpleNamespace as P
    >>> places = {"A": P(lon=35.0, lat=51.1)}
    >>> event_geometry([], "A", places, LineString([(34, 51), (36, 51)])).wkt
    'POINT (35 51)'
    """
    if border_near:
        pos = vertex_lonlat({"settlement": border_near}, places)
        return shapely.ops.nearest_points(border, Point(pos))[0]
    pts = [vertex_lonlat(v, places) for v in vertices]
    return Point(pts[0]) if len(pts) == 1 else LineString(pts)
