"""A claim may measure the union of layers ("a+b"): Kyiv's totals vs held + claimed band."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.claims_check import check_claims
from geo.measurement import geodesic_area_km2
from layers import Timeline
from layers.claims import CLAIM_COLUMNS

D = dt.date(2024, 8, 12)
HELD, BAND = box(35.0, 51.0, 35.2, 51.1), box(35.2, 51.0, 35.3, 51.1)


def _claims(layer):
    row = dict.fromkeys(CLAIM_COLUMNS, "")
    row.update(claim_id="c", date=D, figure=1000.0, unit="km2", layer=layer,
               tolerance_pct=float("nan"))
    return pd.DataFrame([row])


@pytest.fixture
def timeline():
    rows = [{"id": "h", "layer": "ukrainian_held", "status": "held", "valid_from": D,
             "valid_to": None, "geometry": HELD},
            {"id": "b", "layer": "ukrainian_claimed", "status": "claimed", "valid_from": D,
                 "valid_to": None, "geometry": BAND}]
    return Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326"))


def test_plus_measures_the_union(timeline):
    row = check_claims(timeline, _claims("ukrainian_held+ukrainian_claimed")).iloc[0]
    assert row["computed"] == pytest.approx(geodesic_area_km2(HELD.union(BAND)), rel=1e-9)


def test_a_single_layer_is_unchanged(timeline):
    row = check_claims(timeline, _claims("ukrainian_held")).iloc[0]
    assert row["computed"] == pytest.approx(geodesic_area_km2(HELD), rel=1e-9)


def test_an_unknown_part_is_named(timeline):
    row = check_claims(timeline, _claims("ukrainian_held+nope")).iloc[0]
    assert pd.isna(row["computed"])
    assert row["note"] == "layer 'nope' is not in the timeline (no features loaded for it)"


def _km_claim(layer, measures, day=D):
    row = dict.fromkeys(CLAIM_COLUMNS, "")
    row.update(claim_id="k", date=day, figure=10.0, unit="km", layer=layer, measures=measures,
               tolerance_pct=float("nan"))
    return pd.DataFrame([row])


def test_depth_is_measured_from_the_border(timeline):
    from shapely.geometry import LineString

    from geo.measurement import GEOD

    # The southern edge of HELD, along the parallel (short segments: a single 0.6° geodesic
    # would bulge ~20 m north of the parallel).
    border = LineString([(34.9 + i / 100, 51.0) for i in range(61)])
    row = check_claims(timeline, _km_claim("ukrainian_held", "depth of the advance"),
                       border=border).iloc[0]
    # HELD reaches 0.1° of latitude north of the line: one meridian arc at 35.1E.
    expected = GEOD.inv(35.1, 51.0, 35.1, 51.1)[2] / 1000
    assert row["computed"] == pytest.approx(expected, rel=1e-3)
    no_border = check_claims(timeline, _km_claim("ukrainian_held", "depth")).iloc[0]
    assert pd.isna(no_border["computed"])
    assert no_border["note"] == "no border given: depth is measured from the state border"


def test_length_is_the_geodesic_length_of_the_lines_in_force():
    from shapely.geometry import LineString, Point

    from geo.measurement import geodesic_length_km

    route = LineString([(35.2, 51.3), (35.27, 51.2)])
    rows = [{"id": "r", "layer": "events", "status": "held", "valid_from": D, "valid_to": None,
             "kind": "route", "geometry": route},
            {"id": "p", "layer": "events", "status": "held", "valid_from": D, "valid_to": None,
             "kind": "capture", "geometry": Point(35.27, 51.19)}]
    tl = Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326"))
    row = check_claims(tl, _km_claim("events", "length of the pipeline route")).iloc[0]
    assert row["computed"] == pytest.approx(geodesic_length_km(route), rel=1e-9)


def test_other_km_claims_say_why_they_are_not_computed(timeline):
    row = check_claims(timeline, _km_claim("ukrainian_held", "width of the front")).iloc[0]
    assert pd.isna(row["computed"])
    assert row["note"] == "unit 'km' (width of the front) is not computed from the map"


def test_depth_near_the_border_equals_the_full_border_measure():
    from shapely.geometry import LineString

    from geo.claims_check import _depth_km
    from geo.measurement import max_depth_km

    border = LineString([(30.0 + i / 10, 51.0) for i in range(80)])  # 30E..37.9E
    near = box(35.0, 51.0, 35.2, 51.2)
    assert _depth_km(near, border) == pytest.approx(max_depth_km(near, border), rel=1e-9)
    # An area farther than the clipping margin falls back to the whole border.
    far = box(35.0, 52.5, 35.2, 52.7)
    assert _depth_km(far, border) == pytest.approx(max_depth_km(far, border), rel=1e-9)
