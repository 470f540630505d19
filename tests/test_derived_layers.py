"""The shipped layers are what the facts give: a rebuild is byte-identical, and every
settlement lies on the side of the line its facts say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from shapely.geometry import box

from frontline_cli.build_cmd import build_layers, settlement_history
from frontline_cli.main import main
from geo.consistency import check_consistency
from layers.facts import Place

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ROOT / "data" / "layers"


@pytest.fixture(scope="module")
def build():
    return build_layers()


def test_a_rebuild_reproduces_the_committed_layers(build):
    committed = {p.name: p.read_text(encoding="utf-8") for p in LAYERS.glob("*.geojson")}
    assert set(build.texts) == set(committed)
    for name, text in build.texts.items():
        assert text == committed[name], f"{name} differs from a rebuild: run frontline build"


def test_no_settlement_is_on_the_wrong_side_of_a_line(build):
    assert build.derivation.days
    assert [str(c) for c in build.conflicts] == []


def test_the_consistency_check_can_fail(build):
    day = build.derivation.days[-1]
    wrong = dict(build.derivation.controls[day])
    name = next(n for n, c in wrong.items() if c.status == "russian"
                and build.places[n].country == "RUS")
    wrong[name] = SimpleNamespace(status="ukrainian", fact_ids=("f-test",))
    broken = SimpleNamespace(states=build.derivation.states, days=[day],
                             controls={day: wrong})
    (conflict,) = check_consistency(broken, build.places)
    assert conflict.settlement == name and "outside ukrainian_held" in conflict.problem
    assert "f-test" in str(conflict)


def test_contested_off_the_line_is_a_conflict():
    day = dt.date(2024, 8, 10)
    held = SimpleNamespace(layer="ukrainian_held", status="held", valid_from=day,
                           valid_to=None, geometry=box(35.0, 51.0, 35.1, 51.1))
    far = {"A": SimpleNamespace(status="contested", fact_ids=("f1",))}
    d = SimpleNamespace(states=[held], days=[day], controls={day: far})
    near = check_consistency(d, {"A": Place(35.105, 51.05, "RUS")})  # ~350 m off the line
    away = check_consistency(d, {"A": Place(35.2, 51.05, "RUS")})  # ~7 km off
    assert near == [] and "7.0 km from the held line" in away[0].problem


def test_every_state_names_its_settlements_facts_and_sources(build):
    by_id = {f.fact_id for f in build.facts}
    for state in build.derivation.states:
        assert state.settlements and state.fact_ids, state
        assert set(state.fact_ids) <= by_id


def test_build_check_passes_on_the_shipped_data_and_fails_on_an_edit(tmp_path, capsys):
    assert main(["build", "--check"]) == 0
    for p in LAYERS.glob("*.geojson"):
        (tmp_path / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    edited = tmp_path / "contested.geojson"
    edited.write_text(edited.read_text(encoding="utf-8").replace('"medium"', '"high"', 1),
                      encoding="utf-8")
    assert main(["build", "--check", "--out", str(tmp_path)]) == 1
    assert "contested.geojson: differs from a rebuild" in capsys.readouterr().err


def test_settlement_history_lists_every_source(build, capsys):
    lines = settlement_history("Sudzha", build.factbase)
    n = sum(f.settlement == "Sudzha" for f in build.facts)
    assert lines[0].startswith("Sudzha (51.19") and f"{n} fact(s)" in lines[0]
    assert len([ln for ln in lines if "-> resolved" in ln]) == n
    assert main(["settlement", "Sudzha", "--date", "2025-03-20"]) == 0
    out = capsys.readouterr().out
    assert "on 2025-03-20: russian" in out
    assert main(["settlement", "Sudzh"]) == 1
    assert "did you mean Sudzha" in capsys.readouterr().err
