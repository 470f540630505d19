"""Control cells (geo.control_cells) on hand-checkable layouts."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Point, box

from geo.control_cells import (
    Seed,
    cell_reach_km,
    control_cells,
    dissolve_cells,
    median_spacing_km,
    to_metres,
)
from geo.measurement import geodesic_area_km2

BIG = box(33.0, 50.0, 37.0, 52.0)


def test_a_lone_seed_stands_for_a_disc_of_the_reach():
    ((cell, core),) = control_cells([Seed("A", 35.0, 51.2, "ukrainian")], to_metres(BIG), 3.0)
    assert cell.area / 1e6 == pytest.approx(math.pi * 9, rel=0.01)  # 28.3 km²
    assert core.area / 1e6 == pytest.approx(math.pi * 0.09, rel=0.01)  # 300 m core


def test_two_seeds_split_the_ground_half_way():
    # 0.05° of longitude at 51.2° N is 3.49 km: the boundary is 1.75 km from each seed.
    seeds = [Seed("A", 35.0, 51.2, "ukrainian"), Seed("B", 35.05, 51.2, "russian")]
    (a, _), (b, _) = control_cells(seeds, to_metres(BIG), 3.0)
    assert a.area == pytest.approx(b.area, rel=1e-6)
    assert a.intersection(b).area == pytest.approx(0.0, abs=1.0)
    assert max(x for x, _ in a.exterior.coords) == pytest.approx(3490 / 2, rel=0.01)


def test_cells_stop_at_the_country():
    country = box(34.0, 50.0, 35.0, 52.0)  # the seed sits on its eastern edge
    ((cell, _),) = control_cells([Seed("A", 35.0, 51.2, "ukrainian")], to_metres(country), 3.0)
    assert cell.area / 1e6 == pytest.approx(math.pi * 9 / 2, rel=0.02)


def test_dissolve_keeps_every_settlement_on_its_own_side():
    seeds = [Seed("A", 35.0, 51.2, "ukrainian"), Seed("B", 35.012, 51.2, "russian"),
             Seed("C", 35.0, 51.215, "contested")]
    country = to_metres(BIG)
    out = dissolve_cells(seeds, control_cells(seeds, country, 3.0), country, smooth_m=600,
                         simplify_m=30, priority=["ukrainian", "contested"])
    assert out["ukrainian"].contains(Point(35.0, 51.2))
    assert not out["ukrainian"].contains(Point(35.012, 51.2))
    assert not out["contested"].contains(Point(35.012, 51.2))
    assert out["contested"].contains(Point(35.0, 51.215))
    assert out["ukrainian"].intersection(out["contested"]).area < 1e-12


def test_dissolved_areas_add_up_to_the_cells():
    seeds = [Seed("A", 35.0, 51.2, "ukrainian"), Seed("B", 35.03, 51.2, "ukrainian")]
    country = to_metres(BIG)
    cells = control_cells(seeds, country, 2.0)
    out = dissolve_cells(seeds, cells, country, smooth_m=1.0, simplify_m=1.0,
                         priority=["ukrainian", "contested"])
    assert geodesic_area_km2(out["ukrainian"]) == pytest.approx(
        sum(c.area for c, _ in cells) / 1e6, rel=0.01)


def test_median_spacing():
    pts = [(35.0, 51.2), (35.0, 51.218), (35.0, 51.3)]  # 2.0 km, 2.0 km, 9.1 km
    assert median_spacing_km(pts) == pytest.approx(2.0, abs=0.05)
    with pytest.raises(ValueError, match="at least two"):
        median_spacing_km(pts[:1])


def test_the_reach_is_measured_where_the_gazetteer_is_complete():
    """A village located on the sparse side does not move every line on the other side."""
    from types import SimpleNamespace as S

    method = S(reach_factor=2.0, spacing_box=(34.0, 50.0, 36.0, 52.0),
               spacing_countries=("RUS",))
    kursk = {f"k{i}": S(lon=35.0, lat=51.2 + 0.018 * i, country="RUS") for i in range(5)}
    reach = cell_reach_km(kursk, method)
    assert reach == pytest.approx(4.0, abs=0.05)  # 2 x the 2.0 km spacing
    sumy = {f"s{i}": S(lon=34.8 + 0.1 * i, lat=51.1, country="UKR") for i in range(5)}
    assert cell_reach_km({**kursk, **sumy}, method) == reach
    both = S(**{**vars(method), "spacing_countries": ("RUS", "UKR")})
    assert cell_reach_km({**kursk, **sumy}, both) > reach
