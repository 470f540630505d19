"""Areas, lengths and distances on the WGS84 ellipsoid.

All inputs are shapely geometries in lon/lat degrees (EPSG:4326, RFC 7946 axis
order). Results are in km² and km. Nothing here computes an area in degrees or
in Web Mercator (which inflates areas about 2.5x at 51°N).

Two ways to an area, which agree to a few m² (relative 1e-9) on this project's data:

- :func:`geodesic_area_km2` is the reference: :meth:`pyproj.Geod.polygon_area_perimeter`
  (Karney's algorithm; edges are geodesics), one ring at a time.
- :func:`fast_area_km2` measures many geometries at once with numpy: the
  shoelace formula in the cylindrical equal-area (authalic) plane, which is
  exact for the ellipsoid when edges are straight in that plane. A geodesic
  edge of length ``L`` differs from that by a sliver of order ``L³``; rings
  with any edge longer than :data:`FAST_MAX_EDGE_M` (or crossing the
  antimeridian) are handed to :class:`pyproj.Geod` instead, so the two
  functions stay within a few m² per ring. The area table uses it
  because it is ~15x faster on whole-front histories (see benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = [
    "FAST_MAX_EDGE_M",
    "GEOD",
    "area_km2",
    "densify_geodesic",
    "distance_km",
    "fast_area_km2",
    "geodesic_area_km2",
    "geodesic_length_km",
    "laea_area_km2",
    "local_transformer",
    "max_depth_km",
    "polygon_parts",
]

#: The WGS84 ellipsoid used for every measurement.
GEOD = pyproj.Geod(ellps="WGS84")

#: Rings with an edge longer than this (metres) are measured by pyproj.Geod in
#: :func:`fast_area_km2`: the authalic-plane and geodesic edges differ by O(L³).
FAST_MAX_EDGE_M = 500.0

_A = GEOD.a
_E2 = GEOD.es
_E = float(np.sqrt(_E2))
# Area element of the ellipsoid: dA = _QSCALE * q'(phi) dphi dlambda (see _authalic_y).
_QSCALE = _A * _A * (1.0 - _E2) / 2.0

_POLYGON = 3
_BLOCK_COORDS = 1_000_000


def _flatten(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Single-part geometries of ``geoms`` and the index of the input each came from."""
    parts, index = shapely.get_parts(geoms, return_index=True)
    while True:
        multi = shapely.get_type_id(parts) >= 4  # Multi* and GeometryCollection
        if not multi.any():
            return parts, index
        sub, sub_index = shapely.get_parts(parts[multi], return_index=True)
        keep = ~multi
        parts = np.concatenate([parts[keep], sub])
        index = np.concatenate([index[keep], index[multi][sub_index]])


def polygon_parts(geom: BaseGeometry | None) -> list[shapely.Polygon]:
    """List the non-empty polygons inside ``geom`` (Polygon, MultiPolygon, GeometryCollection).

    Points and lines are dropped; so are empty parts.

    Examples
    --------
    >>> from shapely.geometry import GeometryCollection, Point, box
    >>> len(polygon_parts(GeometryCollection([box(0, 0, 1, 1), Point(5, 5)])))
    1
    """
    if geom is None or geom.is_empty:
        return []
    parts, _ = _flatten(np.asarray([geom], dtype=object))
    keep = (shapely.get_type_id(parts) == _POLYGON) & ~shapely.is_empty(parts)
    return list(parts[keep])


def _ring_area_m2(ring: shapely.LinearRing) -> float:
    """Unsigned geodesic area (m²) enclosed by one ring."""
    xy = shapely.get_coordinates(ring)
    if len(xy) < 4:
        return 0.0
    area, _ = GEOD.polygon_area_perimeter(xy[:, 0].copy(), xy[:, 1].copy())
    return abs(area)


