"""geo.settlements (points inside) and geo.simplify (display outlines)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box
from shapes import SQUARE, SQUARE_WITH_HOLE

from geo.measurement import geodesic_area_km2
from geo.settlements import count_within, settlements_within
from geo.simplify import metres_to_degrees, simplify_for_display


@pytest.fixture
def towns():
    return gpd.GeoDataFrame(
        {"name": ["inside", "in-hole", "on-edge", "outside", "corner"]},
        geometry=[Point(35.12, 51.12), Point(35.2, 51.2), Point(35.1, 51.2),
                  Point(36.0, 51.5), Point(35.3, 51.3)],
        index=[10, 11, 12, 13, 14], crs="EPSG:4326")


def test_points_inside_on_the_edge_count_holes_do_not(towns):
    got = settlements_within(towns, SQUARE_WITH_HOLE)
    assert list(got["name"]) == ["inside", "on-edge", "corner"]
    assert list(got.index) == [10, 12, 14]
    assert count_within(towns, SQUARE_WITH_HOLE) == 3
    assert count_within(towns, SQUARE) == 4


def test_matches_a_plain_covers_loop():
    rng = np.random.default_rng(3)
    pts = gpd.GeoSeries(shapely.points(rng.uniform(34.9, 35.5, 500),
                                       rng.uniform(50.9, 51.5, 500)), crs="EPSG:4326")
    expected = sum(SQUARE_WITH_HOLE.covers(p) for p in pts)
    assert count_within(pts, SQUARE_WITH_HOLE) == expected > 0


@pytest.mark.parametrize("geom", [None, Polygon()])
def test_nothing_selects_nothing(towns, geom):
    assert len(settlements_within(towns, geom)) == 0
    assert count_within(towns, geom) == 0
    assert count_within(towns.iloc[:0], SQUARE) == 0


# --- simplify -------------------------------------------------------------------------


def wobbly(lon0, lat0, lon1, lat1, n=400, amp=1e-5, seed=0):
    """A box whose edges carry ~1 m of noise every ~50 m: simplifying should remove it."""
    rng = np.random.default_rng(seed)
    dense = shapely.segmentize(box(lon0, lat0, lon1, lat1), (lon1 - lon0) / n)
    xy = shapely.get_coordinates(dense)
    xy[1:-1] += rng.normal(0, amp, xy[1:-1].shape)
    return Polygon(xy)


def test_metres_to_degrees_is_conservative():
    # 50 m in degrees moves a point <= 50 m both north-south and east-west at 51°N.
    deg = metres_to_degrees(50)
    assert deg * 111_700 == pytest.approx(50)
    assert deg * 111_320 * np.cos(np.radians(51)) < 50


def test_simplify_shrinks_and_stays_within_tolerance():
    shape = wobbly(35.0, 51.0, 35.3, 51.2)
    out = simplify_for_display(gpd.GeoSeries([shape], index=["x"], crs="EPSG:4326"), 50.0)
    assert list(out.index) == ["x"] and out.crs == "EPSG:4326"
    simple = out.iloc[0]
    assert shapely.get_num_coordinates(simple) < shapely.get_num_coordinates(shape) / 10
    assert shapely.hausdorff_distance(simple, shape) <= metres_to_degrees(50) * 1.01
    # display only, but still close: the area moved by well under 1 %
    assert geodesic_area_km2(simple) == pytest.approx(geodesic_area_km2(shape), rel=1e-2)


def test_a_coverage_keeps_its_shared_edges_shared():
    # Two fields split by one noisy north-south line: each outline holds it exactly.
    rng = np.random.default_rng(1)
    lats = np.linspace(51.0, 51.2, 400)
    seam = np.column_stack([35.2 + rng.normal(0, 1e-5, 400), lats])
    seam[[0, -1], 0] = 35.2
    left = Polygon([(35.0, 51.0), *seam, (35.0, 51.2)])
    right = Polygon([(35.4, 51.2), *seam[::-1], (35.4, 51.0)])
    pieces = gpd.GeoSeries([left, right], crs="EPSG:4326")
    assert shapely.coverage_is_valid(pieces.to_numpy())
    out = simplify_for_display(pieces, 50.0).to_numpy()
    assert shapely.coverage_is_valid(out)  # no gaps, no overlaps after simplifying
    assert shapely.get_num_coordinates(out).sum() < shapely.get_num_coordinates(
        pieces.to_numpy()).sum() / 10
    assert geodesic_area_km2(shapely.union_all(out)) == pytest.approx(
        geodesic_area_km2(box(35.0, 51.0, 35.4, 51.2)), rel=1e-5)


def test_overlapping_shapes_and_lines_are_simplified_one_by_one():
    a = wobbly(35.0, 51.0, 35.2, 51.2, seed=2)
    b = wobbly(35.1, 51.1, 35.3, 51.3, seed=3)
    line = LineString(shapely.get_coordinates(wobbly(35, 51, 35.1, 51.1, seed=4))[:200])
    out = simplify_for_display(gpd.GeoSeries([a, b, line, None], crs="EPSG:4326"))
    assert out.iloc[3] is None
    for before, after in zip([a, b, line], out.iloc[:3], strict=True):
        assert shapely.get_num_coordinates(after) < shapely.get_num_coordinates(before)
        assert after.is_valid


def test_zero_tolerance_changes_nothing_and_negative_raises():
    s = gpd.GeoSeries([wobbly(35, 51, 35.1, 51.1)], crs="EPSG:4326")
    assert simplify_for_display(s, 0).iloc[0].equals(s.iloc[0])
    with pytest.raises(ValueError, match="tolerance_m must be >= 0 metres"):
        simplify_for_display(s, -1)
