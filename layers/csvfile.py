"""Open a CSV table of the data folder: size, encoding and header checked first.

Every table reader (the fact base, its audit record) starts the same way; a problem with
the file as a whole is reported as :class:`layers.errors.Problem` naming the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from layers.errors import LayerValidationError, Problem

__all__ = ["checked_reader"]


def checked_reader(path: Path, columns: Sequence[str], max_bytes: int) -> csv.DictReader:
    r"""Return a reader of ``path``'s rows once the file as a whole is fit to read.

    Raises
    ------
    LayerValidationError
        If the file is larger than ``max_bytes``, is not UTF-8, or its header lacks one of
        ``columns`` (each missing column named).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "t.csv"
    ...     _ = p.write_text("a,b\n1,2\n", encoding="utf-8")
    ...     rows = list(checked_reader(p, ["a", "b"], 100))
    ...     try:
    ...         checked_reader(p, ["a", "c"], 100)
    ...     except LayerValidationError as exc:
    ...         print(*exc.problems)
    t.csv: (file): field 'c': column is missing
    >>> rows
    [{'a': '1', 'b': '2'}]
    """
    name = path.name
    if path.stat().st_size > max_bytes:
        raise LayerValidationError([Problem(name, None, "(file)",
                                            f"is larger than {max_bytes} bytes")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LayerValidationError([Problem(name, None, "(file)",
                                            f"is not UTF-8 text ({exc.reason})")]) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise LayerValidationError([Problem(name, None, c, "column is missing")
                                    for c in missing])
    return reader
