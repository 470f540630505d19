"""Read and validate the fact base and the method that turns it into layers.

The fact base (``data/facts/settlement_control.csv``) is the project's primary data: one
row per published statement that a settlement was held, taken, lost or contested on a
date. The method (``data/facts/method.toml``) holds the rule parameters and the few
documented hand-placed items (events). Both are read here and nowhere else.

Every problem is reported at once, each naming the file, the row (by ``fact_id`` or line
number) and the field, as :class:`layers.errors.Problem`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from layers.audit import Audit, read_audit
from layers.csvfile import checked_reader
from layers.errors import LayerValidationError, Problem
from layers.schema import CONFIDENCE, EVENT_KINDS, STATUSES, TIMELINE_END, TIMELINE_START

__all__ = [
    "CONTROL", "FACT_COLUMNS", "SIDES", "EventSpec", "Fact", "FactBase", "Method", "Place",
    "load_factbase", "places_from_gazetteer", "read_facts", "read_method", "row_problems",
    "with_audits",
]

#: Columns of ``settlement_control.csv``, in order.
FACT_COLUMNS = ("fact_id", "settlement", "date", "control", "claim_maker", "side", "outlet",
                "published", "url", "confidence", "notes")
#: What one statement says about a settlement: who controls it, or something the map does
#: not read as control (rule 0 of :mod:`geo.control`): ``strike`` (one side struck the
#: other side's forces at or near it) or ``symbolic`` (a flag raised over it, no claim).
CONTROL = ("ukrainian", "russian", "contested", "strike", "symbolic")
#: Who made the statement.
SIDES = ("ukrainian", "russian", "independent")
#: A fact file larger than this is refused before it is parsed.
MAX_FACT_BYTES = 5 * 1024 * 1024
#: Longest text accepted in a free-text field (claim maker, outlet, notes, url).
MAX_TEXT = 600


@dataclass(frozen=True)
class Fact:
    """One published statement about who controlled one settlement on one day.

    Attributes
    ----------
    fact_id : str
        Stable id, e.g. ``"f0042"``.
    settlement : str
        A gazetteer name (``data/base/gazetteer.csv`` column ``name``).
    date : datetime.date
        The day the statement is about.
    control : str
        ``"ukrainian"``, ``"russian"``, ``"contested"``, ``"strike"`` (a report that
        the ``side`` struck the other side's forces there) or ``"symbolic"`` (a flag
        raised over the place with no claim to hold it): the last two are history, not
        control.
    claim_maker, side, outlet : str
        Who said it, which side they speak for (``ukrainian``, ``russian``,
        ``independent``) and who published it.
    published : datetime.date
        The report's date.
    url : str
        The stored page the statement was read from.
    confidence : str
        ``high``, ``medium`` or ``low``.
    notes : str
        Our own words.

    Examples
    --------
    >>> f = Fact("f1", "Sudzha", dt.date(2024, 8, 15), "ukrainian", "Syrskyi", "ukrainian",
    ...          "Kyiv Independent", dt.date(2024, 8, 15), "", "high", "")
    >>> f.source_dict()["outlet"], f.source_dict()["date"]
    ('Kyiv Independent', '2024-08-15')
    """

    fact_id: str
    settlement: str
    date: dt.date
    control: str
    claim_maker: str
    side: str
    outlet: str
    published: dt.date
    url: str
    confidence: str
    notes: str

    def source_dict(self) -> dict:
        """Return the fact as a layer feature's ``sources`` entry (the layer contract).

        :func:`views.citation.cite` turns it into the words a reader cites.
        """
        return {"claim_maker": self.claim_maker, "outlet": self.outlet,
                "date": self.published.isoformat(), "figure": None,
                "fact_id": self.fact_id, "settlement": self.settlement,
                "control": self.control}


@dataclass(frozen=True)
class EventSpec:
    """A dated point or line drawn by hand, with the reason for each vertex.

    ``vertices`` holds dicts: ``{"settlement": name}`` (its gazetteer point),
    ``{"settlement": name, "bearing": deg, "km": km}`` (a geodesic offset) or
    ``{"lon": x, "lat": y, "reason": text}``; ``border_near`` names a settlement whose
    nearest point on the state border is the event's point.
    """

    id: str
    name: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    status: str
    confidence: str
    notes: str
    sources: tuple[dict, ...]
    vertices: tuple[dict, ...] = ()
    border_near: str | None = None


@dataclass(frozen=True)
class Method:
    """The parameters of the fact-to-layer method (``method.toml``), all in one place.

    Attributes
    ----------
    conflict_window_days : int
        Facts this many days or fewer before a settlement's latest fact are read with it.
    contested_days : int
        A ``contested`` fact older than this is history.
    stale_days : int
        A fact older than this is stale when a newer fact about a settlement within the
        cells' reach reports another control; a stale settlement stops being a seed.
    reach_factor : float
        A control cell reaches at most this many times the median distance between
        neighbouring settlements of the fighting area (``spacing_box``); that reach is
        also the stale radius.
    spacing_box : tuple of float
        (lon_min, lat_min, lon_max, lat_max) of the fighting area.
    spacing_countries : tuple of str
        ISO codes (``RUS``, ``UKR``) of the countries whose settlements the spacing is
        measured over: those where the gazetteer lists every populated place.
    smooth_m : float
        Radius of the closing that rounds the dissolved outline (metres).
    pocket_anchor, pocket_from : str, datetime.date
        The settlement whose connected held ground is ``sudzha_pocket`` from that day.
    events : tuple of EventSpec
    """

    conflict_window_days: int
    contested_days: int
    stale_days: int
    reach_factor: float
    spacing_box: tuple[float, float, float, float]
    spacing_countries: tuple[str, ...]
    smooth_m: float
    simplify_m: float
    pocket_anchor: str
    pocket_from: dt.date
    events: tuple[EventSpec, ...] = field(default=())


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    if len(text.strip()) != 10:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")
    return day


def row_problems(row: Mapping[str, str], *, in_timeline: bool = True
                 ) -> list[tuple[str, str]]:
    """Every problem of one statement's fields, as (field, message) pairs.

    The checks a statement must pass wherever it is written: the fact base
    (:func:`read_facts`) and a curator's new rows (``scripts/add_statements.py``).

    Parameters
    ----------
    row : mapping of str to str
        A statement with at least the columns ``settlement, date, control, claim_maker,
        side, outlet, published, confidence``.
    in_timeline : bool
        Whether ``date`` must lie in the timeline (a waiting statement may not: it waits
        with why it cannot be placed).

    Examples
    --------
    >>> row_problems({"settlement": "X", "date": "2024-08-10", "control": "held",
    ...               "claim_maker": "ISW", "side": "independent", "outlet": "o",
    ...               "published": "2024-08-09", "confidence": "low"})
    ... # doctest: +NORMALIZE_WHITESPACE
    [('published', '2024-08-09 is before the day it reports on (2024-08-10)'),
     ('control', "is 'held'; expected one of ukrainian, russian, contested, strike, symbolic")]
    """
    problems = []
    for col, value in row.items():
        if col in FACT_COLUMNS and len(value or "") > MAX_TEXT:
            problems.append((col, f"is longer than {MAX_TEXT} characters"))
    days = {}
    for col in ("date", "published"):
        try:
            days[col] = _date(row.get(col) or "")
        except ValueError as exc:
            problems.append((col, str(exc)))
            continue
        if in_timeline and col == "date" and not TIMELINE_START <= days[col] <= TIMELINE_END:
            problems.append((col, f"{days[col]} is outside the timeline "
                                  f"{TIMELINE_START}..{TIMELINE_END}"))
    if "date" in days and "published" in days and days["published"] < days["date"]:
        problems.append(("published", f"{days['published']} is before the day it reports "
                                      f"on ({days['date']})"))
    for col, allowed in (("control", CONTROL), ("side", SIDES), ("confidence", CONFIDENCE)):
        if row.get(col) not in allowed:
            problems.append((col, f"is {row.get(col)!r}; expected one of {', '.join(allowed)}"))
    for col in ("settlement", "claim_maker", "outlet"):
        if not (row.get(col) or "").strip():
            problems.append((col, "is empty"))
    return problems


def read_facts(path: str | Path, settlements: set[str] | None = None) -> list[Fact]:
    r"""Read ``settlement_control.csv`` and check every row.

    Parameters
    ----------
    path : str or pathlib.Path
    settlements : set of str, optional
        The gazetteer's names; a fact about any other name is a problem.

    Returns
    -------
    list of Fact
        In file order.

    Raises
    ------
    LayerValidationError
        Listing every bad row and field (file, ``fact_id`` or line, field, message).

    Examples
    --------
    >>> import tempfile
    >>> text = ("fact_id,settlement,date,control,claim_maker,side,outlet,published,url,"
    ...         "confidence,notes\nf1,Sudzha,2024-08-15,ukrainian,Syrskyi,ukrainian,"
    ...         "Ukrinform,2024-08-15,,high,Commandant's office set up\n")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "facts.csv"
    ...     _ = p.write_text(text, encoding="utf-8")
    ...     [(f.settlement, f.control) for f in read_facts(p, {"Sudzha"})]
    [('Sudzha', 'ukrainian')]
    """
    path = Path(path)
    name = path.name
    reader = checked_reader(path, FACT_COLUMNS, MAX_FACT_BYTES)
    problems: list[Problem] = []
    facts: list[Fact] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            problems.append(Problem(name, f"line {line}", "(row)",
                                    "has a different number of fields than the header"))
            continue
        fid = row["fact_id"].strip() or f"line {line}"
        bad = len(problems)

        def report(col: str, msg: str, fid=fid) -> None:
            problems.append(Problem(name, fid, col, msg))

        if fid in seen:
            report("fact_id", "is a duplicate")
        seen.add(fid)
        for col, msg in row_problems(row):
            report(col, msg)
        if settlements is not None and row["settlement"].strip() and \
                row["settlement"] not in settlements:
            report("settlement", f"{row['settlement']!r} is not in the gazetteer "
                                 "(data/base/gazetteer.csv column 'name')")
        if len(problems) > bad:
            continue
        days = {col: _date(row[col]) for col in ("date", "published")}
        facts.append(Fact(fid, row["settlement"], days["date"], row["control"],
                          row["claim_maker"].strip(), row["side"], row["outlet"].strip(),
                          days["published"], row["url"].strip(), row["confidence"],
                          row["notes"].strip()))
    if problems:
        raise LayerValidationError(problems)
    return facts


def _event(raw: dict, name: str) -> tuple[EventSpec | None, list[Problem]]:
    eid = str(raw.get("id", "(no id)"))
    probs = []
    for key in ("id", "name", "kind", "valid_from", "status", "confidence", "notes",
                "sources"):
        if key not in raw:
            probs.append(Problem(name, eid, key, "is missing"))
    if probs:
        return None, probs
    if raw["kind"] not in EVENT_KINDS:
        probs.append(Problem(name, eid, "kind", f"is {raw['kind']!r}; expected one of "
                                                f"{', '.join(EVENT_KINDS)}"))
    if raw["status"] not in STATUSES:
        probs.append(Problem(name, eid, "status", f"is {raw['status']!r}"))
    if raw["confidence"] not in CONFIDENCE:
        probs.append(Problem(name, eid, "confidence", f"is {raw['confidence']!r}"))
    for vert in raw.get("vertices", []):
        if "settlement" not in vert and not {"lon", "lat", "reason"} <= set(vert):
            probs.append(Problem(name, eid, "vertices",
                                 f"{vert!r} needs a settlement, or lon, lat and a reason"))
    if not raw.get("vertices") and not raw.get("border_near"):
        probs.append(Problem(name, eid, "vertices", "needs vertices or border_near"))
    try:
        start = _date(str(raw["valid_from"]))
        end = _date(str(raw["valid_to"])) if raw.get("valid_to") else None
    except ValueError as exc:
        probs.append(Problem(name, eid, "valid_from", str(exc)))
        return None, probs
    if probs:
        return None, probs
    return EventSpec(eid, raw["name"], raw["kind"], start, end, raw["status"],
                     raw["confidence"], raw["notes"], tuple(raw["sources"]),
                     tuple(raw.get("vertices", ())), raw.get("border_near")), []


def read_method(path: str | Path) -> Method:
    """Read ``method.toml``: rule parameters and hand-placed events.

    Raises
    ------
    LayerValidationError
        Naming each missing or bad key.

    Examples
    --------
    >>> from layers.paths import DATA_DIR
    >>> read_method(DATA_DIR / "facts" / "method.toml").pocket_anchor
    'Sudzha'
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LayerValidationError([Problem(path.name, None, "(file)",
                                            f"is not valid TOML: {exc}")]) from None
    problems = []
    rules = raw.get("rules", {})
    cells = raw.get("cells", {})
    pocket = raw.get("sudzha_pocket", {})
    want = [("rules", rules, "conflict_window_days"), ("rules", rules, "contested_days"),
            ("rules", rules, "stale_days"), ("cells", cells, "reach_factor"),
            ("cells", cells, "spacing_box"), ("cells", cells, "spacing_countries"),
            ("cells", cells, "smooth_m"), ("cells", cells, "simplify_m"),
            ("sudzha_pocket", pocket, "anchor"), ("sudzha_pocket", pocket, "from")]
    for table, values, key in want:
        if key not in values:
            problems.append(Problem(path.name, table, key, "is missing"))
    spacing_countries = tuple(str(v) for v in cells.get("spacing_countries", ()))
    unknown = sorted(set(spacing_countries) - set(_ISO.values())) or (
        [] if spacing_countries or "spacing_countries" not in cells else ["(none)"])
    if unknown:
        problems.append(Problem(path.name, "cells", "spacing_countries",
                                f"{', '.join(unknown)}: expected one or more of RUS, UKR"))
    events = []
    for ev in raw.get("events", []):
        spec, probs = _event(ev, path.name)
        problems.extend(probs)
        if spec is not None:
            events.append(spec)
    if problems:
        raise LayerValidationError(problems)
    return Method(int(rules["conflict_window_days"]), int(rules["contested_days"]),
                  int(rules["stale_days"]), float(cells["reach_factor"]),
                  tuple(float(v) for v in cells["spacing_box"]), spacing_countries,
                  float(cells["smooth_m"]),
                  float(cells["simplify_m"]), str(pocket["anchor"]),
                  _date(str(pocket["from"])), tuple(events))


