"""Which settlements (gazetteer points) lie inside an area."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry.base import BaseGeometry

__all__ = ["count_within", "settlements_within"]


def _positions(settlements: gpd.GeoDataFrame | gpd.GeoSeries, geom: BaseGeometry | None
               ) -> np.ndarray:
    if geom is None or geom.is_empty or not len(settlements):
        return np.empty(0, dtype=np.int64)
    # sindex.query(g, predicate="covers") keeps tree items t with g.covers(t):
    # points on the edge of the area count as inside.
    return np.sort(settlements.sindex.query(geom, predicate="covers"))


def settlements_within(settlements: gpd.GeoDataFrame | gpd.GeoSeries,
                       geom: BaseGeometry | None) -> gpd.GeoDataFrame | gpd.GeoSeries:
    """Select the settlements covered by ``geom`` (on its edge counts as inside).

    Parameters
    ----------
    settlements : geopandas.GeoDataFrame or GeoSeries
        Points in lon/lat (EPSG:4326), e.g. ``layers.read_base(...).settlements``.
    geom : shapely geometry or None
        The area, lon/lat degrees. None or empty selects nothing.

    Returns
    -------
    geopandas.GeoDataFrame or GeoSeries
        The matching rows, in their original order (uses the spatial index).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> towns = gpd.GeoDataFrame({"name": ["Sudzha", "Kursk"]},
    ...                          geometry=[Point(35.27, 51.19), Point(36.19, 51.73)],
    ...                          crs="EPSG:4326")
    >>> list(settlements_within(towns, box(35.0, 51.0, 35.5, 51.4))["name"])
    ['Sudzha']
    """
    return settlements.iloc[_positions(settlements, geom)]


def count_within(settlements: gpd.GeoDataFrame | gpd.GeoSeries, geom: BaseGeometry | None
                 ) -> int:
    """How many settlements ``geom`` covers (see :func:`settlements_within`).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> pts = gpd.GeoSeries([Point(35.1, 51.1), Point(35.2, 51.1), Point(36, 52)])
    >>> count_within(pts, box(35.0, 51.0, 35.2, 51.2))
    2
    """
    return int(len(_positions(settlements, geom)))
