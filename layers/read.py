"""Read dated layer files into GeoDataFrames, validating first.

Reading never writes: files are opened read-only, and a bad file never stops
the good ones from loading (:func:`load_layer_dir` collects its problems).
"""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
from shapely.geometry import shape

from layers.errors import LayerValidationError, Problem
from layers.schema import MAX_FILE_BYTES
from layers.validate import parse_date, validate_collection

__all__ = ["COLUMNS", "LoadResult", "load_layer_dir", "parse_layer_bytes", "read_layer_file"]

#: Columns of every frame this module returns, in order (plus ``geometry``).
COLUMNS = ["id", "layer", "status", "valid_from", "valid_to", "confidence", "name", "kind",
           "sources", "notes", "file"]


@dataclass
class LoadResult:
    """What :func:`load_layer_dir` found: the good features and every problem."""

    frame: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    files_loaded: list[str] = field(default_factory=list)
    files_failed: list[str] = field(default_factory=list)


def parse_layer_bytes(data: bytes, file: str, *, max_bytes: int = MAX_FILE_BYTES,
                      any_layer: bool = False) -> gpd.GeoDataFrame:
    """Validate and parse the bytes of one layer file.

    Parameters
    ----------
    data : bytes
        The file's content (UTF-8 GeoJSON).
    file : str
        The name to report in errors.
    max_bytes : int, optional
        Files larger than this are refused unparsed.
    any_layer : bool, optional
        Accept any layer name (a user's own upload), not only the project's layer ids.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature, columns :data:`COLUMNS` plus ``geometry``, EPSG:4326.

    Raises
    ------
    LayerValidationError
        Listing every problem found in the file.

    Examples
    --------
    >>> parse_layer_bytes(b"{not json", "bad.geojson")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    layers.errors.LayerValidationError: 1 problem(s) found:
      bad.geojson: (file): field 'json': is not valid JSON: Expecting ... at line 1, column 2
    """
    if len(data) > max_bytes:
        raise LayerValidationError([Problem(file, None, "size", (
            f"is {len(data):,} bytes; the limit is {max_bytes:,} bytes: split the file "
            "or simplify its geometry"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LayerValidationError([Problem(file, None, "encoding",
                                            f"is not UTF-8 ({exc.reason} at byte {exc.start})")]
                                   ) from None
    try:
        dupes: list[Problem] = []
        obj = json.loads(text, object_pairs_hook=_no_duplicate_keys(file, dupes))
    except json.JSONDecodeError as exc:
        raise LayerValidationError([Problem(file, None, "json", (
            f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"))]
                                   ) from None
    except RecursionError:
        raise LayerValidationError([Problem(file, None, "json", (
            "is nested too deeply for a GeoJSON document"))]) from None
    except ValueError as exc:
        # json.loads refuses integers of more than 4300 digits (CPython's
        # int_max_str_digits guard) with a plain ValueError, not JSONDecodeError.
        raise LayerValidationError([Problem(file, None, "json", (
            f"is not valid JSON: {str(exc)[:120]}"))]) from None
    problems = dupes[:20] + validate_collection(obj, file, any_layer=any_layer)
    if problems:
        raise LayerValidationError(problems)
    return _to_frame(obj["features"], file)


def _display_name(path: Path) -> str:
    """``path.name``, with undecodable bytes of the file name shown as U+FFFD.

    Python decodes a non-UTF-8 file name with lone surrogates, which Streamlit
    cannot send to the browser; a name is for people, so make it displayable.
    """
    raw = path.name.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "replace")


def _no_duplicate_keys(file: str, found: list[Problem]):
    """Return an ``object_pairs_hook`` recording keys given twice in one object.

    ``json.loads`` silently keeps the last value of a repeated key, so
    ``{"layer": "contested", ..., "layer": "ukrainian_held"}`` would load as
    something its author may not have meant; report it instead.
    """

    def hook(pairs: list[tuple[str, object]]) -> dict:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            fid = obj.get("id") if isinstance(obj.get("id"), str) else None
            for key, _ in pairs:
                if key in seen:
                    found.append(Problem(file, fid, key[:80], (
                        "is given twice in one JSON object; JSON keeps only the last "
                        "value: remove the one you did not mean")))
                seen.add(key)
        return obj

    return hook


def read_layer_file(path: str | Path) -> gpd.GeoDataFrame:
    """Read and validate one layer file (see :func:`parse_layer_bytes`).

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.geojson`` file.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    LayerValidationError
        If the file is unreadable, too large or breaks the contract.
    """
    path = Path(path)
    name = _display_name(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A FIFO would block the reader forever; a directory or device is no layer.
            raise LayerValidationError([Problem(name, None, "file", (
                "cannot be read: not a regular file (a directory, FIFO or device?)"))])
        if info.st_size > MAX_FILE_BYTES:
            raise LayerValidationError([Problem(name, None, "size", (
                f"is {info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes: split the "
                "file or simplify its geometry"))])
        with path.open("rb") as fh:
            # Never more than the limit + 1, even if the file grew since stat().
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise LayerValidationError([Problem(name, None, "file",
                                            f"cannot be read: {exc.strerror}")]) from None
    return parse_layer_bytes(data, name)


def load_layer_dir(directory: str | Path) -> LoadResult:
    """Load every ``*.geojson`` in ``directory``; bad files are reported, not fatal.

    Ids must be unique across files too: a feature whose id another file
    already used is dropped and reported.

    Parameters
    ----------
    directory : str or pathlib.Path

    Returns
    -------
    LoadResult
        The good features (one frame), and every problem of the bad files.
    """
    directory = Path(directory)
    frames: list[gpd.GeoDataFrame] = []
    result = LoadResult(frame=_empty_frame())
    if not directory.is_dir():
        result.problems.append(Problem(str(directory), None, "directory", "does not exist"))
        return result
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.geojson")):
        name = _display_name(path)
        try:
            frame = read_layer_file(path)
        except LayerValidationError as exc:
            result.problems.extend(exc.problems)
            result.files_failed.append(name)
            continue
        dupes = [fid for fid in frame["id"] if fid in seen]
        for fid in dupes:
            result.problems.append(Problem(name, fid, "id", (
                f"is a duplicate of the feature in {seen[fid]}; ids must be unique across "
                "files (this one was not loaded)")))
        frame = frame[~frame["id"].isin(dupes)]
        seen.update(dict.fromkeys(frame["id"], name))
        frames.append(frame)
        result.files_loaded.append(name)
    if frames:
        result.frame = gpd.GeoDataFrame(
            _concat(frames), geometry="geometry", crs="EPSG:4326"
        ).reset_index(drop=True)
    return result


def _concat(frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def _empty_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: [] for c in COLUMNS}, geometry=[], crs="EPSG:4326")


def _to_frame(features: list[dict], file: str) -> gpd.GeoDataFrame:
    rows = []
    for feat in features:
        props = feat["properties"]
        end = props.get("valid_to")
        rows.append({
            "id": props["id"],
            "layer": props["layer"],
            "status": props["status"],
            "valid_from": parse_date(props["valid_from"]),
            "valid_to": None if end is None else parse_date(end),
            "confidence": props["confidence"],
            "name": str(props.get("name") or ""),
            "kind": str(props.get("kind") or ""),
            "sources": props["sources"],
            "notes": props["notes"],
            "file": file,
            "geometry": shape(feat["geometry"]),
        })
    if not rows:
        return _empty_frame()
    return gpd.GeoDataFrame(rows, columns=[*COLUMNS, "geometry"], geometry="geometry",
                            crs="EPSG:4326")
