"""Place the waiting statements: move the ones the gazetteer now locates into the facts.

A statement about a village with no openly licensed coordinate waits in
``data/facts/unplaced_facts.csv`` (nothing read is lost). When a gazetteer row for the
village arrives, :func:`place_facts` gives the statement the next ``fact_id`` and the
gazetteer's name, appends it to the fact base and drops it from the waiting file. The
match is by name, never by guess:

- the statement's Latin name (without a bracketed district) or its Cyrillic name equals
  a gazetteer row's name, Cyrillic name or an alias (case, ``ё``/``е`` and apostrophes
  ignored);
- the gazetteer row is in the same oblast (or, for a GeoNames row without an oblast, the
  same country) and inside the fighting area :data:`NEAR_BOX`;
- a bracketed district in the statement's name (``Aleksandrovka (Korenevsky)``) must
  appear in the row's district; a bracket that names no district of the gazetteer is
  another spelling of the place (``Martynivka (Martynovka)``) and is matched like the
  name;
- a statement whose name, bracket included, is a gazetteer row's whole name
  (``Sherekino (Lgovsky, northern)``) names that row;
- exactly one row matches, and no other gazetteer row (anywhere) has its name: the
  fact base can only name a place whose name is unique (``layers.facts.places_from_gazetteer``);
  otherwise the statement keeps waiting, with ``why`` naming the rows.

A statement that, once named, repeats a fact (the same place, day, control and claim
maker, :func:`statement_key`) keeps waiting too, with ``why`` naming the fact: another
spelling of a place already reported must not count twice.

Both files are rewritten only after the new fact base reads back without a problem.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from layers.facts import FACT_COLUMNS, read_facts

__all__ = ["NEAR_BOX", "Placement", "match_settlement", "place_facts", "plan_placement",
           "read_rows", "replace_file", "rows_text", "statement_key"]

#: Where a waiting statement's village can be (lon_min, lat_min, lon_max, lat_max): the
#: fighting area with a margin, so a namesake 300 km away never matches.
NEAR_BOX = (33.9, 50.8, 36.0, 51.8)
_COUNTRY = {"kursk": "Russia", "belgorod": "Russia", "sumy": "Ukraine"}
_BRACKET = re.compile(r"\s*\(([^)]*)\)\s*$")
NOT_IN_GAZETTEER = "not in gazetteer"


def _key(name: str) -> str:
    return (name.strip().lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'"))


def _keys(row: dict) -> set[str]:
    names = [row.get("name", ""), row.get("name_alt", ""),
             *row.get("aliases", "").split(";")]
    bare = _BRACKET.sub("", row.get("name", ""))
    return {_key(n) for n in [*names, bare] if n.strip()}


def match_settlement(name: str, cyrillic: str, oblast: str,
                     gazetteer: list[dict]) -> tuple[str | None, str]:
    """Return the gazetteer name a statement's settlement resolves to, or None and why not.

    Examples
    --------
    >>> gaz = [{"name": "Darino", "name_alt": "Дарьино", "aliases": "", "lat": "51.2",
    ...         "lon": "35.1", "country": "Russia", "oblast": "Kursk",
    ...         "district": "Sudzhansky"},
    ...        {"name": "Mikhaylovka (Sudzhansky)", "name_alt": "Михайловка", "aliases": "",
    ...         "lat": "51.2", "lon": "35.2", "country": "Russia", "oblast": "Kursk",
    ...         "district": "Sudzhansky"},
    ...        {"name": "Mikhaylovka (Korenevsky)", "name_alt": "Михайловка", "aliases": "",
    ...         "lat": "51.4", "lon": "34.9", "country": "Russia", "oblast": "Kursk",
    ...         "district": "Korenevsky"}]
    >>> match_settlement("Darino", "Дарьино", "kursk", gaz)
    ('Darino', '')
    >>> match_settlement("Mikhaylovka (Korenevsky)", "Михайловка", "kursk", gaz)
    ('Mikhaylovka (Korenevsky)', '')
    >>> match_settlement("Mikhaylovka", "Михайловка", "kursk", gaz)
    (None, 'ambiguous: Mikhaylovka (Korenevsky); Mikhaylovka (Sudzhansky)')
    >>> match_settlement("Darino", "Дарьино", "sumy", gaz)
    (None, 'not in gazetteer')
    >>> match_settlement("Daryine (Darino)", "", "kursk", gaz)
    ('Darino', '')
    """
    counts = Counter(row["name"] for row in gazetteer)
    hint = _BRACKET.search(name)
    if hint:
        exact = [row for row in gazetteer if _key(row["name"]) == _key(name)]
        if len(exact) == 1 and _near(exact[0], oblast):
            return exact[0]["name"], ""
    wanted = {_key(_BRACKET.sub("", name))} | ({_key(cyrillic)} if cyrillic.strip() else set())
    if hint and not any(hint.group(1).strip().lower() in row.get("district", "").lower()
                        for row in gazetteer):
        wanted.add(_key(hint.group(1)))
        hint = None
    found = []
    for row in gazetteer:
        if not _near(row, oblast):
            continue
        if hint and hint.group(1).strip().lower() not in row.get("district", "").lower():
            continue
        if wanted & _keys(row):
            found.append(row["name"])
    if len(found) == 1 and counts[found[0]] == 1:
        return found[0], ""
    if not found:
        return None, NOT_IN_GAZETTEER
    if len(found) == 1:
        return None, f"ambiguous: {found[0]} names {counts[found[0]]} gazetteer rows"
    return None, "ambiguous: " + "; ".join(sorted(found))


def _near(row: dict, oblast: str) -> bool:
    """Whether a gazetteer row is in the statement's oblast (or country) and NEAR_BOX."""
    region = row.get("oblast", "").strip().lower()
    if region and region != oblast.lower():
        return False
    if not region and row.get("country") != _COUNTRY.get(oblast.lower()):
        return False
    lon0, lat0, lon1, lat1 = NEAR_BOX
    return lon0 <= float(row["lon"]) <= lon1 and lat0 <= float(row["lat"]) <= lat1


