"""Read the audit record of the fact base: which facts were re-read at their source, and how.

``data/facts/audit.csv`` holds one row per fact re-read in an audit: a curator (or a
helper working for one) found the stored page again and checked the row against it. A
fact can be audited more than once; a ``mended`` row says what was corrected in the fact
base, which already holds the correction. The record is provenance: ``frontline
settlement NAME`` and the map's settlement popups show it beside the fact.

Every problem is reported at once, naming the file, the line and the field
(:class:`layers.errors.Problem`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from layers.csvfile import checked_reader
from layers.errors import LayerValidationError, Problem

__all__ = ["AUDIT_COLUMNS", "VERDICTS", "Audit", "audit_text", "read_audit"]

#: Columns of ``audit.csv``, in order.
AUDIT_COLUMNS = ("fact_id", "audited", "verdict", "found", "evidence")
#: What re-reading the source showed: the row agrees with it, the row was corrected (and
#: ``found`` says how), or the stored page could not be found again.
VERDICTS = ("confirmed", "mended", "source not found")
#: An audit file larger than this is refused before it is parsed.
MAX_AUDIT_BYTES = 1024 * 1024
#: Longest text accepted in ``found`` or ``evidence``.
MAX_TEXT = 600


@dataclass(frozen=True)
class Audit:
    """One re-reading of one fact's source: when, what it showed, and the evidence."""

    fact_id: str
    audited: dt.date
    verdict: str
    found: str
    evidence: str


def audit_text(audit: Audit) -> str:
    """Return an audit in a reader's words.

    Examples
    --------
    >>> audit_text(Audit("f1", dt.date(2026, 12, 7), "mended", "control contested -> strike",
    ...                  "the summary names only drone strikes"))
    're-read 7 Dec 2026: mended (control contested -> strike)'
    >>> audit_text(Audit("f2", dt.date(2026, 12, 7), "confirmed", "", "TASS says so"))
    're-read 7 Dec 2026: confirmed'
    """
    when = f"{audit.audited.day} {audit.audited:%b %Y}"
    return f"re-read {when}: {audit.verdict}" + (f" ({audit.found})" if audit.found else "")


def read_audit(path: str | Path, fact_ids: Collection[str]) -> dict[str, tuple[Audit, ...]]:
    r"""Read ``audit.csv``: each audited fact's audits, oldest first.

    Parameters
    ----------
    path : str or pathlib.Path
        A missing file is an empty record.
    fact_ids : collection of str
        The fact base's ids; an audit of any other id is a problem.

    Raises
    ------
    LayerValidationError
        Listing every bad row and field (file, line, field, message).

    Examples
    --------
    >>> import tempfile
    >>> text = ("fact_id,audited,verdict,found,evidence\n"
    ...         "f1,2026-12-07,confirmed,,TASS carried the same statement\n"
    ...         "f9,2026-12-07,maybe,,x\n")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "audit.csv"
    ...     _ = p.write_text(text, encoding="utf-8")
    ...     try:
    ...         read_audit(p, {"f1"})
    ...     except LayerValidationError as exc:
    ...         print(*exc.problems, sep="\n")  # doctest: +ELLIPSIS
    audit.csv: feature 'line 3': field 'fact_id': 'f9' is not a fact of settlement_control.csv
    audit.csv: feature 'line 3': field 'verdict': is 'maybe'; expected one of confirmed, ...
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        return {}
    reader = checked_reader(path, AUDIT_COLUMNS, MAX_AUDIT_BYTES)
    problems: list[Problem] = []
    out: dict[str, list[Audit]] = {}
    for line, row in enumerate(reader, start=2):
        where = f"line {line}"
        if None in row or any(v is None for v in row.values()):
            problems.append(Problem(name, where, "(row)",
                                    "has a different number of fields than the header"))
            continue
        bad = len(problems)
        fid = row["fact_id"].strip()
        if fid not in fact_ids:
            problems.append(Problem(name, where, "fact_id",
                                    f"{fid!r} is not a fact of settlement_control.csv"))
        try:
            day = dt.date.fromisoformat(row["audited"].strip())
        except ValueError:
            problems.append(Problem(name, where, "audited",
                                    f"{row['audited']!r} is not a date (YYYY-MM-DD)"))
        verdict = row["verdict"].strip()
        if verdict not in VERDICTS:
            problems.append(Problem(name, where, "verdict",
                                    f"is {verdict!r}; expected one of {', '.join(VERDICTS)}"))
        elif verdict == "mended" and not row["found"].strip():
            problems.append(Problem(name, where, "found", "is empty: say what was mended"))
        for col in ("found", "evidence"):
            if len(row[col]) > MAX_TEXT:
                problems.append(Problem(name, where, col,
                                        f"is longer than {MAX_TEXT} characters"))
        if len(problems) == bad:
            out.setdefault(fid, []).append(Audit(fid, day, verdict, row["found"].strip(),
                                                 row["evidence"].strip()))
    if problems:
        raise LayerValidationError(problems)
    return {fid: tuple(sorted(a, key=lambda x: x.audited)) for fid, a in out.items()}
