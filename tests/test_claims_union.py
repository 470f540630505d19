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
