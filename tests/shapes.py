"""Hand-checkable geometries and independent reference formulas for the geo/ tests.

Nothing here calls geo/: the references are closed-form (the ellipsoidal zone
area) or pyproj.Geod.inv point-to-point, so the tests compare two independent
computations.
"""

from __future__ import annotations

import math

import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

# WGS84 defining constants (NIMA TR8350.2): semi-major axis and flattening.
WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)
WGS84_E = math.sqrt(WGS84_E2)


def _q(lat_deg: float) -> float:
    """sin(phi)/(1 - e² sin² phi) + atanh(e sin phi)/e (the authalic 'q' / (1 - e²))."""
    s = math.sin(math.radians(lat_deg))
    return s / (1 - WGS84_E2 * s * s) + math.atanh(WGS84_E * s) / WGS84_E


def zone_area_km2(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    """Area (km²) of the ellipsoid between two meridians and two parallels.

    Integrating the ellipsoid's area element M(phi) N(phi) cos(phi) dphi dlambda,
    with M = a(1-e²)/(1-e² sin²)^(3/2) and N = a/(1-e² sin²)^(1/2), gives

        A = (lon1 - lon0) * a² (1 - e²) / 2 * [q(lat1) - q(lat0)]

    with q as in :func:`_q`. Over the whole ellipsoid this is the textbook
    2 pi a² (1 + (1 - e²)/e atanh e), which the tests also check.
    """
    dlon = math.radians(lon1 - lon0)
    return dlon * WGS84_A**2 * (1 - WGS84_E2) / 2 * (_q(lat1) - _q(lat0)) / 1e6


def sphere_zone_area_km2(lon0: float, lat0: float, lon1: float, lat1: float,
                         radius_m: float = 6_371_007.2) -> float:
    """The same cell on the authalic sphere (radius 6371.0072 km): R² dlon (sin lat1 - sin lat0).

    A paper-and-pencil sanity check; the ellipsoid differs by a few 0.1 %.
    """
    dlon = math.radians(lon1 - lon0)
    s0, s1 = math.sin(math.radians(lat0)), math.sin(math.radians(lat1))
    return radius_m**2 * dlon * (s1 - s0) / 1e6


def cell(lon0: float, lat0: float, lon1: float, lat1: float, step_deg: float = 0.001
         ) -> Polygon:
    """A lon/lat cell, counter-clockwise, densified so its edges follow the parallels.

    Geodesic edges between the four corners would bulge poleward of the
    parallels (~120 m over 1° of longitude at 51°N); densifying to ``step_deg``
    makes the geodesic polygon equal the zone to ~1e-8.
    """
    return shapely.segmentize(box(lon0, lat0, lon1, lat1), step_deg)


#: The 1°x1° cell lon 35-36 E, lat 51-52 N (Sudzha is in it): zone formula 7,725.70 km².
KURSK_CELL = cell(35.0, 51.0, 36.0, 52.0)
KURSK_CELL_BOUNDS = (35.0, 51.0, 36.0, 52.0)

#: 0.2° square around Sudzha with a 0.1° hole in the middle.
SQUARE = cell(35.1, 51.1, 35.3, 51.3)
HOLE = cell(35.15, 51.15, 35.25, 51.25)
SQUARE_WITH_HOLE = Polygon(SQUARE.exterior.coords, [HOLE.exterior.coords[::-1]])

#: Two disjoint cells and their MultiPolygon.
WEST = cell(34.5, 51.0, 34.8, 51.2)
EAST = cell(35.5, 51.0, 35.9, 51.3)
WEST_EAST = MultiPolygon([WEST, EAST])

#: A line along the 35°E meridian (a stand-in for a north-south border).
MERIDIAN_35 = LineString([(35.0, 50.0), (35.0, 52.0)])
SUDZHA = Point(35.27, 51.19)