_ISO = {"Russia": "RUS", "Ukraine": "UKR"}


@dataclass(frozen=True)
class Place:
    """A gazetteer settlement: lon/lat (degrees, WGS84) and ISO country (RUS/UKR)."""

    lon: float
    lat: float
    country: str


def places_from_gazetteer(settlements) -> dict[str, Place]:
    """Gazetteer rows (``layers.read_base(...).settlements``) keyed by name.

    A name that two rows share (two villages called Mykolaivka outside the fighting
    area, say) is left out: a fact naming it could not say which one it means, so
    :func:`read_facts` reports it as unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"name": ["A", "B", "B"], "lon": [35.0, 35.1, 35.2],
    ...                      "lat": [51.0, 51.1, 51.2], "country": ["Russia"] * 3})
    >>> places_from_gazetteer(rows)
    {'A': Place(lon=35.0, lat=51.0, country='RUS')}
    """
    places: dict[str, Place] = {}
    shared: set[str] = set()
    for _, row in settlements.iterrows():
        if row["name"] in places:
            shared.add(row["name"])
        places[row["name"]] = Place(float(row["lon"]), float(row["lat"]),
                                    _ISO.get(row["country"], row["country"]))
    return {n: p for n, p in places.items() if n not in shared}


@dataclass(frozen=True)
class FactBase:
    """The facts, the method, the places they name and the facts' audits, read once."""

    facts: tuple[Fact, ...]
    method: Method
    places: dict[str, Place]
    #: Each audited fact's re-readings at its source (``data/facts/audit.csv``).
    audits: Mapping[str, tuple[Audit, ...]] = field(default_factory=dict)

    def about(self, settlement: str) -> list[Fact]:
        """Every fact about ``settlement``, oldest first."""
        return sorted((f for f in self.facts if f.settlement == settlement),
                      key=lambda f: (f.date, f.fact_id))


def load_factbase(facts_path: str | Path, method_path: str | Path, settlements) -> FactBase:
    """Read the fact base and the method against the gazetteer's settlements.

    Its audit record is read apart (:func:`with_audits`): building the layers never needs
    it, and a bad record must not cost the facts.

    Raises
    ------
    LayerValidationError
        Naming every bad row of either file.

    Examples
    --------
    >>> from layers import default_paths, read_base
    >>> paths = default_paths()
    >>> fb = load_factbase(paths.facts, paths.method, read_base(paths.base).settlements)
    >>> [f.date.isoformat() for f in fb.about("Sudzha")][:1]
    ['2024-08-07']
    """
    places = places_from_gazetteer(settlements)
    return FactBase(tuple(read_facts(facts_path, set(places))), read_method(method_path),
                    places)


def with_audits(factbase: FactBase, audit_path: str | Path) -> FactBase:
    """Return ``factbase`` carrying its audit record (:func:`layers.audit.read_audit`).

    Raises
    ------
    LayerValidationError
        Naming every bad row of the record; the caller keeps ``factbase`` as it was.
    """
    return replace(factbase, audits=read_audit(audit_path,
                                               {f.fact_id for f in factbase.facts}))
