"""The READMEs quote the fact base's counts and the failing checks' figures: they match the data.

Each fact added moves these numbers, and a README that quotes last week's count tells a reader
the docs were not read when the data changed. The figures are read from the same places the
product reads them (the fact files, ``run_published_checks``), never recomputed here.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from geo.published_checks import run_published_checks
from layers import Timeline, load_layer_dir, read_base

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA_README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
CONTROLS = {"ukrainian", "russian", "contested"}


def _rows(name: str) -> list[dict]:
    with open(ROOT / "data" / "facts" / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _number(pattern: str, text: str, where: str) -> float:
    """The number ``pattern``'s group quotes in ``text`` (thousands commas dropped)."""
    found = re.search(pattern, " ".join(text.split()))
    assert found, f"{where} no longer quotes /{pattern}/: update the test with the text"
    return float(found.group(1).replace(",", ""))


def test_the_readmes_quote_the_fact_base_as_it_is():
    facts = _rows("settlement_control.csv")
    control = [r for r in facts if r["control"] in CONTROLS]
    strikes = [r for r in facts if r["control"] == "strike"]
    waiting = _rows("unplaced_facts.csv")
    assert _number(r"settlement_control\.csv`: ([\d,]+) statements", README,
                   "README.md") == len(facts)
    assert _number(r"\(([\d,]+) statements, [\d,]+ of them control", README,
                   "README.md") == len(facts)
    assert _number(r"([\d,]+) of them control statements", README, "README.md") == len(control)
    assert _number(r"([\d,]+) statements wait in", README, "README.md") == len(waiting)
    assert _number(r"([\d,]+) statements are `strike`", DATA_README,
                   "data/README.md") == len(strikes)


@pytest.fixture(scope="module")
def checks() -> dict:
    loaded = load_layer_dir(ROOT / "data" / "layers")
    base = read_base(ROOT / "data" / "base")
    return {r.name: r for r in run_published_checks(Timeline(loaded.frame), base)}


def test_the_readmes_quote_the_failing_checks_as_they_measure(checks):
    share = checks["february_share"]
    held_km2, percent = (float(x.replace(",", "")) for x in
                         re.match(r"([\d,]+) km² held = (\d+)%", share.value).groups())
    assert _number(r"held on 15 Feb 2025 is (\d+) % of the", README, "README.md") == percent
    assert _number(r"On 15 Feb 2025 the held ground is ([\d,]+) km²", DATA_README,
                   "data/README.md") == held_km2
    zone = float(re.match(r"([\d.]+) km²", checks["sumy_zone_area"].value).group(1))
    assert _number(r"the Sumy zone on 26 Apr 2025 is ([\d.]+) km²", README,
                   "README.md") == zone