def geodesic_area_km2(geom: BaseGeometry | None) -> float:
    """Area (km²) of the polygonal parts of ``geom`` on the WGS84 ellipsoid.

    Each ring is measured with :meth:`pyproj.Geod.polygon_area_perimeter`,
    whose result is signed (counter-clockwise positive); the absolute value of
    the exterior minus the absolute values of the holes is taken, so the ring
    orientation does not matter. Points and lines contribute 0.

    Parameters
    ----------
    geom : shapely geometry or None
        Lon/lat degrees (EPSG:4326). Polygon, MultiPolygon or GeometryCollection.

    Returns
    -------
    float
        km²; 0.0 for empty or non-polygonal input.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> round(geodesic_area_km2(box(35.0, 51.0, 35.1, 51.1)), 2)
    78.01
    >>> geodesic_area_km2(box(35.0, 51.0, 35.1, 51.1).exterior)
    0.0
    """
    total = 0.0
    for poly in polygon_parts(geom):
        total += _ring_area_m2(poly.exterior)
        for hole in poly.interiors:
            total -= _ring_area_m2(hole)
    return total / 1e6


def _authalic_y(lat_deg: np.ndarray) -> np.ndarray:
    """``_QSCALE * q(phi)``: the y of the ellipsoid's cylindrical equal-area map (m² per rad)."""
    s = np.sin(np.radians(lat_deg))
    return _QSCALE * (s / (1.0 - _E2 * s * s) + np.arctanh(_E * s) / _E)


def fast_area_km2(geoms: BaseGeometry | Sequence | np.ndarray | gpd.GeoSeries | None
                  ) -> float | np.ndarray:
    """Vectorised ellipsoidal area (km²) of one geometry or an array of geometries.

    Same meaning as :func:`geodesic_area_km2` (polygonal parts only, holes
    subtracted, orientation ignored) but computed for all rings at once with
    the shoelace formula in the authalic (cylindrical equal-area) plane. Rings
    with an edge longer than :data:`FAST_MAX_EDGE_M`, or crossing the
    antimeridian, are measured with :class:`pyproj.Geod` instead, which keeps
    the result within a few m² (relative 1e-9) of :func:`geodesic_area_km2`.

    Parameters
    ----------
    geoms : shapely geometry, array-like of geometries, or GeoSeries
        Lon/lat degrees (EPSG:4326). None counts as empty.

    Returns
    -------
    float or numpy.ndarray
        A float for a single geometry, else an array of km² (one per input).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> cell = shapely.segmentize(box(35.0, 51.0, 35.1, 51.1), 0.005)
    >>> abs(fast_area_km2(cell) - geodesic_area_km2(cell)) < 1e-6
    True
    >>> fast_area_km2([cell, None]).round(2).tolist()
    [78.01, 0.0]
    """
    single = geoms is None or isinstance(geoms, BaseGeometry)
    arr = np.asarray([geoms] if single else list(geoms), dtype=object)
    out = np.zeros(len(arr))
    if not len(arr):
        return out
    # Work in blocks of about _BLOCK_COORDS vertices: the temporaries are ~10
    # float64 arrays per vertex, so this bounds memory (~100 MB) without slowing down.
    block = np.cumsum(shapely.get_num_coordinates(arr)) // _BLOCK_COORDS
    for b in np.unique(block):
        sel = np.flatnonzero(block == b)
        out[sel] = _fast_area_block(arr[sel])
    return float(out[0]) if single else out


def _fast_area_block(arr: np.ndarray) -> np.ndarray:
    out = np.zeros(len(arr))
    present = ~shapely.is_missing(arr)
    parts, index = _flatten(arr[present])
    index = np.flatnonzero(present)[index]
    polys = (shapely.get_type_id(parts) == _POLYGON) & ~shapely.is_empty(parts)
    parts, index = parts[polys], index[polys]
    if len(parts):
        rings, ring_poly = shapely.get_rings(parts, return_index=True)
        # get_rings lists each polygon's exterior first, then its holes.
        exterior = np.r_[True, ring_poly[1:] != ring_poly[:-1]]
        ring_sign = np.where(exterior, 1.0, -1.0)
        ring_m2 = _fast_ring_areas_m2(rings)
        np.add.at(out, index[ring_poly], ring_sign * ring_m2 / 1e6)
    return out


