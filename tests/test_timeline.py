"""layers.timeline: the state of layer L on date D, through a sorted index."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from layers import Timeline, UnknownLayerError, to_date

D = dt.date


def _frame(rows):
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _row(fid, start, end, geom, layer="ukrainian_held", status="held"):
    return {"id": fid, "layer": layer, "status": status, "valid_from": start,
            "valid_to": end, "geometry": geom}


@pytest.fixture
def timeline():
    return Timeline(_frame([
        _row("a", D(2024, 8, 6), D(2024, 8, 12), box(35.0, 51.0, 35.1, 51.1)),
        _row("b", D(2024, 8, 12), None, box(35.0, 51.0, 35.2, 51.1)),
        _row("g", D(2024, 8, 10), D(2024, 8, 15), box(35.2, 51.0, 35.3, 51.1),
             layer="contested", status="contested"),
        _row("c", D(2024, 8, 12), D(2024, 8, 20), box(35.3, 51.0, 35.4, 51.1),
             status="claimed"),
    ]))


def test_state_before_first_feature_is_empty(timeline):
    assert timeline.state("ukrainian_held", "2024-08-05").empty
    assert timeline.geometry("ukrainian_held", "2024-08-05").is_empty


def test_valid_to_is_exclusive(timeline):
    assert list(timeline.state("ukrainian_held", "2024-08-11")["id"]) == ["a"]
    assert sorted(timeline.state("ukrainian_held", "2024-08-12")["id"]) == ["b", "c"]


def test_null_valid_to_stays_in_force(timeline):
    assert list(timeline.state("ukrainian_held", "2025-08-31")["id"]) == ["b"]


def test_geometry_filters_by_status(timeline):
    held = timeline.geometry("ukrainian_held", "2024-08-13", status="held")
    every = timeline.geometry("ukrainian_held", "2024-08-13")
    assert held.equals(box(35.0, 51.0, 35.2, 51.1))
    assert every.area > held.area


def test_change_dates_per_layer_and_overall(timeline):
    assert timeline.change_dates("contested") == [D(2024, 8, 10), D(2024, 8, 15)]
    assert timeline.change_dates() == [D(2024, 8, 6), D(2024, 8, 10), D(2024, 8, 12),
                                       D(2024, 8, 15), D(2024, 8, 20)]


def test_previous_change_and_segment_start(timeline):
    assert timeline.segment_start("ukrainian_held", "2024-08-14") == D(2024, 8, 12)
    assert timeline.previous_change("ukrainian_held", "2024-08-14") == D(2024, 8, 6)
    assert timeline.previous_change("ukrainian_held", "2024-08-07") is None
    assert timeline.segment_start("ukrainian_held", "2024-08-01") is None


def test_layers_in_canonical_order(timeline):
    assert timeline.layers == ["ukrainian_held", "contested"]
    assert timeline.area_layers == ["ukrainian_held", "contested"]
    assert timeline.statuses("ukrainian_held") == ["claimed", "held"]


def test_unknown_layer_names_the_loaded_ones(timeline):
    with pytest.raises(UnknownLayerError, match="no layer 'sumy'.*ukrainian_held, contested"):
        timeline.state("sumy", "2024-08-10")
    assert not timeline.has_layer("sumy")


def test_empty_timeline_has_no_layers():
    empty = gpd.GeoDataFrame({"id": [], "layer": [], "status": [], "valid_from": [],
                              "valid_to": []}, geometry=[], crs="EPSG:4326")
    tl = Timeline(empty)
    assert tl.layers == []
    with pytest.raises(UnknownLayerError):
        tl.change_dates("ukrainian_held")


def test_to_date_accepts_strings_dates_and_datetimes():
    assert to_date("2025-03-13") == D(2025, 3, 13)
    assert to_date(dt.datetime(2025, 3, 13, 23, 59)) == D(2025, 3, 13)
    with pytest.raises(ValueError, match="Invalid isoformat"):
        to_date("13 March")


dates = st.dates(min_value=D(2024, 8, 6), max_value=D(2025, 8, 31))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(dates, st.integers(1, 400) | st.none()), min_size=1, max_size=25),
       dates)
def test_index_agrees_with_a_linear_scan(spans, day):
    rows = []
    for n, (start, length) in enumerate(spans):
        end = None if length is None else start + dt.timedelta(days=length)
        rows.append(_row(f"f{n}", start, end, box(35, 51, 35.01, 51.01)))
    tl = Timeline(_frame(rows))
    expected = sorted(r["id"] for r in rows
                      if r["valid_from"] <= day and (r["valid_to"] is None or day < r["valid_to"]))
    assert sorted(tl.state("ukrainian_held", day)["id"]) == expected
