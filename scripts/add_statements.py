"""Queue newly read statements for the fact base: append them to unplaced_facts.csv.

A curator (or a search pass) writes statements to a CSV with the waiting file's columns
(``settlement, settlement_cyrillic, oblast, date, control, claim_maker, side, outlet,
published, url, confidence, notes``). This script checks each row, drops the ones the
fact base or the waiting file already holds (same place, day, control and claim maker),
and appends the rest to ``data/facts/unplaced_facts.csv`` with ``why = "not in
gazetteer"``, so ``frontline place-facts`` places every one the gazetteer can locate.

A row with a problem (a missing field, a bad date, a control or side outside the
vocabulary, a publication before the day it reports) is reported with its line number
and field, and nothing is written.

Usage (the project installed, as the README's commands do)::

    .venv/bin/python scripts/add_statements.py NEW.csv [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from layers.facts import row_problems
from layers.placement import match_settlement, read_rows, replace_file, rows_text, statement_key

ROOT = Path(__file__).resolve().parents[1]

FACTS = ROOT / "data" / "facts" / "settlement_control.csv"
WAITING = ROOT / "data" / "facts" / "unplaced_facts.csv"
GAZETTEER = ROOT / "data" / "base" / "gazetteer.csv"
OBLASTS = ("kursk", "sumy", "belgorod")


def problems_of(row: dict, line: int, name: str) -> list[str]:
    """Every problem of one new row, as "FILE line N, field F: what".

    The fact base's own checks (:func:`layers.facts.row_problems`, except the timeline:
    a statement outside it waits, saying so), plus the waiting file's ``oblast`` and
    ``notes``.

    Examples
    --------
    >>> problems_of({"settlement": "X", "oblast": "kursk", "date": "2024-08-10",
    ...              "control": "held", "claim_maker": "ISW", "side": "independent",
    ...              "outlet": "o", "published": "2024-08-09", "confidence": "low",
    ...              "notes": "n"}, 2, "new.csv")  # doctest: +NORMALIZE_WHITESPACE
    ['new.csv line 2, field published: 2024-08-09 is before the day it reports on
      (2024-08-10)',
     "new.csv line 2, field control: is 'held'; expected one of ukrainian, russian,
      contested, strike, symbolic"]
    """
    found = row_problems({k: (v or "").strip() for k, v in row.items() if k},
                         in_timeline=False)
    oblast = (row.get("oblast") or "").strip()
    if oblast not in OBLASTS:
        found.append(("oblast", f"is {oblast!r}; expected one of {', '.join(OBLASTS)}"))
    if not (row.get("notes") or "").strip():
        found.append(("notes", "is empty"))
    return [f"{name} line {line}, field {col}: {msg}" for col, msg in found]


def main(argv: list[str] | None = None) -> int:
    """Append the new statements; return a process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new", type=Path)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    _, new = read_rows(args.new)
    _, facts = read_rows(FACTS)
    columns, waiting = read_rows(WAITING)
    _, gazetteer = read_rows(GAZETTEER)
    problems = [p for i, row in enumerate(new, start=2)
                for p in problems_of(row, i, args.new.name)]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    have = {statement_key(f["settlement"], f) for f in facts}
    for w in waiting:
        name, _ = match_settlement(w["settlement"], w.get("settlement_cyrillic", ""),
                                   w["oblast"], gazetteer)
        have.add(statement_key(name or w["settlement"], w))
    added = duplicates = 0
    for row in new:
        row = {k: (v or "").strip() for k, v in row.items()}
        name, _ = match_settlement(row["settlement"], row.get("settlement_cyrillic", ""),
                                   row["oblast"], gazetteer)
        key = statement_key(name or row["settlement"], row)
        if key in have:
            duplicates += 1
            continue
        have.add(key)
        waiting.append({**{c: row.get(c, "") for c in columns}, "why": "not in gazetteer"})
        added += 1
    print(f"{added} queued, {duplicates} already held" + (" (dry run)" if args.dry_run else ""))
    if not args.dry_run:
        replace_file(WAITING, rows_text(columns, waiting))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