def _fast_ring_areas_m2(rings: np.ndarray) -> np.ndarray:
    """Unsigned areas (m²) of closed rings, authalic shoelace with a Geod fallback."""
    xy, owner = shapely.get_coordinates(rings, return_index=True)
    n = len(rings)
    if len(xy) < 2:
        return np.zeros(n)
    lon, lat = xy[:, 0], xy[:, 1]
    same = owner[1:] == owner[:-1]  # consecutive vertices of the same ring form an edge
    seg_ring = owner[:-1][same]
    dlon = np.radians(lon[1:] - lon[:-1])[same]
    dlat = np.radians(lat[1:] - lat[:-1])[same]
    y = _authalic_y(lat)
    # Measure y from each ring's first vertex: the ring is closed, so the shift
    # leaves the sum unchanged and keeps the products small (less cancellation).
    first = np.searchsorted(owner, np.arange(n))
    first = np.minimum(first, len(owner) - 1)
    y = y - y[first[owner]]
    trap = dlon * (y[:-1] + y[1:])[same] / 2.0
    area = np.abs(np.bincount(seg_ring, weights=trap, minlength=n))
    # Rings the plane formula should not take: long edges, antimeridian crossings.
    coslat = np.cos(np.radians((lat[1:] + lat[:-1])[same] / 2.0))
    edge2 = (_A * dlat) ** 2 + (_A * coslat * dlon) ** 2
    bad = (edge2 > FAST_MAX_EDGE_M**2) | (np.abs(dlon) > np.pi)
    for ring in np.unique(seg_ring[bad]):
        area[ring] = _ring_area_m2(rings[ring])
    return area


