"""Read the outlet-name table: stored-page ids (``themoscowtimes a88089``) to outlet names.

The layers and the claims table name an outlet the way it was stored
(``themoscowtimes a88089``, ``devdiscourse 3255253``, ``overview article (seed
002)``). ``data/base/outlets.csv`` maps each such id prefix to the name a reader
would cite (``The Moscow Times``); :func:`views.citation.cite` uses it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from layers.errors import LayerValidationError, Problem

__all__ = ["OUTLET_COLUMNS", "read_outlets"]

#: Columns of ``outlets.csv``.
OUTLET_COLUMNS = ["id_prefix", "outlet_name"]


def read_outlets(path: str | Path) -> dict[str, str]:
    """Read ``outlets.csv`` into ``{id prefix (lower case): outlet name}``.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    dict
        Empty when the file does not exist (sources then print as stored).

    Raises
    ------
    LayerValidationError
        Listing every bad row at once: a missing column, an empty prefix or
        name, a prefix listed twice.

    Examples
    --------
    >>> from layers.paths import DATA_DIR
    >>> read_outlets(DATA_DIR / "base" / "outlets.csv")["themoscowtimes"]
    'The Moscow Times'
    >>> read_outlets(DATA_DIR / "no-such-file.csv")
    {}
    """
    path = Path(path)
    if not path.exists():
        return {}
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = [Problem(path.name, None, col, "column is missing")
                for col in OUTLET_COLUMNS if col not in frame.columns]
    if problems:
        raise LayerValidationError(problems)
    table: dict[str, str] = {}
    for n, row in frame.iterrows():
        prefix, name = row["id_prefix"].strip(), row["outlet_name"].strip()
        where = f"row {n + 2}"
        if not prefix or not name:
            col = "id_prefix" if not prefix else "outlet_name"
            problems.append(Problem(path.name, where, col, "is empty; give the stored id "
                                    "prefix and the outlet's name"))
            continue
        if prefix.lower() in table:
            problems.append(Problem(path.name, where, "id_prefix",
                                    f"{prefix!r} is listed twice; keep one row"))
            continue
        table[prefix.lower()] = name
    if problems:
        raise LayerValidationError(problems)
    return table
