"""Who controlled each settlement on a date, resolved from dated statements.

Pure: takes fact-like objects (see :class:`FactLike`) and settlement positions, returns
one :class:`Control` per settlement that has a fact in force. The rules, in order
(``data/README.md`` documents them for readers):

0. **Not every statement is about control**: a ``strike`` fact (one side reporting that
   it struck the other side's forces at or near a place) says where troops were hit, not
   who held the ground, and a ``symbolic`` one (a flag raised over a place, e.g. by
   drone, with no claim to hold it) says nothing of the ground either; both stay in
   the settlement's history and are not read.
1. **In force**: a fact is in force on day D if it is about D or earlier.
2. **Current facts**: a settlement's facts dated within ``window`` days of its latest
   fact are read together; older ones are history.
3. **Low confidence yields**: a low-confidence current fact counts only where no current
   fact of higher confidence exists.
4. **Agreement**: if the current facts agree, that is the settlement's control.
5. **Disagreement**: a concession (one side saying the other side controls the place)
   that no later current fact contradicts decides; failing that, the independent
   trackers' current reports decide if they agree; failing that, ``contested``.
6. **Fighting reports fade**: a ``contested`` fact (fighting in or near a place) older
   than ``contested_days`` is history: the place falls back to its earlier facts, or
   to no report.
7. **Stale**: a settlement whose latest fact is older than ``stale_days`` is ``stale``
   (it stops being a seed and goes with its reported neighbours) when a settlement
   within ``stale_radius_km`` (the build passes the cells' reach: the ground a report
   stands for) has a newer fact and the other side's control under rules 1-6: the front
   moved past it and no source says how. A neighbour under fighting (``contested``)
   does not: the front is at the neighbour, not past the settlement.
8. **Claims**: a side *claims* a settlement when one of its current statements says it
   holds the place and the resolved control is something else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from geo.control_cells import cell_reach_km
from geo.measurement import GEOD

__all__ = ["NOT_READ", "Control", "FactLike", "candidate_dates", "control_facts", "resolve_control",
           "resolve_on"]

#: ``control`` values of statements that are not about control: kept in the history,
#: never read (rule 0).
NOT_READ = ("strike", "symbolic")

_RANK = {"low": 0, "medium": 1, "high": 2}


class FactLike(Protocol):
    """What the rules need of a fact (``layers.facts.Fact`` is one)."""

    fact_id: str
    settlement: str
    date: dt.date
    control: str
    side: str
    confidence: str


@dataclass(frozen=True)
class Control:
    """The resolved control of one settlement on one day.

    Attributes
    ----------
    settlement : str
    status : str
        ``"ukrainian"``, ``"russian"``, ``"contested"``, or ``"stale"`` (rule 7: its
        latest fact no longer tells).
    confidence : str
        ``high`` (current facts agree and one is high), ``medium``, ``low`` (stale, or
        only low-confidence facts).
    rule : str
        Which rule decided: ``agree``, ``concession``, ``independent``, ``disagree``,
        ``stale``.
    fact_ids : tuple of str
        The current facts the decision rests on (rule 2), oldest first.
    claimed_by : tuple of str
        Sides (``ukrainian``/``russian``) whose current statements claim the place
        although the resolved control differs (rule 7).
    latest : datetime.date
        Day of the settlement's latest fact in force.
    """

    settlement: str
    status: str
    confidence: str
    rule: str
    fact_ids: tuple[str, ...]
    claimed_by: tuple[str, ...]
    latest: dt.date


def control_facts(facts: Iterable[FactLike]) -> list[FactLike]:
    """Return the facts the rules read: every one but strike reports and symbolic acts.

    Examples
    --------
    >>> from types import SimpleNamespace as F
    >>> facts = [F(control="ukrainian"), F(control="strike"), F(control="symbolic")]
    >>> [f.control for f in control_facts(facts)]
    ['ukrainian']
    """
    return [f for f in facts if f.control not in NOT_READ]


def _decide(current: Sequence[FactLike]) -> tuple[str, str, str]:
    """(status, rule, confidence) from one settlement's current facts (rules 3-5)."""
    top = max(_RANK[f.confidence] for f in current)
    counted = [f for f in current if _RANK[f.confidence] > 0 or top == 0]
    statuses = {f.control for f in counted}
    best = max((f.confidence for f in counted), key=_RANK.__getitem__)
    if len(statuses) == 1:
        return statuses.pop(), "agree", best
    last_day = max(f.date for f in counted)
    for f in sorted(counted, key=lambda f: f.date, reverse=True):
        conceded = f.control != "contested" and f.side != "independent" and \
            f.side != f.control
        later = [g for g in counted if g.date > f.date and g.control != f.control]
        if conceded and not later:
            return f.control, "concession", "medium" if f.date < last_day else best
    independent = {f.control for f in counted if f.side == "independent"}
    if len(independent) == 1:
        return independent.pop(), "independent", "medium"
    return "contested", "disagree", "medium"


def _current(facts: Sequence[FactLike], window: int) -> list[FactLike]:
    latest = max(f.date for f in facts)
    start = latest - dt.timedelta(days=window)
    return [f for f in facts if f.date >= start]


