"""Waiting statements move into the fact base only when the gazetteer places them by name."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from frontline_cli.main import main
from layers.errors import LayerValidationError
from layers.paths import DATA_DIR
from layers.placement import match_settlement, place_facts, plan_placement

FACTS = ("fact_id,settlement,date,control,claim_maker,side,outlet,published,url,"
         "confidence,notes\n"
         "f0007,Sudzha,2024-08-15,ukrainian,Syrskyi,ukrainian,Ukrinform,2024-08-15,,high,x\n")
WAITING_HEADER = ("settlement,settlement_cyrillic,oblast,date,control,claim_maker,side,"
                  "outlet,published,url,confidence,notes,why\n")
GAZ = ("name,name_alt,aliases,lat,lon,country,oblast,district\n"
       "Sudzha,Суджа,,51.191,35.271,Russia,Kursk,Sudzhansky\n"
       "Darino,Дарьино,Darjino,51.24,35.12,Russia,Kursk,Sudzhansky\n"
       "Mikhaylovka (Sudzhansky),Михайловка,,51.2,35.2,Russia,Kursk,Sudzhansky\n"
       "Mikhaylovka (Korenevsky),Михайловка,,51.4,34.9,Russia,Kursk,Korenevsky\n"
       "Orlovka,Орловка,,53.9,37.5,Russia,Tula,Far away\n"
       "Andriivka,Андріївка,Андреевка,51.18,35.05,Ukraine,Sumy,Sumy Raion\n")


def _row(settlement, cyr, oblast="kursk", why="not in gazetteer", date="2024-08-20",
         control="ukrainian"):
    return (f"{settlement},{cyr},{oblast},{date},{control},DeepState,independent,"
            f"Ukrainska Pravda,2024-08-21,,low,own words,{why}\n")


@pytest.fixture
def files(tmp_path: Path):
    facts, waiting, gaz = (tmp_path / n for n in ("facts.csv", "waiting.csv", "gaz.csv"))
    facts.write_text(FACTS, encoding="utf-8")
    gaz.write_text(GAZ, encoding="utf-8")
    waiting.write_text(WAITING_HEADER
                       + _row("Darino", "Дарьино")
                       + _row("Mikhaylovka", "Михайловка")
                       + _row("Mikhailovka (Korenevsky)", "Михайловка")
                       + _row("Orlovka", "Орловка")
                       + _row("Andreyevka", "Андреевка", oblast="sumy")
                       + _row("Darino", "Дарьино", date="2024-06-01",
                              why="outside the timeline 2024-08-06..2025-08-31"),
                       encoding="utf-8")
    return facts, waiting, gaz


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_placed_rows_get_the_next_ids_and_the_gazetteer_name(files):
    facts, waiting, gaz = files
    plan = place_facts(facts, waiting, gaz)
    rows = _rows(facts)
    assert [(r["fact_id"], r["settlement"]) for r in rows] == [
        ("f0007", "Sudzha"), ("f0008", "Darino"), ("f0009", "Mikhaylovka (Korenevsky)"),
        ("f0010", "Andriivka")]
    assert rows[1]["notes"] == "own words" and rows[1]["claim_maker"] == "DeepState"
    left = _rows(waiting)
    assert [(r["settlement"], r["why"]) for r in left] == [
        ("Mikhaylovka", "ambiguous: Mikhaylovka (Korenevsky); Mikhaylovka (Sudzhansky)"),
        ("Orlovka", "not in gazetteer"),
        ("Darino", "outside the timeline 2024-08-06..2025-08-31")]
    assert len(plan.placed) == 3 and len(plan.waiting) == 3
    assert "3 placed, 3 still waiting" in plan.summary()


def test_a_namesake_far_away_never_matches(files):
    *_, gaz = files
    assert match_settlement("Orlovka", "Орловка", "kursk", _rows(gaz)) == (
        None, "not in gazetteer")


def test_dry_run_writes_nothing(files):
    facts, waiting, gaz = files
    before = facts.read_bytes(), waiting.read_bytes()
    plan = place_facts(facts, waiting, gaz, dry_run=True)
    assert len(plan.placed) == 3
    assert (facts.read_bytes(), waiting.read_bytes()) == before


def test_a_bad_waiting_row_names_its_field_and_changes_no_file(files):
    facts, waiting, gaz = files
    waiting.write_text(WAITING_HEADER + _row("Darino", "Дарьино", control="held"),
                       encoding="utf-8")
    before = facts.read_bytes(), waiting.read_bytes()
    with pytest.raises(LayerValidationError) as err:
        place_facts(facts, waiting, gaz)
    assert "f0008" in str(err.value) and "control" in str(err.value)
    assert (facts.read_bytes(), waiting.read_bytes()) == before


def test_plan_keeps_every_row(files):
    facts, waiting, gaz = files
    plan = plan_placement(_rows(facts), _rows(waiting), _rows(gaz))
    assert len(plan.placed) + len(plan.waiting) == len(_rows(waiting))


def test_the_shipped_waiting_file_has_nothing_left_to_place(tmp_path, capsys):
    """Every statement the gazetteer can place is already in the fact base."""
    shutil.copytree(DATA_DIR, tmp_path / "data")
    assert main(["place-facts", "--data", str(tmp_path / "data"), "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 placed")


def test_a_name_shared_with_a_row_outside_the_area_keeps_waiting():
    """The fact base can only name a unique gazetteer name, so such a match is ambiguous."""
    gaz = [{"name": "Orlovka", "name_alt": "Орловка", "aliases": "", "lat": "51.2",
            "lon": "35.2", "country": "Russia", "oblast": "Kursk", "district": "Sudzhansky"},
           {"name": "Orlovka", "name_alt": "", "aliases": "", "lat": "53.9", "lon": "37.5",
            "country": "Russia", "oblast": "", "district": ""}]
    assert match_settlement("Orlovka", "Орловка", "kursk", gaz) == (
        None, "ambiguous: Orlovka names 2 gazetteer rows")


@pytest.mark.parametrize("settlement, cyr, expected", [
    ("Daryine (Darino)", "", "Darino"),                       # a bracket that is a spelling
    ("Mikhaylovka (Korenevsky)", "Михайловка", "Mikhaylovka (Korenevsky)"),  # a district
    ("Mikhaylovka (Kursky)", "Михайловка", None),             # a district no row is in
])
def test_a_bracket_is_a_district_only_if_the_gazetteer_has_one(settlement, cyr, expected):
    gaz = list(csv.DictReader(GAZ.splitlines()))
    assert match_settlement(settlement, cyr, "kursk", gaz)[0] == expected


def test_a_whole_bracketed_name_names_its_row_but_a_bare_shared_name_stays_ambiguous():
    gaz = [{"name": f"Sherekino (Lgovsky, {side})", "name_alt": "Шерекино", "aliases": "",
            "lat": lat, "lon": "35.0", "country": "Russia", "oblast": "Kursk",
            "district": "Lgovsky"} for side, lat in (("northern", "51.5"),
                                                     ("southern", "51.4"))]
    assert match_settlement("Sherekino (Lgovsky, northern)", "Шерекино", "kursk",
                            gaz) == ("Sherekino (Lgovsky, northern)", "")
    assert match_settlement("Sherekino", "Шерекино", "kursk", gaz)[0] is None


def test_a_why_that_changed_is_written_even_when_nothing_is_placed(files):
    """A waiting row whose reason is stale gets the current one (here: two Mikhaylovkas)."""
    facts, waiting, gaz = files
    waiting.write_text(WAITING_HEADER + _row("Mikhaylovka", "Михайловка"), encoding="utf-8")
    before = facts.read_bytes()
    plan = place_facts(facts, waiting, gaz)
    assert plan.placed == [] and facts.read_bytes() == before
    assert _rows(waiting)[0]["why"] == ("ambiguous: Mikhaylovka (Korenevsky); "
                                        "Mikhaylovka (Sudzhansky)")


def test_a_statement_that_repeats_a_fact_under_another_spelling_keeps_waiting(tmp_path):
    """Another spelling of the place ("Suja") or of the claim maker ("Syrskyi (via RBC)")
    does not make another statement: it counts once."""
    facts, waiting, gaz = (tmp_path / n for n in ("facts.csv", "waiting.csv", "gaz.csv"))
    facts.write_text(FACTS, encoding="utf-8")
    gaz.write_text(GAZ, encoding="utf-8")
    repeat = ("Suja,Суджа,kursk,2024-08-15,ukrainian,Syrskyi (via RBC),ukrainian,RBC,"
              "2024-08-15,,high,own words,not in gazetteer\n")
    twice = _row("Darjino", "Дарьино") + _row("Darino", "Дарьино")
    waiting.write_text(WAITING_HEADER + repeat + twice, encoding="utf-8")
    plan = place_facts(facts, waiting, gaz)
    assert [(r["fact_id"], r["settlement"]) for r in _rows(facts)] == [
        ("f0007", "Sudzha"), ("f0008", "Darino")]
    assert [r["why"] for r in _rows(waiting)] == ["repeats f0007 (Sudzha)",
                                                  "repeats f0008 (Darino)"]
    assert len(plan.placed) == 1
    assert place_facts(facts, waiting, gaz).placed == []  # a repeat is not re-examined
