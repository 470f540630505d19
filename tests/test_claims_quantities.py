"""Each quantity a claim can measure, on hand-checkable geometry (tests/shapes.py)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pyproj
import pytest
from shapely.geometry import LineString
from shapes import cell, zone_area_km2

from geo.claims_check import check_claims, verdict
from geo.quantities import QUANTITIES, UNITS, MapView, Request, measure
from layers import Timeline
from layers.claims import CLAIM_COLUMNS
from layers.schema import QUANTITY_NAMES

D0, D1 = dt.date(2024, 8, 10), dt.date(2024, 9, 1)
A = (35.0, 51.0, 35.2, 51.1)  # held from D0
B = (35.0, 51.0, 35.05, 51.1)  # held from D1 (the east three quarters lost)
C = (35.2, 51.0, 35.3, 51.1)  # contested from D0
GEOD = pyproj.Geod(ellps="WGS84")


def _row(fid, layer, status, start, end, geom):
    return {"id": fid, "layer": layer, "status": status, "valid_from": start, "valid_to": end,
            "geometry": geom}


@pytest.fixture(scope="module")
def view():
    route = LineString([(35.0, 51.0), (35.0, 51.1)])
    rows = [_row("a", "ukrainian_held", "held", D0, D1, cell(*A)),
            _row("b", "ukrainian_held", "held", D1, None, cell(*B)),
            _row("c", "contested", "contested", D0, None, cell(*C)),
            _row("r", "events", "contested", D0, None, route)]
    frame = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    frame["kind"] = ["", "", "", "route"]
    places = {"X": SimpleNamespace(country="RUS"), "Y": SimpleNamespace(country="RUS"),
              "Z": SimpleNamespace(country="UKR")}

    def controls_on(day):
        later = day >= D1
        return {"X": SimpleNamespace(status="ukrainian"),
                "Y": SimpleNamespace(status="russian" if later else "ukrainian"),
                "Z": SimpleNamespace(status="russian" if later else "ukrainian")}

    border = LineString([(34.9, 50.5), (34.9, 51.5)])
    return MapView(Timeline(frame), border, controls_on, places)


def m(view, quantity, layers=("ukrainian_held",), day=D1 + dt.timedelta(days=2), **kw):
    return measure(view, Request(quantity, tuple(layers), date=day, **kw))


def test_the_quantity_names_are_one_closed_set():
    assert set(QUANTITIES) == set(QUANTITY_NAMES) == set(UNITS)


def test_area_and_union(view):
    assert m(view, "area").value == pytest.approx(zone_area_km2(*B), rel=1e-6)
    both = m(view, "area", ("ukrainian_held", "contested"), day=D0)
    assert both.value == pytest.approx(zone_area_km2(*A) + zone_area_km2(*C), rel=1e-6)
    assert both.unit == "km2"


def test_peak_retaken_and_share(view):
    assert m(view, "peak_area").value == pytest.approx(zone_area_km2(*A), rel=1e-6)
    assert m(view, "peak_area", day=D0).value == pytest.approx(zone_area_km2(*A), rel=1e-6)
    lost = zone_area_km2(*A) - zone_area_km2(*B)
    assert m(view, "retaken_since_peak").value == pytest.approx(lost, rel=1e-6)
    share = m(view, "share_retaken")
    assert (share.value, share.unit) == (pytest.approx(75.0, abs=1e-4), "percent")


def test_lost_and_gained_in_a_window(view):
    east = zone_area_km2(35.05, 51.0, 35.2, 51.1)
    assert m(view, "lost_in_window", day=D1, window_days=5).value == pytest.approx(east,
                                                                                   rel=1e-6)
    assert m(view, "lost_in_window", day=D1 + dt.timedelta(days=3), window_days=1).value == 0
    assert m(view, "gained_in_window", day=D0, window_days=3).value == pytest.approx(
        zone_area_km2(*A), rel=1e-6)
    assert "needs window_days" in m(view, "lost_in_window").note


def test_settlements_held_and_changed(view):
    assert m(view, "settlements_held", day=D0).value == 2  # X and Y
    assert m(view, "settlements_held").value == 1
    assert m(view, "settlements_changed_in_window", day=D1, window_days=5).value == 1  # Y
    assert m(view, "settlements_held", ("sumy_security_zone",), day=D1).value == 1  # Z
    no_facts = MapView(view.timeline)
    assert "fact base" in measure(no_facts, Request("settlements_held", ("ukrainian_held",),
                                                    date=D1)).note


def test_depth_from_the_border(view):
    # The held box's far edge is 35.2 E; the border is the 34.9 E meridian.
    far = GEOD.inv(34.9, 51.0, 35.2, 51.0)[2] / 1000.0
    assert m(view, "depth_from_border", day=D0).value == pytest.approx(far, rel=5e-3)


def test_route_length(view):
    length = GEOD.inv(35.0, 51.0, 35.0, 51.1)[2] / 1000.0  # 11.13 km
    got = m(view, "route_length", ("events",))
    assert (got.value, got.unit) == (pytest.approx(length, rel=1e-6), "km")


def test_context_is_never_computed(view):
    got = m(view, "context")
    assert pd.isna(got.value) and got.note.startswith("context")


def _claims(**row):
    base = dict.fromkeys(CLAIM_COLUMNS, "")
    base.update(claim_id="c", date=D1, claim_maker="Someone", side="russia",
                tolerance_pct=1.0, required=False, window_days=None, comparison="about")
    base.update(row)
    return pd.DataFrame([base])


def test_a_wrong_pairing_fails(view):
    east = zone_area_km2(35.05, 51.0, 35.2, 51.1)
    # "X km² regained in the last 5 days", checked against the quantity it measures...
    right = check_claims(view, _claims(figure=east, unit="km2", quantity="lost_in_window",
                                       layers="ukrainian_held", window_days=5)).iloc[0]
    assert bool(right["within"]) and right["verdict"].startswith("within ±1 %")
    assert right["claim"].endswith("(5 days)")
    # ...and against the area still held that day: the check must fail.
    wrong = check_claims(view, _claims(figure=east, unit="km2", quantity="area",
                                       layers="ukrainian_held")).iloc[0]
    assert not bool(wrong["within"])
    # A share compared with an area is refused outright.
    refused = check_claims(view, _claims(figure=50, unit="percent", quantity="area",
                                         layers="ukrainian_held")).iloc[0]
    assert pd.isna(refused["map_value"]) and "wrong pairing" in refused["note"]


def test_one_day_is_singular(view):
    row = check_claims(view, _claims(figure=1, unit="km2", quantity="lost_in_window",
                                     layers="ukrainian_held", window_days=1)).iloc[0]
    assert row["claim"].endswith("(1 day)")


@pytest.mark.parametrize(("value", "figure", "comparison", "tol", "ok"), [
    (100, 90, "more_than", float("nan"), True), (80, 90, "more_than", float("nan"), False),
    (85, 90, "more_than", 10.0, True), (95, 90, "less_than", float("nan"), False),
    (93, 100, "about", 7.0, True), (92, 100, "about", 7.0, False),
    (50, 100, "about", float("nan"), None),
])
def test_verdicts(value, figure, comparison, tol, ok):
    assert verdict(value, figure, comparison, tol)[0] is ok


def test_a_held_figure_is_also_read_with_the_contested_ground(view):
    """A tracker's figure between held and held ∪ contested differs in classing, not extent."""
    held, contested = zone_area_km2(*A), zone_area_km2(*C)
    between = check_claims(view, _claims(figure=held + contested / 2, unit="km2",
                                         quantity="area", layers="ukrainian_held",
                                         date=D0)).iloc[0]
    assert between["map_value"] == pytest.approx(held, rel=1e-6)
    assert between["map_with_contested"] == pytest.approx(held + contested, rel=1e-6)
    assert between["with_contested_text"].endswith("the figure lies between the two")
    above = check_claims(view, _claims(figure=2 * (held + contested), unit="km2",
                                       quantity="area", layers="ukrainian_held",
                                       date=D0)).iloc[0]
    assert above["with_contested_text"].endswith("the figure is above both")
    # The verdict stays with the quantity the figure measures: held ground alone.
    assert not bool(between["within"])
    # A figure that already counts the contested ground gets no second reading.
    kyiv = check_claims(view, _claims(figure=held + contested, unit="km2", quantity="area",
                                      layers="ukrainian_held+contested", date=D0)).iloc[0]
    assert kyiv["with_contested_text"] == "" and pd.isna(kyiv["map_with_contested"])


def test_a_view_measures_each_area_once_and_remembers_it_per_view(view):
    """A peak measures every change day; the next claim on the same layers reuses them."""
    fresh = MapView(view.timeline, view.border, view.controls_on, view.places)
    first = m(fresh, "peak_area").value
    assert fresh.areas and set(fresh.areas) >= {(("ukrainian_held",), (), D0),
                                                (("ukrainian_held",), (), D1)}
    assert m(fresh, "peak_area").value == first == pytest.approx(zone_area_km2(*A), rel=1e-6)
    other = MapView(view.timeline)
    assert other.areas == {}  # nothing shared between views
