"""Read the claims table: every published figure, and which quantity of the map it measures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from layers.errors import LayerValidationError, Problem
from layers.schema import CLAIM_COMPARISONS, KNOWN_LAYERS, QUANTITY_NAMES, STATUSES
from layers.validate import parse_date

__all__ = ["CLAIM_COLUMNS", "read_claims"]

#: Columns of ``data/claims.csv``.
CLAIM_COLUMNS = ["claim_id", "date", "claim_maker", "side", "figure", "unit", "quantity",
                 "layers", "statuses", "window_days", "comparison", "tolerance_pct",
                 "required", "measures", "outlet", "notes"]


def _number(text: str) -> float:
    text = text.replace(",", "").strip()
    return float(text) if text else float("nan")


def read_claims(path: str | Path) -> pd.DataFrame:
    """Read and check ``claims.csv``.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CLAIM_COLUMNS`; ``date`` as :class:`datetime.date`, ``figure`` and
        ``tolerance_pct`` as floats (NaN where a row has none), ``window_days`` as a
        nullable integer, ``required`` as bool, ``comparison`` ``about`` where empty.

    Raises
    ------
    LayerValidationError
        Listing every bad row (file, claim id, field): unknown quantity, layer, status or
        comparison, a window quantity without ``window_days``, a required row without a
        tolerance, bad numbers and dates, duplicate ids.

    Examples
    --------
    >>> from layers.paths import DATA_DIR
    >>> claims = read_claims(DATA_DIR / "claims.csv")
    >>> row = claims.set_index("claim_id").loc["gerasimov-20250312-5days"]
    >>> row["quantity"], row["layers"], int(row["window_days"])
    ('lost_in_window', 'ukrainian_held+contested', 5)
    """
    path = Path(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = [Problem(path.name, None, col, "column is missing")
                for col in CLAIM_COLUMNS if col not in frame.columns]
    if problems:
        raise LayerValidationError(problems)
    dates, figures, tols, windows, required = [], [], [], [], []
    for n, row in frame.iterrows():
        cid = row["claim_id"] or f"row {n + 2}"

        def bad(col: str, msg: str, cid=cid) -> None:
            problems.append(Problem(path.name, cid, col, msg))

        try:
            dates.append(parse_date(row["date"]))
        except ValueError as exc:
            bad("date", str(exc))
            dates.append(None)
        for col, out in (("figure", figures), ("tolerance_pct", tols)):
            try:
                out.append(_number(row[col]))
            except ValueError:
                bad(col, f"{row[col]!r} is not a number")
                out.append(float("nan"))
        quantity = row["quantity"].strip()
        if quantity not in QUANTITY_NAMES:
            bad("quantity", f"is {quantity!r}; expected one of {', '.join(QUANTITY_NAMES)}")
        for layer in filter(None, row["layers"].split("+")):
            if layer not in KNOWN_LAYERS:
                bad("layers", f"{layer!r} is not a layer id ({', '.join(KNOWN_LAYERS)})")
        for status in filter(None, row["statuses"].split("+")):
            if status not in STATUSES:
                bad("statuses", f"{status!r} is not a status ({', '.join(STATUSES)})")
        if quantity not in ("", "context") and quantity in QUANTITY_NAMES and not row["layers"]:
            bad("layers", f"a {quantity} claim names the layers it measures")
        if row["comparison"] and row["comparison"] not in CLAIM_COMPARISONS:
            bad("comparison", f"is {row['comparison']!r}; expected one of "
                              f"{', '.join(CLAIM_COMPARISONS)}")
        win = row["window_days"].strip()
        if win and not (win.isdigit() and int(win) > 0):
            bad("window_days", f"{win!r} is not a positive whole number of days")
        if quantity.endswith("_in_window") and not win:
            bad("window_days", f"a {quantity} claim needs the window's length in days")
        windows.append(int(win) if win.isdigit() else pd.NA)
        req = row["required"].strip().lower()
        if req not in ("", "yes"):
            bad("required", f"is {row['required']!r}; write 'yes' or leave it empty")
        if req == "yes" and not row["tolerance_pct"].strip():
            bad("tolerance_pct", "a required check needs a tolerance")
        required.append(req == "yes")
    if frame["claim_id"].duplicated().any():
        for cid in frame.loc[frame["claim_id"].duplicated(), "claim_id"]:
            problems.append(Problem(path.name, cid, "claim_id", "is a duplicate"))
    if problems:
        raise LayerValidationError(problems)
    frame = frame[CLAIM_COLUMNS].copy()
    frame["date"] = dates
    frame["figure"] = figures
    frame["tolerance_pct"] = tols
    frame["window_days"] = pd.array(windows, dtype="Int64")
    frame["required"] = required
    frame["comparison"] = frame["comparison"].replace("", "about")
    return frame
