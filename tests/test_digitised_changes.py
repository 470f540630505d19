"""Held ground only shrinks on dates the sources report only losses (and only grows in the
August 2024 advance): the digitiser's ``retreat``/``advance`` options, checked on the built
layers against the spec that asked for them."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from shapely.geometry import box

from geo.change import diff_states
from layers import Timeline, load_layer_dir

ROOT = Path(__file__).resolve().parents[1]


def _spec():
    spec = importlib.util.spec_from_file_location("digitising_spec",
                                                  ROOT / "data" / "digitising" / "spec.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _directed_states(spec) -> list[tuple[str, str, str]]:
    return [(tr["layer"], st["date"], "retreat" if st.get("retreat") else "advance")
            for tr in spec.TRACKS.values() for st in tr["states"]
            if st.get("retreat") or st.get("advance")]


def wrong_way_km2(before, after, direction: str) -> float:
    """Area (km²) that moved against ``direction`` between two states."""
    change = diff_states(before, after)
    return change.gained_km2 if direction == "retreat" else change.lost_km2


@pytest.fixture(scope="module")
def timeline():
    return Timeline(load_layer_dir(ROOT / "data" / "layers").frame)


def test_the_spec_marks_the_collapse_and_the_advance():
    directed = _directed_states(_spec())
    dates = {d for _, d, way in directed if way == "retreat"}
    assert {"2025-03-13", "2025-04-19"} <= dates
    assert "2025-02-06" not in dates  # a reported Ukrainian push
    assert {d for _, d, way in directed if way == "advance"} >= {"2024-08-20"}


def test_held_ground_moves_only_the_reported_way(timeline):
    for layer, date, direction in _directed_states(_spec()):
        day = dt.date.fromisoformat(date)
        before = timeline.geometry(layer, day - dt.timedelta(days=1))
        after = timeline.geometry(layer, day)
        assert wrong_way_km2(before, after, direction) < 0.05, (layer, date, direction)


def test_the_check_can_fail():
    a, b = box(35.0, 51.0, 35.2, 51.2), box(35.1, 51.0, 35.3, 51.2)
    assert wrong_way_km2(a, b, "retreat") > 100  # b reaches east of a: a gain
    assert wrong_way_km2(a, b, "advance") > 100
