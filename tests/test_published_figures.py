"""The shipped layers answer to the published figures (seed articles, public-figures.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from shapely import affinity

from geo.measurement import geodesic_area_km2, geodesic_length_km
from geo.published_checks import SUDZHA, run_published_checks
from layers import Timeline, load_layer_dir, read_base, read_claims

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ROOT / "data" / "layers"


@pytest.fixture(scope="module")
def loaded():
    return load_layer_dir(LAYERS)


@pytest.fixture(scope="module")
def tl(loaded):
    return Timeline(loaded.frame)


@pytest.fixture(scope="module")
def base():
    return read_base(ROOT / "data" / "base")


@pytest.fixture(scope="module")
def results(tl, base):
    return {r.name: r for r in run_published_checks(tl, base)}


def days(start, end):
    day = dt.date.fromisoformat(start)
    last = dt.date.fromisoformat(end)
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def held_km2(tl, day):
    return geodesic_area_km2(tl.geometry("ukrainian_held", day))


def test_every_layer_file_validates(loaded):
    assert loaded.problems == []
    assert loaded.files_failed == [] or not loaded.files_failed
    names = {p.name for p in LAYERS.glob("*.geojson")}
    assert {"ukrainian_held.geojson", "sudzha_pocket.geojson", "sumy_security_zone.geojson",
            "events.geojson"} <= names


def test_september_area_is_nearly_1300_every_day(tl, results):
    for day in days("2024-08-27", "2024-09-30"):
        assert held_km2(tl, day) == pytest.approx(1300, rel=0.07), day
    assert results["september_area"].passed


def test_february_is_about_a_third_of_the_peak(tl, results):
    peak = max(held_km2(tl, d) for d in tl.change_dates("ukrainian_held"))
    assert peak <= 1376 * 1.01  # Reuters' General Staff source: peak ~1,376 km²
    assert 0.28 <= held_km2(tl, "2025-02-15") / peak <= 0.40
    assert results["february_share"].passed


def test_sudzha_pocket_contains_sudzha_until_12_march_and_not_from_16(tl, results):
    for day in days("2025-02-01", "2025-03-12"):
        assert tl.geometry("sudzha_pocket", day).covers(SUDZHA), day
    for day in days("2025-03-16", "2025-08-31"):
        assert not tl.geometry("sudzha_pocket", day).covers(SUDZHA), day
    assert results["sudzha_pocket"].passed


def test_sumy_zone_on_26_april_is_over_90_km2_and_inside_ukraine(tl, base, results):
    zone = tl.geometry("sumy_security_zone", "2025-04-26")
    assert 90 <= geodesic_area_km2(zone) <= 110
    assert geodesic_area_km2(zone.difference(base.country("UKR"))) <= 1e-6
    assert results["sumy_zone_area"].passed


def test_held_area_at_most_90_km2_from_april(tl, results):
    for day in days("2025-04-01", "2025-08-31"):
        assert held_km2(tl, day) <= 90, day
    assert results["april_on_area"].passed


def test_held_area_inside_russia_on_every_change_date(tl, base, results):
    russia = base.country("RUS")
    for day in tl.change_dates("ukrainian_held"):
        assert geodesic_area_km2(tl.geometry("ukrainian_held", day).difference(russia)) <= 1e-6
    assert results["held_inside_russia"].passed


def test_settlement_count_is_informational(results):
    check = results["settlements_count"]
    assert check.passed
    assert "gazetteer" in check.detail and "100" in check.expected


def test_all_hard_checks_pass(results):
    failed = [dataclasses.asdict(r) for r in results.values() if not r.passed]
    assert failed == []


def test_pipeline_route_is_about_15_km(tl):
    ev = tl.features[tl.features["kind"] == "route"]
    assert len(ev) == 1
    assert 12 <= geodesic_length_km(ev.geometry.iloc[0]) <= 16
    assert "schematic" in ev["notes"].iloc[0].lower()


def test_required_events_exist(tl):
    ev = tl.features[tl.features["layer"] == "events"]
    kinds = set(ev["kind"])
    assert {"crossing", "capture", "loss", "route", "claim"} <= kinds
    assert (ev.loc[ev["kind"] == "crossing", "valid_from"] == dt.date(2024, 8, 6)).all()
    assert dt.date(2024, 8, 15) in set(ev.loc[ev["kind"] == "capture", "valid_from"])
    assert dt.date(2025, 3, 13) in set(ev.loc[ev["kind"] == "loss", "valid_from"])
    assert len(ev[(ev["kind"] == "claim") & (ev["valid_from"] == dt.date(2025, 4, 26))]) >= 2


# ---- claims table ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def claims():
    return read_claims(ROOT / "data" / "claims.csv")


@pytest.mark.parametrize(("figure", "unit"), [
    (1300, "km2"), (100, "settlements"), (15, "km"), (90, "km2"), (600, "soldiers"),
])
def test_claims_have_each_seed_figure(claims, figure, unit):
    seed = claims[claims["outlet"].str.startswith("seed ")]
    rows = seed[(seed["figure"] == figure) & (seed["unit"] == unit)]
    assert len(rows) >= 1, (figure, unit)


def test_claims_with_tolerance_match_the_map(claims, tl):
    rows = claims[(claims["unit"] == "km2") & claims["tolerance_pct"].notna()
                  & claims["layer"].isin(["ukrainian_held", "sumy_security_zone"])]
    assert len(rows) >= 8
    for _, row in rows.iterrows():
        # a "claimed" figure is the claimant's whole zone: the union of all statuses
        status = row["status"] if row["status"] in ("held", "contested") else None
        geom = tl.geometry(row["layer"], row["date"], status=status)
        area = geodesic_area_km2(geom)
        assert area == pytest.approx(row["figure"], rel=row["tolerance_pct"] / 100), (
            row["claim_id"], area)


# ---- the checks can fail ----------------------------------------------------------------

def _doctored(tl, layer, transform):
    frame = tl.features.copy()
    mask = frame["layer"] == layer
    frame.loc[mask, "geometry"] = frame.loc[mask, "geometry"].apply(transform)
    return Timeline(frame)


def test_september_check_fails_when_august_polygon_shrinks(tl, base):
    small = _doctored(tl, "ukrainian_held",
                      lambda g: affinity.scale(g, 0.8, 0.8, origin="centroid"))
    res = {r.name: r for r in run_published_checks(small, base)}
    assert not res["september_area"].passed
    assert "worst day" in res["september_area"].detail


def test_pocket_check_fails_when_pocket_moves_off_sudzha(tl, base):
    moved = _doctored(tl, "sudzha_pocket",
                      lambda g: affinity.translate(g, xoff=0.5))
    res = {r.name: r for r in run_published_checks(moved, base)}
    assert not res["sudzha_pocket"].passed


def test_sumy_check_fails_when_zone_spills_into_russia(tl, base):
    shifted = _doctored(tl, "sumy_security_zone",
                        lambda g: affinity.translate(g, xoff=0.1, yoff=0.05))
    res = {r.name: r for r in run_published_checks(shifted, base)}
    assert not res["sumy_zone_area"].passed


def test_russia_and_april_checks_fail_when_held_area_grows_into_ukraine(tl, base):
    grown = _doctored(tl, "ukrainian_held",
                      lambda g: affinity.scale(g, 3.0, 3.0, origin="centroid"))
    res = {r.name: r for r in run_published_checks(grown, base)}
    assert not res["held_inside_russia"].passed
    assert not res["april_on_area"].passed
    assert not res["february_share"].passed or not res["september_area"].passed
