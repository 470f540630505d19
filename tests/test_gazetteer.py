"""The village gazetteer says where each place's position comes from (issue 10)."""

from __future__ import annotations

import csv

import pytest

from layers import default_paths

BOX = (34.2, 50.95, 35.7, 51.6)


@pytest.fixture(scope="module")
def villages() -> list[dict]:
    with open(default_paths().base / "villages.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_fighting_area_holds_at_least_150_places(villages):
    lon0, lat0, lon1, lat1 = BOX
    inside = [r for r in villages
              if lon0 <= float(r["lon"]) <= lon1 and lat0 <= float(r["lat"]) <= lat1]
    assert len(inside) >= 150
    assert {r["country"] for r in inside} == {"Russia", "Ukraine"}


def test_every_position_names_its_source_licence_and_confidence(villages):
    missing = [(r["name"], field) for r in villages
               for field in ("source", "licence", "position_confidence")
               if not r[field].strip()]
    assert missing == []
    assert {r["position_confidence"] for r in villages} <= {"high", "medium", "low"}


def test_a_low_position_or_two_sources_over_1_km_apart_say_why(villages):
    """Where two sources disagree by more than 1 km, or a position is low, `notes` says why."""
    unexplained = [r["name"] for r in villages
                   if (r["position_confidence"] == "low"
                       or (r["check_distance_km"] and float(r["check_distance_km"]) > 1.0))
                   and not r["notes"].strip()]
    assert unexplained == []


def test_one_row_per_place(villages):
    seen: dict[tuple[str, str], int] = {}
    for r in villages:
        seen[(r["name"], r["oblast"])] = seen.get((r["name"], r["oblast"]), 0) + 1
    assert [k for k, n in seen.items() if n > 1] == []


def test_every_gazetteer_name_stands_for_one_place():
    """A fact names its settlement by the gazetteer's name: two rows of one name made every
    statement about either wait as ambiguous (Mykolaivka, until session 11)."""
    with open(default_paths().base / "gazetteer.csv", encoding="utf-8", newline="") as fh:
        names = [r["name"] for r in csv.DictReader(fh)]
    assert len(names) > 500
    assert sorted({n for n in names if names.count(n) > 1}) == []