@dataclass
class Placement:
    """What :func:`place_facts` did (or, with ``dry_run``, would do)."""

    placed: list[dict] = field(default_factory=list)
    waiting: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        """One line per placed settlement, then the count still waiting."""
        counts: dict[str, int] = {}
        for row in self.placed:
            counts[row["settlement"]] = counts.get(row["settlement"], 0) + 1
        lines = [f"placed {n} statement(s) about {s}" for s, n in sorted(counts.items())]
        lines.append(f"{len(self.placed)} placed, {len(self.waiting)} still waiting")
        return "\n".join(lines)


#: One claim maker written two ways (found in session 12, when 28 statements were in the
#: base twice under two spellings): each spelling, lower case, to the one it stands for.
CLAIM_MAKER_ALIASES = {
    "conflict intelligence team": "cit",
    "russian defence ministry": "russian mod",
    "russian defense ministry": "russian mod",
    "russian ministry of defence": "russian mod",
    "maj. gen. apti alaudinov": "apti alaudinov",
    "apty alaudinov": "apti alaudinov",
    "yuri podolyak": "yuri podolyaka",
    "andrii demchenko": "demchenko",
    "andriy kovalenko": "kovalenko",
    "andrii kovalenko": "kovalenko",
    "mash telegram channel": "mash",
}


