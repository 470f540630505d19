"""scripts/add_statements.py: new statements are checked row by row before anything is written."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "add_statements.py"


@pytest.fixture(scope="module")
def mod():
    spec = importlib.util.spec_from_file_location("add_statements", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GOOD = {"settlement": "Darino", "settlement_cyrillic": "Дарьино", "oblast": "kursk",
        "date": "2024-08-10", "control": "ukrainian", "claim_maker": "ISW",
        "side": "independent", "outlet": "o", "published": "2024-08-11", "url": "",
        "confidence": "low", "notes": "n"}


def test_a_good_row_has_no_problem(mod):
    assert mod.problems_of(GOOD, 2, "new.csv") == []


@pytest.mark.parametrize(("field", "value", "says"), [
    ("date", "2024-13-01", "is not a date (YYYY-MM-DD)"),
    ("published", "", "is not a date (YYYY-MM-DD)"),
    ("control", "held", "expected one of ukrainian, russian, contested, strike, symbolic"),
    ("side", "<script>alert(1)</script>", "expected one of"),
    ("published", "2024-08-01", "is before the day it reports on"),
    ("oblast", "kharkiv", "expected one of kursk, sumy, belgorod"),
    ("notes", " ", "is empty"),
])
def test_each_bad_field_is_named_with_its_line(mod, field, value, says):
    problems = mod.problems_of({**GOOD, field: value}, 7, "new.csv")
    assert problems and all(p.startswith(f"new.csv line 7, field {field}:") for p in problems)
    assert says in problems[0]


def test_a_file_with_a_bad_row_writes_nothing(mod, tmp_path, capsys):
    import csv

    waiting = SCRIPT.parents[1] / "data" / "facts" / "unplaced_facts.csv"
    before = waiting.read_bytes()
    new = tmp_path / "new.csv"
    with open(new, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(GOOD))
        writer.writeheader()
        writer.writerow(GOOD)
        writer.writerow({**GOOD, "control": "held"})
    assert mod.main([str(new)]) == 1
    assert "new.csv line 3, field control" in capsys.readouterr().err
    assert waiting.read_bytes() == before
