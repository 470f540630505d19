"""geo.change: the set algebra of gained/lost/kept, checked with Hypothesis."""

from __future__ import annotations

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import GeometryCollection, LineString, Point, Polygon, box
from shapes import EAST, SQUARE, WEST

from geo.change import Change, diff_states
from geo.measurement import geodesic_area_km2, geodesic_length_km

lons = st.floats(34.0, 36.0)
lats = st.floats(50.5, 51.7)


@st.composite
def blob(draw):
    """A random box or buffered point, with edges of at most ~500 m like digitised data.

    Short edges matter: GEOS cuts polygons in the lon/lat plane while areas are
    measured with geodesic edges. Cutting a 0.5° edge in two changes its
    geodesic bulge (~4e-6 of the area); at 500 m the difference is ~1e-9.
    """
    x, y = draw(lons), draw(lats)
    if draw(st.booleans()):
        shape = Point(x, y).buffer(draw(st.floats(0.01, 0.3)), quad_segs=draw(
            st.integers(2, 16)))
    else:
        shape = box(x, y, min(x + draw(st.floats(0.01, 0.5)), 36.5),
                    min(y + draw(st.floats(0.01, 0.5)), 52.0))
    return shapely.segmentize(shape, 0.005)


@st.composite
def area(draw):
    """A union of 1-3 random blobs (so often a MultiPolygon)."""
    return shapely.union_all(draw(st.lists(blob(), min_size=1, max_size=3)))


def sym_diff_km2(a, b) -> float:
    return geodesic_area_km2(shapely.symmetric_difference(a, b))


def sliver(*geoms) -> float:
    """What GEOS's floating-point overlay may leave behind (km²).

    Nearly coincident edges are noded with floating-point rounding, leaving
    slivers far under a millimetre wide: allow a 1 mm strip along the outlines
    (1e-6 km² per km of perimeter), at least 1 m².
    """
    return max(1e-6, 1e-6 * sum(geodesic_length_km(g) for g in geoms))


@settings(max_examples=80, deadline=None)
@given(area(), area())
def test_kept_and_gained_make_the_new_state(old, new):
    c = diff_states(old, new)
    assert sym_diff_km2(shapely.union(c.kept, c.gained), new) == pytest.approx(
        0, abs=sliver(new))
    assert c.kept_km2 + c.gained_km2 == pytest.approx(c.new_km2, rel=1e-6, abs=1e-6)
    assert c.new_km2 == pytest.approx(geodesic_area_km2(new), rel=1e-12)


@settings(max_examples=80, deadline=None)
@given(area(), area())
def test_kept_and_lost_make_the_old_state(old, new):
    c = diff_states(old, new)
    assert sym_diff_km2(shapely.union(c.kept, c.lost), old) == pytest.approx(0, abs=sliver(old))
    assert c.kept_km2 + c.lost_km2 == pytest.approx(c.old_km2, rel=1e-6, abs=1e-6)
    assert c.net_km2 == pytest.approx(c.gained_km2 - c.lost_km2, rel=1e-6, abs=1e-5)


