"""Simplified outlines for drawing (never for measuring)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["metres_to_degrees", "simplify_for_display"]

#: Metres in one degree of latitude, rounded up (it is 110.6-111.7 km on WGS84).
_M_PER_DEG_LAT = 111_700.0


def metres_to_degrees(metres: float) -> float:
    """Convert ``metres`` to degrees that move a point at most that far in any direction.

    One degree of latitude is the longest degree (one of longitude is shorter by
    cos(latitude)), so dividing by it is safe everywhere.

    Examples
    --------
    >>> round(metres_to_degrees(111.7), 6)
    0.001
    """
    return float(metres) / _M_PER_DEG_LAT


def simplify_for_display(geoms: gpd.GeoSeries, tolerance_m: float = 50.0) -> gpd.GeoSeries:
    """Topology-preserving simplification of outlines, for drawing only.

    If the polygons form a valid coverage (no overlaps, shared edges match),
    :func:`shapely.coverage_simplify` keeps shared edges shared; otherwise each
    geometry is simplified with ``simplify(preserve_topology=True)``. The
    tolerance is converted from metres to degrees with
    :func:`metres_to_degrees` (the conservative, latitude-degree conversion).

    Never feed an area, length or any other figure from the result: measure the
    original geometries (:mod:`geo.measurement`).

    Parameters
    ----------
    geoms : geopandas.GeoSeries
        Lon/lat (EPSG:4326).
    tolerance_m : float, optional
        Largest shift of an outline, metres.

    Returns
    -------
    geopandas.GeoSeries
        Same index and CRS.

    Raises
    ------
    ValueError
        If ``tolerance_m`` is negative.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> fine = shapely.segmentize(box(35.0, 51.0, 35.1, 51.1), 0.0001)
    >>> s = gpd.GeoSeries([fine], crs="EPSG:4326")
    >>> int(shapely.get_num_coordinates(fine))
    4005
    >>> int(shapely.get_num_coordinates(simplify_for_display(s)[0]))
    5
    """
    if tolerance_m < 0:
        raise ValueError(f"tolerance_m must be >= 0 metres, got {tolerance_m}")
    values = geoms.to_numpy()
    out = values.copy()
    present = ~(shapely.is_missing(values) | shapely.is_empty(values))
    if not present.any() or tolerance_m == 0:
        return gpd.GeoSeries(out, index=geoms.index, crs=geoms.crs, name=geoms.name)
    tol = metres_to_degrees(tolerance_m)
    sub = values[present]
    polygonal = np.isin(shapely.get_type_id(sub), (3, 6)).all()
    if polygonal and bool(shapely.coverage_is_valid(sub)):
        out[present] = shapely.coverage_simplify(sub, tol, simplify_boundary=True)
    else:
        out[present] = shapely.simplify(sub, tol, preserve_topology=True)
    return gpd.GeoSeries(out, index=geoms.index, crs=geoms.crs, name=geoms.name)
