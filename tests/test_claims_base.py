"""layers.claims, layers.base and layers.paths against the shipped data."""

from __future__ import annotations

import math

import pytest

from layers import LayerValidationError, default_paths, read_base, read_claims
from layers.claims import CLAIM_COLUMNS

PATHS = default_paths()


def test_shipped_claims_table_loads():
    claims = read_claims(PATHS.claims)
    assert list(claims.columns) == CLAIM_COLUMNS
    assert claims["claim_id"].is_unique
    assert len(claims) >= 40


def test_claims_reports_every_bad_row(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(",".join(CLAIM_COLUMNS) + "\n"
                    "c1,2024-13-01,X,ukraine,1000,km2,area,ukrainian_held,,,about,,,m,o,n\n"
                    "c1,2024-08-12,X,ukraine,lots,km2,area,ukrainian_held,,,about,abc,,m,o,n\n"
                    "c2,2024-08-12,X,ukraine,5,km2,volume,nope,gone,x,roughly,,maybe,m,o,n\n"
                    "c3,2024-08-12,X,ukraine,5,km2,lost_in_window,ukrainian_held,,,,,yes,m,o,n\n")
    with pytest.raises(LayerValidationError) as info:
        read_claims(path)
    fields = {(p.feature_id, p.field) for p in info.value.problems}
    assert fields == {("c1", "date"), ("c1", "figure"), ("c1", "tolerance_pct"),
                      ("c1", "claim_id"), ("c2", "quantity"), ("c2", "layers"),
                      ("c2", "statuses"), ("c2", "window_days"), ("c2", "comparison"),
                      ("c2", "required"), ("c3", "window_days"), ("c3", "tolerance_pct")}
    assert "claims.csv: feature 'c1': field 'figure': 'lots' is not a number" in str(info.value)


def test_claims_missing_column(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text("claim_id,date\nc1,2024-08-12\n")
    with pytest.raises(LayerValidationError, match="field 'figure': column is missing"):
        read_claims(path)


def test_claims_numbers_accept_thousands_separators(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(",".join(CLAIM_COLUMNS) + "\n"
                    'c1,2024-08-27,Syrskyi,ukraine,"1,294",km2,area,ukrainian_held,,,about,7,,'
                    'held,o,n\n')
    claims = read_claims(path)
    assert claims.loc[0, "figure"] == 1294.0
    assert claims.loc[0, "tolerance_pct"] == 7.0


def test_base_layers_are_consistent():
    base = read_base(PATHS.base)
    assert set(base.countries["iso_a3"]) == {"RUS", "UKR"}
    rus, ukr = base.country("RUS"), base.country("UKR")
    assert rus.is_valid and ukr.is_valid
    assert rus.intersection(ukr).area < 1e-6  # they share a border, not ground
    sudzha = base.settlements.loc[base.settlements["name"] == "Sudzha"].geometry.iloc[0]
    assert rus.contains(sudzha)
    assert math.isclose(sudzha.y, 51.191, abs_tol=0.002)
    # Every settlement lies in the country the gazetteer says.
    for country, poly in (("Russia", rus), ("Ukraine", ukr)):
        pts = base.settlements[base.settlements["country"] == country]
        assert pts.within(poly).all(), list(pts.loc[~pts.within(poly), "name"])
    assert {"Kursk oblast", "Sumy oblast"} <= set(base.oblasts["name"])


def test_default_paths_point_into_data():
    assert PATHS.layers.is_dir() and PATHS.base.is_dir() and PATHS.claims.parent.is_dir()