def resolve_control(facts: Iterable[FactLike], day: dt.date, *, window: int,
                    contested_days: int, stale_days: int, stale_radius_km: float,
                    positions: Mapping[str, tuple[float, float]]) -> dict[str, Control]:
    """Resolve every settlement's control on ``day`` from the facts in force.

    Parameters
    ----------
    facts : iterable of FactLike
    day : datetime.date
    window : int
        Days before a settlement's latest fact whose facts are read with it (rule 2).
    contested_days : int
        Age (days) after which a ``contested`` fact is history (rule 6).
    stale_days : int
        Age (days) after which a fact can go stale (rule 6).
    stale_radius_km : float
        Distance (geodesic km) within which a newer neighbour held by the other side
        makes an old fact ``stale``.
    positions : mapping of str to (lon, lat)
        Gazetteer positions of the settlements (degrees, WGS84).

    Returns
    -------
    dict of str to Control
        One entry per settlement with a fact in force; settlements with none are absent
        ("no report").

    Examples
    --------
    >>> from types import SimpleNamespace as F
    >>> d = dt.date
    >>> facts = [F(fact_id="1", settlement="A", date=d(2025, 3, 13), control="russian",
    ...            side="russian", confidence="medium"),
    ...          F(fact_id="2", settlement="A", date=d(2025, 3, 13), control="contested",
    ...            side="ukrainian", confidence="medium"),
    ...          F(fact_id="3", settlement="A", date=d(2025, 3, 16), control="russian",
    ...            side="ukrainian", confidence="high")]
    >>> pos = {"A": (35.27, 51.19)}
    >>> kw = dict(window=3, contested_days=14, stale_days=45, stale_radius_km=3.0,
    ...           positions=pos)
    >>> c = resolve_control(facts, d(2025, 3, 14), **kw)["A"]
    >>> c.status, c.rule, c.claimed_by
    ('contested', 'disagree', ('russian',))
    >>> resolve_control(facts, d(2025, 3, 16), **kw)["A"].rule
    'concession'
    >>> resolve_control(facts, d(2025, 3, 12), **kw)
    {}
    """
    by_place: dict[str, list[FactLike]] = {}
    faded = day - dt.timedelta(days=contested_days)
    for f in control_facts(facts):
        if f.date <= day and not (f.control == "contested" and f.date < faded):
            by_place.setdefault(f.settlement, []).append(f)
    resolved: dict[str, Control] = {}
    for name, place_facts in by_place.items():
        place_facts.sort(key=lambda f: (f.date, f.fact_id))
        current = _current(place_facts, window)
        status, rule, confidence = _decide(current)
        claimed = tuple(sorted({f.side for f in current if f.side == f.control
                                and f.control != status}))
        resolved[name] = Control(name, status, confidence, rule,
                                 tuple(f.fact_id for f in current), claimed,
                                 current[-1].date)
    return _apply_stale(resolved, day, stale_days, stale_radius_km, positions)


def _apply_stale(resolved: dict[str, Control], day: dt.date, stale_days: int,
                 radius_km: float, positions: Mapping[str, tuple[float, float]]
                 ) -> dict[str, Control]:
    old = [c for c in resolved.values()
           if (day - c.latest).days > stale_days and c.status != "contested"]
    if not old:
        return resolved
    out = dict(resolved)
    for c in old:
        for other in resolved.values():
            if other.latest <= c.latest or other.status in (c.status, "contested"):
                continue
            if _km(positions, c.settlement, other.settlement) <= radius_km:
                out[c.settlement] = Control(c.settlement, "stale", "low", "stale",
                                            c.fact_ids, c.claimed_by, c.latest)
                break
    return out


_DIST: dict[tuple[str, str, tuple[float, float, float, float]], float] = {}


def _km(positions: Mapping[str, tuple[float, float]], a: str, b: str) -> float:
    """Geodesic km between two settlements (memoised: the build asks the same pairs)."""
    key = (a, b, (*positions[a], *positions[b]))
    if key not in _DIST:
        if len(_DIST) > 200_000:
            _DIST.clear()
        _DIST[key] = GEOD.inv(*positions[a], *positions[b])[2] / 1000.0
    return _DIST[key]


def candidate_dates(facts: Iterable[FactLike], stale_days: int, contested_days: int
                    ) -> list[dt.date]:
    """Every day on which some settlement's resolved control can change.

    The days facts are about, the first day each fact can be stale, and the first day
    each ``contested`` fact is history.

    Examples
    --------
    >>> from types import SimpleNamespace as F
    >>> candidate_dates([F(date=dt.date(2024, 8, 6), control="contested")], 45, 14)
    [datetime.date(2024, 8, 6), datetime.date(2024, 8, 21), datetime.date(2024, 9, 21)]
    """
    days = set()
    for f in control_facts(facts):
        days.add(f.date)
        days.add(f.date + dt.timedelta(days=stale_days + 1))
        if f.control == "contested":
            days.add(f.date + dt.timedelta(days=contested_days + 1))
    return sorted(days)


def resolve_on(facts: Iterable[FactLike], day: dt.date, method, places: Mapping
               ) -> dict[str, Control]:
    """:func:`resolve_control` with the parameters of ``method`` (``layers.facts.Method``).

    ``places`` maps names to objects with ``lon`` and ``lat``; the stale radius is the
    cells' reach over them (:func:`geo.control_cells.cell_reach_km`), as in the build.
    """
    return resolve_control(facts, day, window=method.conflict_window_days,
                           contested_days=method.contested_days,
                           stale_days=method.stale_days,
                           stale_radius_km=cell_reach_km(places, method),
                           positions={n: (p.lon, p.lat) for n, p in places.items()})
