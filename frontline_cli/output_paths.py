"""Where an export may be written: never inside ``data/``, never outside ``--out``.

:func:`safe_output_path` is the one place that decides whether a file may be
written; :func:`write_export` writes an :class:`views.export_file.Export` there
atomically. The views build bytes in memory; writing files is the front door's job.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from layers.errors import FrontlineError
from layers.paths import DATA_DIR

__all__ = ["UnsafeOutputPathError", "safe_output_path", "write_export"]


class UnsafeOutputPathError(FrontlineError, ValueError):
    """An export would be written inside data/ or outside the chosen output folder."""


def safe_output_path(out_dir: str | os.PathLike, filename: str, *,
                     data_dir: str | os.PathLike = DATA_DIR) -> Path:
    r"""Return where ``filename`` may be written inside ``out_dir``, or refuse.

    Refused: a name that is not a plain file name (``../x``, ``a/b``, an
    absolute path, ``.``/``..``, empty, NUL); an ``out_dir`` inside (or equal
    to) ``data_dir`` after resolving symlinks; a target that is a symlink (or
    sits behind one) pointing outside ``out_dir`` or into ``data_dir``; a target
    that is a directory.

    Parameters
    ----------
    out_dir : path-like
        The chosen output folder (need not exist yet).
    filename : str
        The file's name.
    data_dir : path-like, optional
        The folder never written to (default: the repository's ``data/``).

    Returns
    -------
    pathlib.Path
        ``resolved out_dir / filename``.

    Raises
    ------
    UnsafeOutputPathError
        With the reason and what to do instead.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> safe_output_path(out, "map.png").name
    'map.png'
    >>> try:
    ...     safe_output_path(out, "../map.png")
    ... except UnsafeOutputPathError as exc:
    ...     print(exc)  # doctest: +ELLIPSIS
    output file name '../map.png' must be a plain file name ...
    """
    name = str(filename)
    if (not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name
            or Path(name).is_absolute() or Path(name).name != name):
        raise UnsafeOutputPathError(
            f"output file name {name!r} must be a plain file name (no '/', '\\', '..' or "
            "absolute path); choose the folder with --out")
    if "\x00" in str(out_dir):
        raise UnsafeOutputPathError("output folder contains a NUL character")
    data = Path(data_dir).resolve()
    out = Path(out_dir).expanduser().resolve()
    if out == data or data in out.parents:
        raise UnsafeOutputPathError(
            f"refusing to write into the data folder {data}: exports never overwrite the "
            "shipped data; choose another --out folder (e.g. snapshots/)")
    target = out / name
    final = target.resolve()
    if final.parent != out:
        raise UnsafeOutputPathError(
            f"{target} is a symlink pointing outside the output folder {out} (to {final}); "
            "remove it or choose another name")
    if final == data or data in final.parents:
        raise UnsafeOutputPathError(f"{target} points into the data folder {data}")
    if final.is_dir():
        raise UnsafeOutputPathError(f"{target} is a directory; choose another name")
    return target


def write_export(export: Any, out_dir: str | os.PathLike, filename: str | None = None, *,
                 data_dir: str | os.PathLike = DATA_DIR) -> Path:
    """Write ``export`` into ``out_dir`` (created if missing) after :func:`safe_output_path`.

    The file is written to a temporary name in the same folder, then renamed
    over the target: a reader never sees half a file, and an existing symlink
    at the target is replaced, not followed.

    Parameters
    ----------
    export : views.export_file.Export
        Its ``data`` is written; its ``name`` is the default file name.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    UnsafeOutputPathError
        See :func:`safe_output_path`.
    OSError
        If the folder cannot be created or written.
    """
    target = safe_output_path(out_dir, filename or export.name, data_dir=data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".export-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(export.data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
