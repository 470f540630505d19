"""Read the claims table: every published figure the map is checked against."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from layers.errors import LayerValidationError, Problem
from layers.validate import parse_date

__all__ = ["CLAIM_COLUMNS", "read_claims"]

#: Columns of ``data/claims.csv``.
CLAIM_COLUMNS = ["claim_id", "date", "claim_maker", "side", "figure", "unit", "measures",
                 "layer", "status", "tolerance_pct", "outlet", "source_ref", "notes"]


def read_claims(path: str | Path) -> pd.DataFrame:
    """Read and check ``claims.csv``.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CLAIM_COLUMNS`; ``date`` as :class:`datetime.date`,
        ``figure`` and ``tolerance_pct`` as floats (NaN where a row has none).

    Raises
    ------
    LayerValidationError
        Listing every bad row (file, claim id, field).
    """
    path = Path(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = [Problem(path.name, None, col, "column is missing")
                for col in CLAIM_COLUMNS if col not in frame.columns]
    if problems:
        raise LayerValidationError(problems)
    dates, figures, tols = [], [], []
    for _, row in frame.iterrows():
        cid = row["claim_id"] or f"row {_ + 2}"
        try:
            dates.append(parse_date(row["date"]))
        except ValueError as exc:
            problems.append(Problem(path.name, cid, "date", str(exc)))
            dates.append(None)
        for col, out in (("figure", figures), ("tolerance_pct", tols)):
            text = row[col].replace(",", "").strip()
            try:
                out.append(float(text) if text else float("nan"))
            except ValueError:
                problems.append(Problem(path.name, cid, col, f"{row[col]!r} is not a number"))
                out.append(float("nan"))
    if frame["claim_id"].duplicated().any():
        for cid in frame.loc[frame["claim_id"].duplicated(), "claim_id"]:
            problems.append(Problem(path.name, cid, "claim_id", "is a duplicate"))
    if problems:
        raise LayerValidationError(problems)
    frame = frame[CLAIM_COLUMNS].copy()
    frame["date"] = dates
    frame["figure"] = figures
    frame["tolerance_pct"] = tols
    return frame
