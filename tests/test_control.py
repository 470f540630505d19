"""The rules that resolve a settlement's control from its facts (geo.control)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from geo.control import candidate_dates, resolve_control

D = dt.date
POS = {"A": (35.0, 51.2), "B": (35.02, 51.2), "C": (35.5, 51.2)}  # A-B 1.4 km, C far


def fact(fid, place, day, control, side, confidence="medium"):
    return SimpleNamespace(fact_id=fid, settlement=place, date=day, control=control,
                           side=side, confidence=confidence)


def resolve(facts, day, **kw):
    args = {"window": 3, "contested_days": 14, "stale_days": 45, "stale_radius_km": 3.0,
                "positions": POS}
    args.update(kw)
    return resolve_control(facts, day, **args)


def test_no_fact_in_force_is_no_report():
    assert resolve([fact("1", "A", D(2024, 8, 20), "ukrainian", "ukrainian")],
                   D(2024, 8, 19)) == {}


def test_agreeing_facts_decide_with_their_best_confidence():
    facts = [fact("1", "A", D(2024, 8, 15), "ukrainian", "ukrainian", "medium"),
             fact("2", "A", D(2024, 8, 16), "ukrainian", "independent", "high")]
    c = resolve(facts, D(2024, 8, 20))["A"]
    assert (c.status, c.rule, c.confidence, c.fact_ids) == ("ukrainian", "agree", "high",
                                                            ("1", "2"))


def test_the_latest_fact_wins_once_the_window_has_passed():
    facts = [fact("1", "A", D(2024, 8, 15), "ukrainian", "ukrainian"),
             fact("2", "A", D(2024, 10, 1), "russian", "russian")]
    assert resolve(facts, D(2024, 10, 1))["A"].status == "russian"
    assert resolve(facts, D(2024, 9, 30))["A"].status == "ukrainian"


def test_a_claim_and_a_denial_are_contested_and_the_claim_is_recorded():
    facts = [fact("1", "A", D(2025, 3, 13), "russian", "russian"),
             fact("2", "A", D(2025, 3, 13), "contested", "ukrainian")]
    c = resolve(facts, D(2025, 3, 13))["A"]
    assert (c.status, c.rule, c.claimed_by) == ("contested", "disagree", ("russian",))


def test_a_concession_decides_a_disagreement():
    facts = [fact("1", "A", D(2025, 3, 13), "contested", "ukrainian"),
             fact("2", "A", D(2025, 3, 15), "russian", "ukrainian", "high")]
    assert resolve(facts, D(2025, 3, 15))["A"].rule == "concession"


def test_a_later_contrary_fact_beats_an_earlier_concession():
    facts = [fact("1", "A", D(2025, 3, 13), "russian", "ukrainian"),
             fact("2", "A", D(2025, 3, 15), "ukrainian", "ukrainian"),
             fact("3", "A", D(2025, 3, 15), "russian", "russian")]
    assert resolve(facts, D(2025, 3, 15))["A"].status == "contested"


def test_independent_trackers_decide_when_the_sides_disagree():
    facts = [fact("1", "A", D(2024, 9, 12), "russian", "russian"),
             fact("2", "A", D(2024, 9, 12), "ukrainian", "ukrainian"),
             fact("3", "A", D(2024, 9, 13), "ukrainian", "independent")]
    c = resolve(facts, D(2024, 9, 13))["A"]
    assert (c.status, c.rule, c.claimed_by) == ("ukrainian", "independent", ("russian",))


def test_low_confidence_facts_yield_to_better_ones():
    facts = [fact("1", "A", D(2024, 9, 12), "ukrainian", "independent", "high"),
             fact("2", "A", D(2024, 9, 13), "russian", "russian", "low")]
    assert resolve(facts, D(2024, 9, 13))["A"].status == "ukrainian"
    alone = [fact("2", "A", D(2024, 9, 13), "russian", "russian", "low")]
    assert resolve(alone, D(2024, 9, 13))["A"].confidence == "low"


def test_a_fighting_report_fades_back_to_the_earlier_fact():
    facts = [fact("1", "A", D(2024, 8, 15), "ukrainian", "ukrainian"),
             fact("2", "A", D(2024, 9, 1), "contested", "russian")]
    assert resolve(facts, D(2024, 9, 15))["A"].status == "contested"
    assert resolve(facts, D(2024, 9, 16))["A"].status == "ukrainian"
    assert "B" not in resolve([fact("3", "B", D(2024, 9, 1), "contested", "independent")],
                              D(2024, 9, 20))


def test_a_fact_goes_stale_when_a_neighbour_changes_later():
    facts = [fact("1", "A", D(2024, 8, 15), "ukrainian", "ukrainian"),
             fact("2", "B", D(2024, 10, 20), "russian", "russian"),
             fact("3", "C", D(2024, 10, 20), "russian", "russian")]
    assert resolve(facts, D(2024, 9, 29))["A"].status == "ukrainian"  # not yet 45 days
    c = resolve(facts, D(2024, 10, 20))["A"]
    assert (c.status, c.rule, c.confidence) == ("stale", "stale", "low")
    far = [facts[0], facts[2]]  # C is 35 km away: A's fact still tells
    assert resolve(far, D(2024, 10, 20))["A"].status == "ukrainian"


def test_fighting_at_a_neighbour_leaves_an_old_fact_in_force():
    """The front is at B, not past A: A stays Russian-held (Loknia beside Yunakivka)."""
    facts = [fact("1", "A", D(2025, 6, 8), "russian", "independent"),
             fact("2", "B", D(2025, 8, 20), "contested", "independent")]
    assert resolve(facts, D(2025, 8, 30))["A"].status == "russian"
    facts.append(fact("3", "B", D(2025, 8, 25), "ukrainian", "independent"))
    assert resolve(facts, D(2025, 8, 30))["A"].status == "stale"


def test_a_strike_report_is_not_read_as_control():
    """Rule 0: "we struck their troops near A" says where troops were hit, not who held A."""
    strike = fact("2", "A", D(2024, 8, 9), "strike", "russian")
    assert resolve([strike], D(2024, 8, 9)) == {}
    held = [fact("1", "A", D(2024, 8, 8), "ukrainian", "ukrainian"), strike]
    c = resolve(held, D(2024, 8, 9))["A"]
    assert (c.status, c.fact_ids, c.latest) == ("ukrainian", ("1",), D(2024, 8, 8))
    assert candidate_dates([strike], 45, 14) == []
    flag = fact("3", "A", D(2024, 8, 10), "symbolic", "ukrainian")
    assert resolve(held + [flag], D(2024, 8, 10))["A"].fact_ids == ("1",)


def test_candidate_days_include_every_day_a_rule_can_change_the_outcome():
    facts = [fact("1", "A", D(2024, 8, 15), "contested", "russian")]
    assert candidate_dates(facts, 45, 14) == [D(2024, 8, 15), D(2024, 8, 30), D(2024, 9, 30)]


@pytest.mark.parametrize("day", [D(2024, 8, 15), D(2024, 8, 29), D(2024, 8, 30)])
def test_outcomes_only_change_on_candidate_days(day):
    facts = [fact("1", "A", D(2024, 8, 10), "ukrainian", "ukrainian"),
             fact("2", "A", D(2024, 8, 15), "contested", "russian")]
    days = candidate_dates(facts, 45, 14)
    before = max(d for d in days if d <= day)
    assert resolve(facts, day) == resolve(facts, before)
