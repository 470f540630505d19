"""geo.measurement against independent references (tests/shapes.py, pyproj.Geod.inv)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
)
from shapes import (
    EAST,
    HOLE,
    KURSK_CELL,
    KURSK_CELL_BOUNDS,
    MERIDIAN_35,
    SQUARE,
    SQUARE_WITH_HOLE,
    SUDZHA,
    WEST,
    WEST_EAST,
    WGS84_A,
    WGS84_E,
    WGS84_E2,
    cell,
    sphere_zone_area_km2,
    zone_area_km2,
)

from geo.measurement import (
    FAST_MAX_EDGE_M,
    GEOD,
    area_km2,
    distance_km,
    fast_area_km2,
    geodesic_area_km2,
    geodesic_length_km,
    laea_area_km2,
    max_depth_km,
    polygon_parts,
)

# --- the reference itself -------------------------------------------------------------


def test_zone_formula_gives_the_known_area_of_the_whole_ellipsoid():
    whole = zone_area_km2(-180, -90, 180, 90)
    textbook = 2 * math.pi * WGS84_A**2 * (1 + (1 - WGS84_E2) / WGS84_E * math.atanh(WGS84_E))
    assert whole == pytest.approx(textbook / 1e6, rel=1e-12)
    assert whole == pytest.approx(510_065_621.7, rel=1e-9)  # the published WGS84 figure


def test_zone_formula_is_close_to_the_authalic_sphere():
    # Paper check: R² dlon (sin 52 - sin 51) = 7,697 km²; the ellipsoid is within 0.5 %.
    assert zone_area_km2(*KURSK_CELL_BOUNDS) == pytest.approx(
        sphere_zone_area_km2(*KURSK_CELL_BOUNDS), rel=5e-3)
    assert zone_area_km2(*KURSK_CELL_BOUNDS) == pytest.approx(7725.6996, abs=1e-3)


# --- area -----------------------------------------------------------------------------


def test_one_degree_cell_matches_the_zone_formula():
    expected = zone_area_km2(*KURSK_CELL_BOUNDS)
    assert geodesic_area_km2(KURSK_CELL) == pytest.approx(expected, rel=1e-9)
    assert fast_area_km2(KURSK_CELL) == pytest.approx(expected, rel=1e-9)


def test_undensified_cell_differs_by_the_geodesic_bulge_only():
    # Four corners joined by geodesics, not parallels: ~0.16 km² (2e-5) less.
    corners = geodesic_area_km2(box(*KURSK_CELL_BOUNDS))
    assert corners == pytest.approx(zone_area_km2(*KURSK_CELL_BOUNDS), rel=5e-5)
    assert corners != pytest.approx(zone_area_km2(*KURSK_CELL_BOUNDS), rel=1e-6)


def test_clockwise_ring_equals_counter_clockwise():
    ccw = shapely.geometry.polygon.orient(SQUARE, sign=1.0)
    cw = shapely.geometry.polygon.orient(SQUARE, sign=-1.0)
    assert not cw.exterior.is_ccw
    assert geodesic_area_km2(cw) == pytest.approx(geodesic_area_km2(ccw), rel=1e-12)
    assert geodesic_area_km2(cw) > 0
    assert fast_area_km2(cw) == pytest.approx(geodesic_area_km2(ccw), rel=1e-9)


def test_square_with_hole_is_outer_minus_inner():
    expected = zone_area_km2(35.1, 51.1, 35.3, 51.3) - zone_area_km2(35.15, 51.15, 35.25, 51.25)
    assert geodesic_area_km2(SQUARE_WITH_HOLE) == pytest.approx(expected, rel=1e-8)
    assert fast_area_km2(SQUARE_WITH_HOLE) == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize("hole_sign", [1.0, -1.0])
def test_hole_is_subtracted_whatever_its_orientation(hole_sign):
    hole = shapely.geometry.polygon.orient(HOLE, sign=hole_sign).exterior.coords
    for outer_sign in (1.0, -1.0):
        outer = shapely.geometry.polygon.orient(SQUARE, sign=outer_sign).exterior.coords
        poly = Polygon(outer, [hole])
        expected = geodesic_area_km2(SQUARE) - geodesic_area_km2(HOLE)
        assert geodesic_area_km2(poly) == pytest.approx(expected, rel=1e-10)
        assert fast_area_km2(poly) == pytest.approx(expected, rel=1e-9)


def test_multipolygon_is_the_sum_of_its_parts():
    parts = geodesic_area_km2(WEST) + geodesic_area_km2(EAST)
    assert geodesic_area_km2(WEST_EAST) == pytest.approx(parts, rel=1e-12)
    assert fast_area_km2(WEST_EAST) == pytest.approx(parts, rel=1e-9)


def test_collection_counts_polygons_only():
    gc = GeometryCollection([WEST, Point(35, 51), LineString([(35, 51), (36, 52)]), WEST_EAST])
    expected = 2 * geodesic_area_km2(WEST) + geodesic_area_km2(EAST)
    assert geodesic_area_km2(gc) == pytest.approx(expected, rel=1e-12)
    assert fast_area_km2(gc) == pytest.approx(expected, rel=1e-9)
    assert len(polygon_parts(gc)) == 3


@pytest.mark.parametrize("geom", [None, Polygon(), MultiPolygon(), GeometryCollection(),
                                  Point(35, 51), LineString([(35, 51), (36, 52)]),
                                  SQUARE.exterior])
def test_empty_and_non_polygonal_have_no_area(geom):
    assert geodesic_area_km2(geom) == 0.0
    assert fast_area_km2(geom) == 0.0
    assert laea_area_km2(geom) == pytest.approx(0.0, abs=1e-12)


def test_fast_area_of_many_matches_one_by_one():
    geoms = [KURSK_CELL, None, SQUARE_WITH_HOLE, Polygon(), WEST_EAST, box(35, 51, 36, 52)]
    got = fast_area_km2(geoms)
    assert isinstance(got, np.ndarray)
    assert got == pytest.approx([geodesic_area_km2(g) for g in geoms], rel=1e-9, abs=1e-9)
    assert fast_area_km2([]).shape == (0,)


def test_fast_area_falls_back_to_geod_for_long_edges():
    # box() has 1° edges (~70 km): far over FAST_MAX_EDGE_M, so Geod measures it exactly.
    assert FAST_MAX_EDGE_M < 70_000
    assert fast_area_km2(box(*KURSK_CELL_BOUNDS)) == geodesic_area_km2(box(*KURSK_CELL_BOUNDS))


def test_fast_area_blocks_give_the_same_answer(monkeypatch):
    import geo.measurement as m

    geoms = [cell(35 + i / 100, 51, 35.005 + i / 100, 51.3) for i in range(20)]
    whole = fast_area_km2(geoms)
    monkeypatch.setattr(m, "_BLOCK_COORDS", 500)  # force many small blocks
    assert fast_area_km2(geoms) == pytest.approx(whole, rel=1e-12)


lons = st.floats(34.0, 36.0)
lats = st.floats(50.5, 51.7)


@st.composite
def blobs(draw):
    """A buffered random point or a random box, in lon 34-36, lat 50.5-51.7."""
    x, y = draw(lons), draw(lats)
    if draw(st.booleans()):
        return Point(x, y).buffer(draw(st.floats(0.005, 0.2)), quad_segs=draw(
            st.integers(2, 64)))
    return box(x, y, x + draw(st.floats(0.001, 0.3)), y + draw(st.floats(0.001, 0.3)))


@settings(max_examples=60, deadline=None)
@given(blobs())
def test_fast_area_agrees_with_geod_on_random_shapes(poly):
    assert fast_area_km2(poly) == pytest.approx(geodesic_area_km2(poly), rel=1e-9, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(blobs())
def test_laea_cross_check_on_kursk_sized_shapes(poly):
    # Densify to ~100 m so geodesic and projected-straight edges are the same curve.
    dense = shapely.segmentize(poly, 0.001)
    assert laea_area_km2(dense) == pytest.approx(geodesic_area_km2(dense), rel=1e-4)


def test_laea_cross_check_on_the_cell():
    assert laea_area_km2(KURSK_CELL) == pytest.approx(zone_area_km2(*KURSK_CELL_BOUNDS),
                                                      rel=1e-4)


def test_area_km2_of_a_geoseries_and_frame():
    s = gpd.GeoSeries([KURSK_CELL, None, SQUARE_WITH_HOLE], index=["a", "b", "c"],
                      crs="EPSG:4326")
    out = area_km2(s)
    assert list(out.index) == ["a", "b", "c"]
    assert out.name == "area_km2"
    assert out.tolist() == pytest.approx([geodesic_area_km2(KURSK_CELL), 0.0,
                                          geodesic_area_km2(SQUARE_WITH_HOLE)])
    frame = gpd.GeoDataFrame({"x": [1, 2, 3]}, index=s.index, geometry=s)
    assert area_km2(frame).tolist() == out.tolist()


def test_area_km2_reprojects_to_lon_lat_first():
    s = gpd.GeoSeries([SQUARE], crs="EPSG:4326")
    mercator = s.to_crs(3857)
    assert mercator.area.iloc[0] / 1e6 > 2 * geodesic_area_km2(SQUARE)  # why we never do this
    assert area_km2(mercator).iloc[0] == pytest.approx(geodesic_area_km2(SQUARE), rel=1e-6)


def test_area_km2_without_crs_raises():
    with pytest.raises(ValueError, match="needs a CRS.*set_crs"):
        area_km2(gpd.GeoSeries([SQUARE]))


# --- length ---------------------------------------------------------------------------


def test_meridian_degree_at_51n():
    _, _, ref = GEOD.inv(35.0, 50.5, 35.0, 51.5)
    line = LineString([(35.0, 50.5), (35.0, 51.5)])
    assert geodesic_length_km(line) == pytest.approx(ref / 1000, rel=1e-12)
    assert geodesic_length_km(line) == pytest.approx(111.25, abs=0.01)


def test_length_of_multiline_and_polygon_perimeter():
    a = LineString([(35, 51), (35.5, 51.2), (36, 51)])
    b = LineString([(34, 50.5), (34, 51)])
    ref = sum(GEOD.inv(*p, *q)[2] for p, q in [((35, 51), (35.5, 51.2)),
                                                ((35.5, 51.2), (36, 51)),
                                                ((34, 50.5), (34, 51))]) / 1000
    assert geodesic_length_km(MultiLineString([a, b])) == pytest.approx(ref, rel=1e-12)
    rings = geodesic_length_km(SQUARE.exterior) + geodesic_length_km(HOLE.exterior)
    assert geodesic_length_km(SQUARE_WITH_HOLE) == pytest.approx(rings, rel=1e-12)
    assert geodesic_length_km(Point(35, 51)) == 0.0
    assert geodesic_length_km(None) == 0.0


# --- distance -------------------------------------------------------------------------


def _brute_force_km(point: Point, line: LineString, n: int = 20_000) -> float:
    """Minimum Geod.inv distance (km) to ``n`` points along each geodesic edge of ``line``."""
    best = math.inf
    coords = list(line.coords)
    for (x0, y0), (x1, y1) in zip(coords[:-1], coords[1:], strict=True):
        pts = [(x0, y0), *GEOD.npts(x0, y0, x1, y1, n), (x1, y1)]
        xs, ys = np.array(pts).T
        _, _, d = GEOD.inv(np.full(len(xs), point.x), np.full(len(xs), point.y), xs, ys)
        best = min(best, float(np.min(d)))
    return best / 1000


def test_point_to_meridian_matches_geod_inv():
    expected = _brute_force_km(SUDZHA, MERIDIAN_35)
    assert distance_km(SUDZHA, MERIDIAN_35) == pytest.approx(expected, abs=1e-5)
    # and never shorter than the true minimum by more than rounding
    assert distance_km(SUDZHA, MERIDIAN_35) <= expected + 1e-6


def test_point_to_bent_line_matches_geod_inv():
    border = LineString([(34.5, 50.8), (35.1, 51.05), (35.6, 50.9), (36.2, 51.2)])
    for point in (SUDZHA, Point(35.1, 51.5), Point(34.2, 50.6)):
        expected = _brute_force_km(point, border)
        assert distance_km(point, border) == pytest.approx(expected, abs=1e-5)


def test_distance_between_points_is_geod_inv():
    a, b = Point(35.0, 51.0), Point(36.19, 51.73)
    assert distance_km(a, b) == pytest.approx(GEOD.inv(35.0, 51.0, 36.19, 51.73)[2] / 1000,
                                              rel=1e-9)


def test_intersecting_geometries_are_zero_apart():
    assert distance_km(SQUARE, Point(35.2, 51.2)) == 0.0
    assert distance_km(MERIDIAN_35, box(34.9, 51, 35.1, 51.1)) == 0.0


@pytest.mark.parametrize("a, b, name", [(Point(), MERIDIAN_35, "a"), (SUDZHA, None, "b")])
def test_distance_to_nothing_raises(a, b, name):
    with pytest.raises(ValueError, match=f"geometry {name} is empty"):
        distance_km(a, b)


# --- depth ----------------------------------------------------------------------------


def test_depth_of_a_box_east_of_a_meridian_border():
    held = box(35.0, 51.0, 35.3, 51.2)
    far_corners = max(distance_km(Point(35.3, y), MERIDIAN_35) for y in (51.0, 51.2))
    assert max_depth_km(held, MERIDIAN_35) == pytest.approx(far_corners, rel=1e-9)
    assert max_depth_km(held, MERIDIAN_35) == pytest.approx(
        _brute_force_km(Point(35.3, 51.0), MERIDIAN_35), abs=1e-5)


def test_depth_finds_a_bulge_between_vertices():
    # Border bends away mid-edge: the deepest point is on an edge, not at a vertex of
    # the area, so densification has to find it.
    border = LineString([(35.0, 50.9), (35.0, 51.1), (35.4, 51.1), (35.4, 50.9)])
    area = box(35.0, 50.9, 35.4, 51.1)  # deepest point: the middle of the south edge
    depth = max_depth_km(area, border)
    assert depth == pytest.approx(_brute_force_km(Point(35.2, 50.9), border), abs=0.01)
    corner_only = max(distance_km(Point(x, y), border) for x in (35, 35.4) for y in (50.9, 51.1))
    assert depth > corner_only + 5


def test_depth_of_nothing_is_zero_and_without_line_raises():
    assert max_depth_km(Polygon(), MERIDIAN_35) == 0.0
    with pytest.raises(ValueError, match="the line is empty"):
        max_depth_km(SQUARE, LineString())
