"""Reading the fact base: every bad row and field is reported, naming file, row, field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from layers import LayerValidationError
from layers.facts import FACT_COLUMNS, read_facts, read_method
from layers.paths import DATA_DIR
from views.citation import cite

HEADER = ",".join(FACT_COLUMNS)
GOOD = ("f1,Sudzha,2024-08-15,ukrainian,Syrskyi,ukrainian,Ukrinform,2024-08-15,,high,"
        "commandant's office")


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "settlement_control.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_a_good_row_reads_as_a_fact(tmp_path):
    (fact,) = read_facts(_write(tmp_path, GOOD), {"Sudzha"})
    assert fact.date == dt.date(2024, 8, 15)
    assert cite(fact.source_dict()) == "Syrskyi via Ukrinform, 15 Aug 2024"


@pytest.mark.parametrize(("row", "field", "message"), [
    (GOOD.replace("Sudzha", "Atlantis"), "settlement", "'Atlantis' is not in the gazetteer"),
    (GOOD.replace("2024-08-15,ukr", "2023-08-15,ukr"), "date", "outside the timeline"),
    (GOOD.replace("2024-08-15,ukr", "15/08/2024,ukr"), "date", "is not a date"),
    (GOOD.replace(",ukrainian,Syrskyi", ",ukranian,Syrskyi"), "control",
     "expected one of ukrainian, russian, contested, strike, symbolic"),
    (GOOD.replace(",ukrainian,Ukrinform", ",kyiv,Ukrinform"), "side", "expected one of"),
    (GOOD.replace(",high,", ",certain,"), "confidence", "expected one of high, medium, low"),
    (GOOD.replace("Ukrinform,2024-08-15", "Ukrinform,2024-08-01"), "published",
     "before the day it reports on"),
    (GOOD.replace("Syrskyi,", ",", 1), "claim_maker", "is empty"),
    (GOOD + ",extra", "(row)", "different number of fields"),
])
def test_each_bad_field_is_named(tmp_path, row, field, message):
    with pytest.raises(LayerValidationError, match=message) as info:
        read_facts(_write(tmp_path, row), {"Sudzha"})
    (problem,) = info.value.problems
    assert problem.file == "settlement_control.csv"
    assert problem.field == field


def test_every_problem_is_reported_at_once(tmp_path):
    rows = [GOOD, GOOD, GOOD.replace("f1", "f2").replace("Sudzha", "Nowhere")]
    with pytest.raises(LayerValidationError) as info:
        read_facts(_write(tmp_path, *rows), {"Sudzha"})
    assert [(p.feature_id, p.field) for p in info.value.problems] == [
        ("f1", "fact_id"), ("f2", "settlement")]


def test_missing_columns_and_non_utf8(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("fact_id,settlement\nf1,Sudzha\n", encoding="utf-8")
    with pytest.raises(LayerValidationError, match="column is missing"):
        read_facts(path)
    path.write_bytes(HEADER.encode() + b"\n\xff\xfe\n")
    with pytest.raises(LayerValidationError, match="not UTF-8"):
        read_facts(path)


def test_hostile_text_is_refused_not_truncated(tmp_path):
    row = GOOD.replace("commandant's office", "x" * 700)
    with pytest.raises(LayerValidationError, match="longer than 600"):
        read_facts(_write(tmp_path, row), {"Sudzha"})


def test_a_markup_note_is_kept_as_text(tmp_path):
    (fact,) = read_facts(_write(tmp_path, GOOD.replace("commandant's office",
                                                       '"<script>alert(1)</script>"')),
                         {"Sudzha"})
    assert fact.notes == "<script>alert(1)</script>"


def test_the_method_file_reads_and_bad_keys_are_named(tmp_path):
    method = read_method(DATA_DIR / "facts" / "method.toml")
    assert method.conflict_window_days >= 0 and method.events
    broken = tmp_path / "method.toml"
    broken.write_text("[rules]\nconflict_window_days = 3\n", encoding="utf-8")
    with pytest.raises(LayerValidationError, match="'stale_days': is missing"):
        read_method(broken)
    broken.write_text("[rules\n", encoding="utf-8")
    with pytest.raises(LayerValidationError, match="not valid TOML"):
        read_method(broken)
    shipped = (DATA_DIR / "facts" / "method.toml").read_text(encoding="utf-8")
    broken.write_text(shipped.replace('spacing_countries = ["RUS"]',
                                      'spacing_countries = ["RUS", "Ukraine"]'),
                      encoding="utf-8")
    with pytest.raises(LayerValidationError,
                       match="'spacing_countries': Ukraine: expected one or more of RUS, UKR"):
        read_method(broken)


def test_a_bad_event_is_named(tmp_path):
    text = (DATA_DIR / "facts" / "method.toml").read_text(encoding="utf-8")
    text += ('\n[[events]]\nid = "ev-bad"\nname = "x"\nkind = "parade"\nvalid_from = '
             '"2024-08-10"\nstatus = "held"\nconfidence = "low"\nnotes = ""\nsources = []\n'
             'vertices = [{ lon = 35.0 }]\n')
    path = tmp_path / "method.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LayerValidationError) as info:
        read_method(path)
    fields = {(p.feature_id, p.field) for p in info.value.problems}
    assert fields == {("ev-bad", "kind"), ("ev-bad", "vertices")}


def test_the_shipped_fact_base_is_valid_and_large_enough():
    from frontline_cli.build_cmd import load_facts

    fb, _base = load_facts()
    facts, places = fb.facts, fb.places
    assert len(facts) >= 300
    assert {f.side for f in facts} == {"ukrainian", "russian", "independent"}
    months = {f.date.strftime("%Y-%m") for f in facts}
    assert {f"2024-{m:02d}" for m in range(8, 13)} | {f"2025-{m:02d}" for m in range(1, 9)} \
        <= months
    sumy = {f.settlement for f in facts if places[f.settlement].country == "UKR"}
    assert {"Novenke", "Basivka", "Veselivka", "Kindrativka", "Yunakivka"} <= sumy


def test_statements_about_unlocated_sumy_villages_wait_with_their_reason():
    """Zhuravka, Volodymyrivka and others have no sourced position: their statements wait."""
    import csv

    from layers import default_paths

    with open(default_paths().facts.parent / "unplaced_facts.csv", encoding="utf-8") as fh:
        waiting = [r for r in csv.DictReader(fh) if r["oblast"] == "sumy"]
    names = {r["settlement"] for r in waiting}
    assert {"Zhuravka", "Volodymyrivka", "Varachyne", "Yablunivka"} <= names
    assert all(r["why"].strip() for r in waiting)


def test_the_shipped_audit_record_names_real_facts_and_says_what_was_mended():
    from layers import default_paths, load_dataset

    data = load_dataset()
    audits = data.factbase.audits
    assert len(audits) >= 40
    ids = {f.fact_id for f in data.factbase.facts}
    assert set(audits) <= ids
    mended = [a for run in audits.values() for a in run if a.verdict == "mended"]
    assert mended and all(a.found for a in mended)
    assert default_paths().audit.exists()


def test_a_bad_audit_record_is_named_and_the_facts_stay(tmp_path):
    """An audit row about no fact, or with a bad date or verdict, is reported by line and
    field; the fact base still loads (the record is provenance, not control)."""
    import shutil

    from layers import load_dataset

    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    audit = data_dir / "facts" / "audit.csv"
    audit.write_text("fact_id,audited,verdict,found,evidence\n"
                     "f9999,2026-12-07,confirmed,,x\n"
                     "f0001,07/12/2026,mended,,<script>alert(1)</script>\n",
                     encoding="utf-8")
    data = load_dataset(data_dir)
    said = [str(p) for p in data.problems]
    assert "audit.csv: feature 'line 2': field 'fact_id': 'f9999' is not a fact of " \
           "settlement_control.csv" in said
    assert any("line 3': field 'audited'" in s for s in said)
    assert any("line 3': field 'found': is empty" in s for s in said)
    assert data.factbase is not None and len(data.factbase.facts) > 1000
    assert data.factbase.audits == {}


def test_no_statement_is_in_the_base_twice():
    """One statement is one row: the same place, day, control and claim maker (under one
    spelling, layers.placement.statement_key) twice would count it twice, and rule 3 lets
    a doubled row outvote (session 12 found 31 such rows, two of which decided a place)."""
    import collections
    import csv

    from layers.placement import statement_key

    with open(DATA_DIR / "facts" / "settlement_control.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    seen = collections.defaultdict(list)
    for row in rows:
        seen[statement_key(row["settlement"], row)].append(row["fact_id"])
    doubled = {k: ids for k, ids in seen.items() if len(ids) > 1}
    assert doubled == {}
