"""geo.area_table on a small in-code Timeline and claims table."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box
from shapes import cell

from geo.area_table import CLAIM_MATCH_COLUMNS, TABLE_COLUMNS, area_table, nearest_claim
from geo.measurement import geodesic_area_km2
from layers import Timeline
from layers.claims import CLAIM_COLUMNS

D = dt.date
HELD_1 = cell(35.0, 51.0, 35.2, 51.2)    # 6 Aug - 10 Aug
HELD_2 = cell(35.0, 51.0, 35.4, 51.2)    # 10 Aug - 1 Sep (grew)
HELD_3 = cell(35.1, 51.0, 35.3, 51.2)    # from 1 Sep
GREY = cell(35.4, 51.0, 35.5, 51.2)      # contested strip, from 10 Aug
ZONE = cell(34.5, 50.9, 34.7, 51.0)      # sumy_security_zone from 1 Sep


def feature(fid, layer, status, start, end, geom):
    return {"id": fid, "layer": layer, "status": status, "valid_from": start, "valid_to": end,
            "confidence": "high", "name": "", "kind": "", "sources": [], "notes": "",
            "file": "t.geojson", "geometry": geom}


def claim(**fields):
    """One claims row of quantity ``area`` (the other CLAIM_COLUMNS: claims_frame).

    ``layer`` and ``status`` are the claim's ``layers`` and ``statuses``.
    """
    fields.setdefault("quantity", "area")
    if "layer" in fields:
        fields["layers"] = fields.pop("layer")
    if "status" in fields:
        fields["statuses"] = fields.pop("status")
    return fields


@pytest.fixture
def timeline():
    rows = [
        feature("h1", "ukrainian_held", "held", D(2024, 8, 6), D(2024, 8, 10), HELD_1),
        feature("h2", "ukrainian_held", "held", D(2024, 8, 10), D(2024, 9, 1), HELD_2),
        feature("h3", "ukrainian_held", "held", D(2024, 9, 1), None, HELD_3),
        feature("g1", "ukrainian_held", "contested", D(2024, 8, 10), None, GREY),
        feature("z1", "sumy_security_zone", "held", D(2024, 9, 1), None, ZONE),
        feature("e1", "events", "claimed", D(2024, 8, 7), D(2024, 8, 8), Point(35.1, 51.1)),
    ]
    return Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326"))


def claims_frame(rows):
    frame = pd.DataFrame([{**dict.fromkeys(CLAIM_COLUMNS, ""), "tolerance_pct": np.nan,
                           **row} for row in rows], columns=CLAIM_COLUMNS)
    frame["figure"] = frame["figure"].astype(float)
    frame["tolerance_pct"] = frame["tolerance_pct"].astype(float)
    return frame


@pytest.fixture
def claims():
    return claims_frame([
        claim(claim_id="ua-1", date=D(2024, 8, 12), claim_maker="Syrskyi", figure=1000.0,
             unit="km2", layer="ukrainian_held", tolerance_pct=10.0, outlet="o1"),
        claim(claim_id="ua-2", date=D(2024, 8, 20), claim_maker="Syrskyi", figure=640.0,
             unit="km2", layer="ukrainian_held", status="held", tolerance_pct=5.0),
        claim(claim_id="grey", date=D(2024, 8, 11), claim_maker="ISW", figure=90.0,
             unit="km2", layer="ukrainian_held", status="contested"),
        claim(claim_id="towns", date=D(2024, 8, 15), claim_maker="Syrskyi", figure=2.0,
             unit="settlements", layer="ukrainian_held", status="held", tolerance_pct=0.0),
        claim(claim_id="depth", date=D(2024, 8, 15), claim_maker="x", figure=30.0,
             unit="km", layer="ukrainian_held"),
        claim(claim_id="zone", date=D(2025, 3, 1), claim_maker="y", figure=90.0,
             unit="km2", layer="sumy_security_zone", tolerance_pct=1.0),
        claim(claim_id="nolayer", date=D(2024, 8, 15), claim_maker="z", figure=1.0,
             unit="km2", layer="russian_claimed", tolerance_pct=1.0),
        claim(claim_id="early", date=D(2024, 8, 1), claim_maker="z", figure=10.0,
             unit="km2", layer="sumy_security_zone", tolerance_pct=1.0),
    ])


# --- area_table -----------------------------------------------------------------------


def test_one_row_per_change_date_layer_and_status(timeline):
    table = area_table(timeline)
    assert list(table.columns) == TABLE_COLUMNS
    keys = list(zip(table["layer"], table["status"], table["date"], strict=True))
    assert keys == [
        ("sumy_security_zone", "held", D(2024, 9, 1)),
        ("ukrainian_held", "contested", D(2024, 8, 6)),
        ("ukrainian_held", "contested", D(2024, 8, 10)),
        ("ukrainian_held", "contested", D(2024, 9, 1)),
        ("ukrainian_held", "held", D(2024, 8, 6)),
        ("ukrainian_held", "held", D(2024, 8, 10)),
        ("ukrainian_held", "held", D(2024, 9, 1)),
    ]
    assert all(type(d) is dt.date for d in table["date"])
    assert "events" not in set(table["layer"])


def test_areas_and_changes_match_geodesic_area(timeline):
    table = area_table(timeline).set_index(["layer", "status", "date"])
    held = table.loc[("ukrainian_held", "held")]
    expected = [geodesic_area_km2(g) for g in (HELD_1, HELD_2, HELD_3)]
    assert held["area_km2"].tolist() == pytest.approx(expected, rel=1e-9)
    assert np.isnan(held["change_km2"].iloc[0])
    assert held["change_km2"].iloc[1:].tolist() == pytest.approx(np.diff(expected), rel=1e-6)
    grey = table.loc[("ukrainian_held", "contested")]
    assert grey["area_km2"].tolist() == pytest.approx([0.0, geodesic_area_km2(GREY),
                                                       geodesic_area_km2(GREY)], rel=1e-9)
    assert grey["change_km2"].tolist()[1:] == pytest.approx([geodesic_area_km2(GREY), 0.0])


def test_nearest_claim_joined_per_layer_and_status(timeline, claims):
    table = area_table(timeline, claims)
    assert list(table.columns) == TABLE_COLUMNS + CLAIM_MATCH_COLUMNS
    by = table.set_index(["layer", "status", "date"])
    # held rows: ua-1 (any status) and ua-2 (held) are candidates
    assert by.loc[("ukrainian_held", "held", D(2024, 8, 6)), "claim_id"] == "ua-1"
    assert by.loc[("ukrainian_held", "held", D(2024, 8, 10)), "claim_id"] == "ua-1"
    assert by.loc[("ukrainian_held", "held", D(2024, 9, 1)), "claim_id"] == "ua-2"
    # contested rows: ua-1 (status "") and grey (contested); ua-2 is about "held" only
    assert by.loc[("ukrainian_held", "contested", D(2024, 9, 1)), "claim_id"] == "ua-1"
    assert by.loc[("ukrainian_held", "contested", D(2024, 8, 10)), "claim_id"] == "grey"
    row = by.loc[("ukrainian_held", "held", D(2024, 9, 1))]
    assert row["claim_date"] == D(2024, 8, 20)
    assert row["claim_maker"] == "Syrskyi"
    assert row["claim_km2"] == 640.0
    assert row["claim_diff_km2"] == pytest.approx(row["area_km2"] - 640.0)
    assert row["claim_diff_pct"] == pytest.approx(100 * (row["area_km2"] - 640.0) / 640.0)
    zone = by.loc[("sumy_security_zone", "held", D(2024, 9, 1))]
    assert zone["claim_id"] == "early"  # 31 days before vs. 181 after


def test_rows_without_a_claim_get_nan(timeline, claims):
    table = area_table(timeline, claims[claims["layers"] != "sumy_security_zone"])
    zone = table[table["layer"] == "sumy_security_zone"].iloc[0]
    assert pd.isna(zone["claim_id"]) and np.isnan(zone["claim_km2"])
    assert np.isnan(zone["claim_diff_pct"])


def test_empty_timeline_gives_an_empty_table():
    empty = Timeline(gpd.GeoDataFrame({"layer": [], "valid_from": [], "valid_to": [],
                                       "status": []}, geometry=[], crs="EPSG:4326"))
    assert list(area_table(empty).columns) == TABLE_COLUMNS
    assert len(area_table(empty, claims_frame([]))) == 0


def test_duck_typed_timeline():
    class Fake:
        area_layers = ["a"]

        def change_dates(self, _layer):
            return [D(2024, 8, 6), D(2024, 8, 7)]

        def statuses(self, _layer):
            return ["held"]

        def geometry(self, _layer, on, _status=None):
            return box(35, 51, 35.1, 51.1) if on.day == 7 else shapely.Polygon()

    table = area_table(Fake())
    assert table["area_km2"].tolist() == pytest.approx([0.0, geodesic_area_km2(
        box(35, 51, 35.1, 51.1))])


def test_nearest_claim_ties_go_to_the_earlier(claims):
    tie = claims_frame([
        claim(claim_id="later", date=D(2024, 8, 20), figure=1.0, unit="km2", layer="L"),
        claim(claim_id="earlier", date=D(2024, 8, 10), figure=1.0, unit="km2", layer="L"),
    ])
    assert nearest_claim(tie, "L", D(2024, 8, 15))["claim_id"] == "earlier"
    assert nearest_claim(tie, "L", "2024-08-16")["claim_id"] == "later"
    assert nearest_claim(tie, "L", D(2020, 1, 1))["claim_id"] == "earlier"
    assert nearest_claim(tie, "L", D(2030, 1, 1))["claim_id"] == "later"
    assert nearest_claim(tie, "other", D(2024, 8, 15)) is None
    assert nearest_claim(claims, "ukrainian_held", D(2024, 8, 19), status="contested"
                         )["claim_id"] == "ua-1"
    assert nearest_claim(claims, "ukrainian_held", D(2024, 8, 19))["claim_id"] == "ua-2"


def test_nearest_claim_skips_other_units_and_missing_figures():
    rows = claims_frame([
        claim(claim_id="km", date=D(2024, 8, 15), figure=5.0, unit="km", layer="L"),
        claim(claim_id="nofig", date=D(2024, 8, 15), figure=np.nan, unit="km2", layer="L"),
        claim(claim_id="ok", date=D(2024, 9, 15), figure=5.0, unit="km2", layer="L"),
    ])
    assert nearest_claim(rows, "L", D(2024, 8, 15))["claim_id"] == "ok"


# check_claims (each figure against its own quantity) is tested in test_claims_quantities.py.


def test_overlapping_features_are_unioned_not_summed():
    a, b = cell(35.0, 51.0, 35.2, 51.2), cell(35.1, 51.0, 35.3, 51.2)
    rows = [feature("a", "ukrainian_held", "held", D(2024, 8, 6), None, a),
            feature("b", "ukrainian_held", "held", D(2024, 8, 8), None, b)]
    table = area_table(Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326")))
    assert table["area_km2"].tolist() == pytest.approx(
        [geodesic_area_km2(a), geodesic_area_km2(shapely.union(a, b))], rel=1e-9)


def test_direct_and_duck_typed_paths_agree(timeline):
    class Bare:  # only the four duck-typed members: every state goes through geometry()
        area_layers = timeline.area_layers
        change_dates = staticmethod(timeline.change_dates)
        statuses = staticmethod(timeline.statuses)
        geometry = staticmethod(timeline.geometry)

    direct, bare = area_table(timeline), area_table(Bare())
    assert direct["area_km2"].tolist() == pytest.approx(bare["area_km2"].tolist(), rel=1e-12)