@settings(max_examples=60, deadline=None)
@given(area(), area())
def test_the_parts_do_not_overlap(old, new):
    c = diff_states(old, new)
    assert geodesic_area_km2(shapely.intersection(c.kept, c.gained)) == pytest.approx(0,
                                                                                     abs=1e-6)
    assert geodesic_area_km2(shapely.intersection(c.kept, c.lost)) == pytest.approx(0, abs=1e-6)
    assert geodesic_area_km2(shapely.intersection(c.gained, c.lost)) == pytest.approx(0,
                                                                                     abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(area())
def test_a_state_against_itself_changes_nothing(a):
    c = diff_states(a, a)
    assert c.gained.is_empty and c.lost.is_empty
    assert c.is_unchanged
    assert c.net_km2 == 0.0
    assert c.kept_km2 == pytest.approx(geodesic_area_km2(a), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(blob(), blob(), st.floats(0.01, 1.0))
def test_area_of_disjoint_parts_adds_up(a, b, gap):
    # Move b clear of a (to the east), then the union's area is the sum.
    shift = a.bounds[2] - b.bounds[0] + gap
    b = shapely.affinity.translate(b, xoff=shift)
    assert not a.intersects(b)
    whole = geodesic_area_km2(shapely.union(a, b))
    assert whole == pytest.approx(geodesic_area_km2(a) + geodesic_area_km2(b), rel=1e-9)


def test_long_edges_show_why_shapes_are_densified():
    # The same cut of a 4-corner box and of its densified copy: only the densified one
    # adds up to 1e-9, because cutting a long geodesic edge changes its bulge.
    coarse = box(34.0, 51.0, 34.5, 51.5)
    c = diff_states(coarse, shapely.clip_by_rect(coarse, 34.0, 51.0, 34.25, 51.5))
    assert c.kept_km2 + c.lost_km2 == pytest.approx(c.old_km2, rel=1e-5)
    assert c.kept_km2 + c.lost_km2 != pytest.approx(c.old_km2, rel=1e-6)
    dense = shapely.segmentize(coarse, 0.005)
    c = diff_states(dense, shapely.clip_by_rect(dense, 34.0, 51.0, 34.25, 51.5))
    assert c.kept_km2 + c.lost_km2 == pytest.approx(c.old_km2, rel=1e-9)


def test_a_hand_checkable_shift():
    old = box(35.0, 51.0, 35.2, 51.1)
    new = box(35.1, 51.0, 35.3, 51.1)
    c = diff_states(old, new)
    assert c.gained.equals(box(35.2, 51.0, 35.3, 51.1))
    assert c.lost.equals(box(35.0, 51.0, 35.1, 51.1))
    assert c.kept.equals(box(35.1, 51.0, 35.2, 51.1))
    assert c.net_km2 == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("empty", [None, Polygon(), GeometryCollection()])
def test_empty_inputs(empty):
    grew = diff_states(empty, SQUARE)
    assert grew.gained.equals(SQUARE) and grew.lost.is_empty and grew.kept.is_empty
    assert grew.old_km2 == 0.0
    assert grew.net_km2 == pytest.approx(geodesic_area_km2(SQUARE))
    gone = diff_states(SQUARE, empty)
    assert gone.lost.equals(SQUARE) and gone.gained.is_empty
    assert gone.net_km2 == pytest.approx(-geodesic_area_km2(SQUARE))
    nothing = diff_states(empty, empty)
    assert nothing.is_unchanged and nothing.net_km2 == 0.0


def test_non_polygonal_parts_are_ignored():
    noisy = GeometryCollection([WEST, Point(35, 51), LineString([(35, 51), (36, 51)])])
    c = diff_states(noisy, shapely.union(WEST, EAST))
    assert c.lost.is_empty
    assert c.gained_km2 == pytest.approx(geodesic_area_km2(EAST), rel=1e-9)


def test_invalid_input_is_repaired():
    bowtie = Polygon([(35, 51), (35.2, 51.2), (35.2, 51), (35, 51.2)])
    assert not bowtie.is_valid
    c = diff_states(bowtie, box(35, 51, 35.2, 51.2))
    assert c.kept_km2 + c.gained_km2 == pytest.approx(c.new_km2, rel=1e-9)


def test_change_can_be_built_directly_and_is_frozen():
    c = Change(gained=EAST, lost=Polygon(), kept=WEST)
    assert c.old_km2 == pytest.approx(geodesic_area_km2(WEST))
    assert c.new_km2 == pytest.approx(geodesic_area_km2(WEST) + geodesic_area_km2(EAST))
    with pytest.raises(AttributeError, match="cannot assign"):
        c.kept = EAST


def test_a_geos_robustness_failure_is_retried_with_snap_rounding():
    import geo.change as change

    calls = []

    def flaky(a, b, grid_size=None):
        calls.append(grid_size)
        if grid_size is None:
            raise shapely.errors.GEOSException("TopologyException: side location conflict")
        return shapely.difference(a, b, grid_size=grid_size)

    assert change._overlay(flaky, SQUARE, WEST).equals(shapely.difference(SQUARE, WEST))
    assert calls == [None, change._GRID_DEG]
