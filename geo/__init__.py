"""Pure geometry on the WGS84 ellipsoid: areas, lengths, changes, tables. No I/O.

Inputs are shapely geometries in lon/lat degrees (EPSG:4326); results are in
km² and km. Nothing here reads a file or imports streamlit or ``layers``
(timelines are duck-typed, see :class:`geo.area_table.TimelineLike`).
"""

from geo.area_table import (
    CLAIM_MATCH_COLUMNS,
    TABLE_COLUMNS,
    TimelineLike,
    area_table,
    km2_claims,
    nearest_claim,
)
from geo.change import Change, diff_states
from geo.claims_check import CHECK_COLUMNS, check_claims
from geo.measurement import (
    GEOD,
    area_km2,
    densify_geodesic,
    distance_km,
    fast_area_km2,
    geodesic_area_km2,
    geodesic_length_km,
    laea_area_km2,
    max_depth_km,
)
from geo.settlements import count_within, settlements_within
from geo.simplify import simplify_for_display

__all__ = [
    "CHECK_COLUMNS", "CLAIM_MATCH_COLUMNS", "GEOD", "TABLE_COLUMNS", "Change", "TimelineLike",
    "area_km2", "area_table", "check_claims", "count_within", "densify_geodesic", "diff_states",
    "distance_km",
    "fast_area_km2", "geodesic_area_km2", "geodesic_length_km", "km2_claims", "laea_area_km2",
    "max_depth_km", "nearest_claim", "settlements_within", "simplify_for_display",
]
