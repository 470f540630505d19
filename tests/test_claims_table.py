"""The shipped claims table: each figure against the quantity it measures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from test_published_figures import FACTS_FALL_SHORT

from geo.claims_check import check_claims
from geo.measurement import geodesic_area_km2
from geo.quantities import map_view
from layers import load_dataset


@pytest.fixture(scope="module")
def data():
    return load_dataset()


@pytest.fixture(scope="module")
def table(data):
    return check_claims(map_view(data), data.claims).set_index("claim_id")


def _area(tl, layers, day):
    return geodesic_area_km2(tl.geometry(layers[0], day).union(tl.geometry(layers[1], day)))


def test_every_computable_row_is_computed(table):
    computable = table[table["quantity"] != "context"]
    missing = computable[computable["map_value"].isna()]
    assert missing.empty, missing[["quantity", "layers", "note"]].to_dict("index")
    assert (table.loc[table["quantity"] == "context", "verdict"]
            == "context (not computed)").all()


def test_the_five_day_claim_is_the_ground_lost_from_7_to_12_march(table, data):
    row = table.loc["gerasimov-20250312-5days"]
    assert (row["quantity"], row["layers"], row["window_days"]) == (
        "lost_in_window", "ukrainian_held+contested", 5)
    layers = ("ukrainian_held", "contested")
    before, after = (_area(data.timeline, layers, dt.date(2025, 3, d)) for d in (7, 12))
    # A loss, not what is left: at least the net shrinkage, at most what was there.
    assert before - after - 0.01 <= row["map_value"] <= before
    # the old pairing compared it with the area still held on 12 March
    assert row["map_value"] != pytest.approx(after, abs=1.0)


def test_the_reuters_peak_is_the_peak_up_to_23_november(table, data):
    row = table.loc["reuters-20241123-peak"]
    assert row["quantity"] == "peak_area"
    tl = data.timeline
    layers = ("ukrainian_held", "contested")
    days = [d for d in tl.change_dates("ukrainian_held") if d <= dt.date(2024, 11, 23)]
    areas = [_area(tl, layers, d) for d in days]
    assert row["map_value"] == pytest.approx(max(areas), rel=1e-6)
    assert row["map_value"] > _area(tl, layers, dt.date(2024, 11, 23))


def test_gerasimovs_sumy_zone_is_the_whole_zone(table, data):
    row = table.loc["gerasimov-20250830-sumy-area"]
    assert (row["layers"], row["statuses"]) == ("sumy_security_zone", "")
    whole = geodesic_area_km2(data.timeline.geometry("sumy_security_zone",
                                                     dt.date(2025, 8, 30)))
    assert row["map_value"] == pytest.approx(whole, rel=1e-6)


def test_share_rows_are_percentages(table):
    shares = table[table["quantity"] == "share_retaken"]
    assert len(shares) >= 8
    assert (shares["unit"] == "percent").all()
    assert shares["map_value"].between(0, 100).all()


@pytest.mark.parametrize("claim_id", [
    pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=FACTS_FALL_SHORT[c]))
    if c in FACTS_FALL_SHORT else c
    for c in ["seed002-september-area", "seed002-pipeline-length",
              "gerasimov-20250426-sumy-area"]])
def test_each_required_row_agrees_with_the_map(table, claim_id):
    row = table.loc[claim_id]
    assert row["required"]
    assert bool(row["within"]), (row["verdict"], row["map_text"])


def test_the_required_rows_are_exactly_these(data):
    assert sorted(data.claims.loc[data.claims["required"], "claim_id"]) == [
        "gerasimov-20250426-sumy-area", "seed002-pipeline-length", "seed002-september-area"]


def test_no_claim_cites_a_file_outside_the_repository(data):
    text = data.claims.map(str).agg(" ".join, axis=1)
    assert not text.str.contains("public-figures|/work/|seed 00.*txt", regex=True).any()
    assert pd.api.types.is_bool_dtype(data.claims["required"])


@pytest.mark.parametrize("side", ["ukraine", "russia"])
def test_a_sides_settlement_counts_cover_the_ground_its_area_figures_cover(data, side):
    """Syrskyi's '1,263 km² and 93 settlements' is one statement: both parts, one ground."""
    claims = data.claims[(data.claims["side"] == side)
                         & ~data.claims["layers"].str.contains("sumy")]
    counts = set(claims.loc[claims["quantity"].str.startswith("settlements"), "layers"])
    areas = set(claims.loc[claims["quantity"].isin(["area", "retaken_since_peak"]), "layers"])
    assert counts and counts <= areas, (counts, areas)


def test_a_claimed_settlement_counts_for_the_side_that_claims_it(table):
    """Kyiv's count on 27 Aug covers held, contested and Ukraine's claimed places."""
    held_only = table.loc["deepstate-20240812-settlements", "map_value"]
    kyiv = table.loc["syrskyi-20240813-settlements", "map_value"]
    assert kyiv > held_only


def test_a_settlement_difference_is_a_whole_number(table):
    row = table.loc["syrskyi-20240827-settlements"]
    assert row["difference_text"].split()[0] == f"{int(row['difference']):+,d}"


def test_every_difference_names_its_unit(table):
    """'-21.5 (-1.7 %)' left the reader to guess km², km or settlements."""
    computed = table[table["difference"].notna()]
    assert len(computed) > 20
    words = {"km2": " km²", "km": " km", "settlements": " settlement",
             "percent": " percentage points"}
    for claim_id, row in computed.iterrows():
        assert words[row["unit"]] in row["difference_text"], (claim_id, row)


def test_the_trackers_held_figures_are_read_with_the_contested_ground_too(table):
    """Held-ground figures get the wider reading; figures that count contested ground don't."""
    held_only = table[(table["layers"] == "ukrainian_held") & table["map_value"].notna()]
    assert len(held_only) >= 10
    sizes = held_only[held_only["quantity"].isin(["area", "peak_area", "settlements_held"])]
    assert (sizes["map_with_contested"] >= sizes["map_value"] - 1e-6).all()  # a share may fall
    assert held_only["with_contested_text"].str.contains("with the contested").all()
    wider = table[table["layers"].str.contains("contested")]
    assert (wider["with_contested_text"] == "").all()
    row = table.loc["deepstate-20250313-area"]
    low, high = sorted((row["map_value"], row["map_with_contested"]))
    words = "lies between" if low <= row["figure"] <= high else "both"
    assert words in row["with_contested_text"]