def statement_key(name: str, row: dict) -> tuple[str, str, str, str]:
    """Place, day, control and claim maker: one published statement.

    The claim maker is compared without what a relay adds (a bracket, "via ..."), and
    under one spelling (:data:`CLAIM_MAKER_ALIASES`): ``"Rybar"`` and ``"Rybar (via
    UAWire)"`` are one, so are ``"CIT (Conflict Intelligence Team)"`` and ``"Conflict
    Intelligence Team"``; ``"Russian MoD"`` and ``"Russian milbloggers"`` are two.

    Examples
    --------
    >>> row = {"date": "2024-08-08", "control": "ukrainian", "claim_maker": "Rybar (via UAWire)"}
    >>> statement_key("Knyazhiy 1", row)
    ('Knyazhiy 1', '2024-08-08', 'ukrainian', 'rybar')
    >>> statement_key("X", {**row, "claim_maker": "Russian Defence Ministry via TASS"})[3]
    'russian mod'
    >>> statement_key("X", {**row, "claim_maker": "Conflict Intelligence Team"})[3]
    'cit'
    """
    who = re.split(r"\s*\(|\s+via\s+", row["claim_maker"].strip(), maxsplit=1)[0].lower()
    return (name, row["date"].strip(), row["control"].strip(),
            CLAIM_MAKER_ALIASES.get(who, who))


def _next_id(fact_rows: list[dict]) -> int:
    numbers = [int(m.group(1)) for r in fact_rows
               if (m := re.fullmatch(r"f(\d+)", r["fact_id"].strip()))]
    return max(numbers, default=0) + 1


def plan_placement(fact_rows: list[dict], waiting_rows: list[dict],
                   gazetteer: list[dict]) -> Placement:
    """Which waiting rows become facts (with their new ids) and which keep waiting.

    Rows waiting for another reason than the gazetteer (a date outside the timeline,
    say) keep waiting.
    """
    result = Placement()
    next_id = _next_id(fact_rows)
    held = {statement_key(f["settlement"], f): f["fact_id"] for f in fact_rows}
    for row in waiting_rows:
        if row.get("why", "").strip() != NOT_IN_GAZETTEER and \
                not row.get("why", "").startswith("ambiguous"):
            result.waiting.append(row)
            continue
        name, why = match_settlement(row["settlement"], row.get("settlement_cyrillic", ""),
                                     row.get("oblast", ""), gazetteer)
        if name is None:
            result.waiting.append({**row, "why": why})
            continue
        if (same := held.get(statement_key(name, row))) is not None:
            result.waiting.append({**row, "why": f"repeats {same} ({name})"})
            continue
        fact = {c: row.get(c, "") for c in FACT_COLUMNS}
        fact.update(fact_id=f"f{next_id:04d}", settlement=name)
        held[statement_key(name, fact)] = fact["fact_id"]
        next_id += 1
        result.placed.append(fact)
    return result


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    """Return a CSV file's columns and rows (dicts), as written by :func:`rows_text`."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def rows_text(columns: list[str], rows: list[dict]) -> str:
    """Return the CSV text of ``rows`` under ``columns`` (other keys dropped)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def replace_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a reader never sees half a file)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


def place_facts(facts_path: Path, waiting_path: Path, gazetteer_path: Path,
                dry_run: bool = False) -> Placement:
    """Move every waiting statement the gazetteer now places into the fact base.

    Raises
    ------
    LayerValidationError
        If the fact base with the placed rows would not read back (naming the row and
        field); neither file is changed then.
    """
    fact_columns, fact_rows = read_rows(facts_path)
    waiting_columns, waiting_rows = read_rows(waiting_path)
    _gaz_columns, gazetteer = read_rows(gazetteer_path)
    plan = plan_placement(fact_rows, waiting_rows, gazetteer)
    if dry_run:
        return plan
    if not plan.placed:
        if plan.waiting != waiting_rows:  # only a why changed: say the current one
            replace_file(waiting_path, rows_text(waiting_columns, plan.waiting))
        return plan
    new_facts = rows_text(fact_columns, fact_rows + plan.placed)
    with tempfile.TemporaryDirectory() as scratch:
        check = Path(scratch) / facts_path.name
        check.write_text(new_facts, encoding="utf-8")
        counts = Counter(r["name"] for r in gazetteer)
        read_facts(check, {n for n, k in counts.items() if k == 1})
    replace_file(facts_path, new_facts)
    replace_file(waiting_path, rows_text(waiting_columns, plan.waiting))
    return plan
