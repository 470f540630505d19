"""The area chart's series: layers, the unions published figures measure, uploads' names."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from shapes import cell, zone_area_km2

from layers import Timeline
from views.chart import area_series, chart_layers, claims_for_chart

D0, D1 = dt.date(2024, 8, 10), dt.date(2024, 9, 1)
HELD = (35.0, 51.0, 35.2, 51.1)
GREY = (35.1, 51.0, 35.3, 51.1)  # overlaps HELD by a quarter of each


@pytest.fixture(scope="module")
def timeline():
    def row(fid, layer, status, start, box):
        return {"id": fid, "layer": layer, "status": status, "valid_from": start,
                "valid_to": None, "geometry": cell(*box)}

    rows = [row("h", "ukrainian_held", "held", D0, HELD),
            row("c", "contested", "contested", D1, GREY),
            row("u", "upload: mine+yours", "held", D0, GREY)]
    return Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326"))


def test_a_union_counts_shared_ground_once_from_the_day_a_part_changes(timeline):
    layers = chart_layers(["ukrainian_held", "contested"])
    assert layers[-1] == "ukrainian_held+contested"
    series = area_series(timeline, layers)
    union = series[series["layer"] == "ukrainian_held+contested"].set_index("date")["area_km2"]
    assert union[pd.Timestamp(D0)] == pytest.approx(zone_area_km2(*HELD), rel=1e-3)
    both = zone_area_km2(35.0, 51.0, 35.3, 51.1)  # not HELD + GREY: the overlap once
    assert union[pd.Timestamp(D1)] == pytest.approx(both, rel=1e-3)


def test_an_uploaded_layer_with_a_plus_in_its_name_is_one_layer(timeline):
    series = area_series(timeline, ["upload: mine+yours"])
    assert set(series["layer"]) == {"upload: mine+yours"}
    assert series["area_km2"].iloc[0] == pytest.approx(zone_area_km2(*GREY), rel=1e-3)


def test_a_figure_sits_beside_the_line_of_what_it_measures():
    claims = pd.DataFrame({
        "claim_id": ["kyiv", "tracker", "sumy-held"], "unit": ["km2"] * 3,
        "quantity": ["area"] * 3, "statuses": ["", "", "held"],
        "layers": ["ukrainian_held+contested", "ukrainian_held", "sumy_security_zone"]})
    layers = chart_layers(["ukrainian_held", "contested", "sumy_security_zone"])
    drawn = claims_for_chart(claims, layers)
    assert dict(zip(drawn["claim_id"], drawn["plot_layer"], strict=True)) == {
        "kyiv": "ukrainian_held+contested", "tracker": "ukrainian_held",
        "sumy-held": "sumy_security_zone|held"}


def test_a_line_of_some_statuses_counts_only_those():
    mixed = Timeline(gpd.GeoDataFrame([
        {"id": "a", "layer": "sumy_security_zone", "status": "held", "valid_from": D0,
         "valid_to": None, "geometry": cell(*HELD)},
        {"id": "b", "layer": "sumy_security_zone", "status": "contested", "valid_from": D0,
         "valid_to": None, "geometry": cell(35.2, 51.0, 35.3, 51.1)}], crs="EPSG:4326"))
    assert "sumy_security_zone|held" in chart_layers(["sumy_security_zone"])
    series = area_series(mixed, ["sumy_security_zone", "sumy_security_zone|held"])
    first = series.groupby("layer")["area_km2"].first()
    assert first["sumy_security_zone|held"] == pytest.approx(zone_area_km2(*HELD), rel=1e-3)
    assert first["sumy_security_zone"] == pytest.approx(zone_area_km2(35.0, 51.0, 35.3, 51.1),
                                                        rel=1e-3)