def area_km2(obj: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Ellipsoidal area (km²) of every geometry of a GeoDataFrame or GeoSeries.

    Parameters
    ----------
    obj : geopandas.GeoDataFrame or geopandas.GeoSeries
        Must have a CRS; anything other than EPSG:4326 is reprojected to it first.

    Returns
    -------
    pandas.Series
        km², same index as ``obj``, named ``area_km2``.

    Raises
    ------
    ValueError
        If ``obj`` has no CRS (lon/lat cannot be assumed safely).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> s = gpd.GeoSeries([box(35, 51, 35.1, 51.1), None], crs="EPSG:4326")
    >>> area_km2(s).round(2).tolist()
    [78.01, 0.0]
    """
    geoms = obj.geometry if isinstance(obj, gpd.GeoDataFrame) else obj
    if geoms.crs is None:
        raise ValueError(
            "area_km2 needs a CRS to know the coordinates are lon/lat; the geometries have "
            "none. Set it with .set_crs('EPSG:4326') (or the CRS the data is really in)."
        )
    if not geoms.crs.equals(pyproj.CRS.from_epsg(4326)):
        geoms = geoms.to_crs(4326)
    values = [geodesic_area_km2(g) for g in geoms.to_numpy()]
    return pd.Series(values, index=geoms.index, name="area_km2", dtype=float)


@lru_cache(maxsize=256)
def local_transformer(proj: str, lat0: float, lon0: float) -> pyproj.Transformer:
    """Build a lon/lat (degrees) -> metres transformer for a projection centred on (lat0, lon0).

    Parameters
    ----------
    proj : str
        A PROJ projection name, e.g. ``"laea"`` (equal-area) or ``"aeqd"``
        (equidistant from the centre).
    lat0, lon0 : float
        The centre, degrees.

    Returns
    -------
    pyproj.Transformer
        ``always_xy`` order; use ``direction="INVERSE"`` for metres -> degrees.

    Examples
    --------
    >>> tr = local_transformer("aeqd", 51.0, 35.0)
    >>> [round(v, 6) for v in tr.transform(35.0, 51.0)]
    [0.0, 0.0]
    """
    # A PROJ pipeline is ~300x quicker to build than from_crs("EPSG:4326", ...),
    # which goes through the CRS database (20 ms a call).
    return pyproj.Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj={proj} +lat_0={lat0!r} +lon_0={lon0!r} +ellps=WGS84"
    )


def _project(geom: BaseGeometry, tr: pyproj.Transformer, inverse: bool = False
             ) -> BaseGeometry:
    direction = "INVERSE" if inverse else "FORWARD"

    def fn(xy: np.ndarray) -> np.ndarray:
        x, y = tr.transform(xy[:, 0], xy[:, 1], direction=direction)
        return np.column_stack([x, y])

    return shapely.transform(geom, fn)


def _centre(geom: BaseGeometry) -> tuple[float, float]:
    """(lat, lon) of the centre of ``geom``'s bounds, rounded so transformers are reused."""
    minx, miny, maxx, maxy = geom.bounds
    return round((miny + maxy) / 2.0, 4), round((minx + maxx) / 2.0, 4)


def laea_area_km2(geom: BaseGeometry | None) -> float:
    """Area (km²) in a Lambert azimuthal equal-area projection centred on ``geom``.

    A cross-check for :func:`geodesic_area_km2`: the projection is equal-area
    on the ellipsoid, so the two agree closely when edges are short (edges here
    are straight lines in the projection, geodesics there). Centred on the
    centroid of ``geom``.

    Parameters
    ----------
    geom : shapely geometry or None
        Lon/lat degrees (EPSG:4326).

    Returns
    -------
    float
        km²; 0.0 for empty input.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> round(laea_area_km2(box(35.0, 51.0, 35.1, 51.1)), 2)
    78.01
    """
    if geom is None or geom.is_empty:
        return 0.0
    c = geom.centroid
    tr = local_transformer("laea", round(c.y, 4), round(c.x, 4))
    return float(_project(geom, tr).area) / 1e6


def geodesic_length_km(geom: BaseGeometry | None) -> float:
    """Length (km) on the WGS84 ellipsoid; for polygons, the perimeter (holes included).

    Parameters
    ----------
    geom : shapely geometry or None
        Lon/lat degrees. Lines, rings, polygons, multi-parts, collections;
        points contribute 0.

    Returns
    -------
    float
        km.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> round(geodesic_length_km(LineString([(35, 51), (35, 52)])), 3)
    111.258
    """
    if geom is None or geom.is_empty:
        return 0.0
    parts, _ = _flatten(np.asarray([geom], dtype=object))
    total = 0.0
    for part in parts:
        lines = shapely.get_rings(part) if part.geom_type == "Polygon" else [part]
        for line in lines:
            xy = shapely.get_coordinates(line)
            if len(xy) >= 2:
                total += GEOD.line_length(xy[:, 0].copy(), xy[:, 1].copy())
    return total / 1000.0


def densify_geodesic(geom: BaseGeometry, max_segment_m: float = 500.0) -> BaseGeometry:
    """Add vertices along the geodesic edges so that none is longer than ``max_segment_m``.

    Done in an ellipsoidal gnomonic projection centred on ``geom``, where
    geodesics are straight lines (to well under a millimetre over this
    project's extent) and distances are never shorter than on the ellipsoid.
    Edges that are already short enough are left alone.

    Parameters
    ----------
    geom : shapely geometry
        Lon/lat degrees, within a few thousand km of its own centre.
    max_segment_m : float, optional
        Longest edge wanted, metres.

    Returns
    -------
    shapely geometry
        Same type; the original vertices are kept.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> line = densify_geodesic(LineString([(35.0, 51.0), (36.0, 51.0)]), 10_000)
    >>> len(line.coords), round(max(y for _, y in line.coords) - 51.0, 4)  # bulges north
    (9, 0.0011)
    """
    if geom is None or geom.is_empty:
        return geom
    lat0, lon0 = _centre(geom)
    tr = local_transformer("gnom", lat0, lon0)
    return _project(shapely.segmentize(_project(geom, tr), max_segment_m), tr, inverse=True)


def _nearest_lonlat(a: BaseGeometry, b: BaseGeometry, lat0: float, lon0: float
                    ) -> tuple[tuple[float, float], tuple[float, float]]:
    """Nearest points of ``a`` and ``b`` found in an equidistant projection at (lat0, lon0)."""
    tr = local_transformer("aeqd", round(lat0, 6), round(lon0, 6))
    pa, pb = shapely.shortest_line(_project(a, tr), _project(b, tr)).coords
    (ax, bx), (ay, by) = tr.transform([pa[0], pb[0]], [pa[1], pb[1]], direction="INVERSE")
    return (ax, ay), (bx, by)


def _distance_dense_km(a: BaseGeometry, b: BaseGeometry) -> float:
    """:func:`distance_km` for geometries already densified along geodesics."""
    if a.intersects(b):
        return 0.0
    guess = shapely.shortest_line(a, b).coords[0]  # in degrees: only a starting centre
    pa, pb = _nearest_lonlat(a, b, guess[1], guess[0])
    pa, pb = _nearest_lonlat(a, b, pa[1], pa[0])
    _, _, dist = GEOD.inv(pa[0], pa[1], pb[0], pb[1])
    return float(dist) / 1000.0


def distance_km(a: BaseGeometry, b: BaseGeometry) -> float:
    """Shortest geodesic distance (km) between two lon/lat geometries.

    Edges are geodesics (as in :class:`pyproj.Geod`): both geometries are first
    densified along them (:func:`densify_geodesic`, 500 m). The nearest pair of
    points is then found in an azimuthal equidistant projection centred on
    (first a degree-space guess of, then the refined) nearest point of ``a`` —
    distances from the centre of that projection are exact — and the distance
    between the two points is measured with :meth:`pyproj.Geod.inv`.

    Parameters
    ----------
    a, b : shapely geometry
        Lon/lat degrees (EPSG:4326).

    Returns
    -------
    float
        km; 0.0 if the geometries intersect.

    Raises
    ------
    ValueError
        If either geometry is empty or None.

    Examples
    --------
    >>> from shapely.geometry import LineString, Point
    >>> round(distance_km(Point(35.0, 51.0), LineString([(35.1, 50.0), (35.1, 52.0)])), 3)
    7.02
    """
    for name, g in (("a", a), ("b", b)):
        if g is None or g.is_empty:
            raise ValueError(f"distance_km: geometry {name} is empty; there is nothing to "
                             "measure to")
    if a.intersects(b):
        return 0.0
    return _distance_dense_km(densify_geodesic(a), densify_geodesic(b))


def max_depth_km(area: BaseGeometry, line: BaseGeometry, *, step_m: float = 200.0,
                 candidates: int = 8) -> float:
    """How far (km) ``area`` reaches from ``line``: the largest boundary-to-line distance.

    The outline of ``area`` is densified to ``step_m`` in an azimuthal
    equidistant projection centred on it and the distance of every vertex to
    ``line`` (densified along its geodesics) is found there, vectorised. The
    ``candidates`` farthest vertices are refined on their neighbouring edges
    (to ``step_m / 100``) and re-measured with :meth:`pyproj.Geod.inv`, so
    the answer is within a few metres of the true maximum. Measured over the
    outline, which is where the maximum lies when ``line`` runs outside the area
    (e.g. the state border and the area held across it).

    Parameters
    ----------
    area : shapely geometry
        Lon/lat degrees; usually a (Multi)Polygon.
    line : shapely geometry
        Lon/lat degrees; usually the border (Multi)LineString.
    step_m : float, optional
        Densification step, metres.
    candidates : int, optional
        How many of the farthest vertices are refined and re-measured.

    Returns
    -------
    float
        km; 0.0 for an empty area.

    Raises
    ------
    ValueError
        If ``line`` is empty.

    Examples
    --------
    >>> from shapely.geometry import LineString, box
    >>> border = LineString([(35.0, 50.0), (35.0, 52.0)])
    >>> held = box(35.0, 51.0, 35.2, 51.2)
    >>> abs(max_depth_km(held, border) - distance_km(shapely.Point(35.2, 51.0), border)) < 1e-6
    True
    """
    if line is None or line.is_empty:
        raise ValueError("max_depth_km: the line is empty; there is nothing to measure from")
    if area is None or area.is_empty:
        return 0.0
    line_d = densify_geodesic(line)
    lat0, lon0 = _centre(area)
    tr = local_transformer("aeqd", lat0, lon0)
    line_p = _project(line_d, tr)
    parts, _ = _flatten(np.asarray([shapely.segmentize(_project(area, tr), step_m)]))
    paths = np.concatenate([shapely.get_rings(parts[shapely.get_type_id(parts) == _POLYGON]),
                            parts[shapely.get_type_id(parts) != _POLYGON]])
    xy, owner = shapely.get_coordinates(paths, return_index=True)
    d = shapely.distance(shapely.points(xy), line_p)
    best = 0.0
    for i in np.argsort(d)[::-1][:candidates]:
        # The true maximum may sit between two vertices: search the edges either side.
        lo = i - 1 if i > 0 and owner[i - 1] == owner[i] else i
        hi = i + 1 if i + 1 < len(xy) and owner[i + 1] == owner[i] else i
        point = shapely.Point(xy[i])
        if hi > lo:
            fine = shapely.points(shapely.get_coordinates(
                shapely.segmentize(shapely.LineString(xy[lo:hi + 1]), step_m / 100.0)))
            point = fine[int(np.argmax(shapely.distance(fine, line_p)))]
        lonlat = _project(point, tr, inverse=True)
        best = max(best, _distance_dense_km(lonlat, line_d))
    return best
