"""Cached loaders of the dashboard: data, the timeline payload, basemap, chart, checks.

They live in a module (not in ``streamlit_app.py``) so that the page's script runs and
the server-start warm-up (:mod:`dashboard.warmup`) call the *same* functions and share
their ``st.cache_data`` / ``st.cache_resource`` entries: Streamlit keys a cache by the
function's module, name and source, and the page script runs as a fresh ``__main__``.

A ``data_key`` is ``(directory, version, upload_key)``: the data folder, a short digest
of its files' names, sizes and mtimes (:func:`data_version`: editing a file reloads), and
the session's uploads. The version is a 16-character string rather than the list of
files because Streamlit hashes every argument of every cached call on every run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import pickle
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.claims_check import check_claims
from geo.quantities import map_view
from layers import Dataset, Timeline, default_paths, load_dataset
from views import folium_map as fm
from views.assets import prune, publish
from views.chart import area_chart_spec, area_series, chart_colour, chart_label
from views.timeline_data import dataset_timeline_data, timeline_data, timeline_js

__all__ = ["Data", "basemap_script", "basemap_url", "chart_spec", "claims_check", "data_dir",
           "compare_rows", "data_version", "load_data", "payload_memo", "series", "timeline",
           "timeline_payload", "timeline_url", "view", "with_uploads"]


def data_dir() -> Path:
    """``$FRONTLINE_DATA_DIR`` if set, else the shipped data/."""
    env = os.environ.get("FRONTLINE_DATA_DIR")
    return Path(env) if env else default_paths().layers.parent


def data_version(directory: Path) -> str:
    """Return a digest of the inputs' names, sizes and mtimes: editing a file changes it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     (Path(tmp) / "layers").mkdir()
    ...     before = data_version(Path(tmp))
    ...     _ = (Path(tmp) / "layers" / "a.geojson").write_text("{}")
    ...     len(before), before != data_version(Path(tmp))
    (16, True)
    """
    paths = default_paths(directory)
    files = sorted(paths.layers.glob("*")) if paths.layers.is_dir() else []
    files += [paths.claims, paths.facts, paths.method, paths.audit]
    files += sorted(paths.base.glob("*")) if paths.base.is_dir() else []
    stamp = [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.is_file()]
    return hashlib.sha256(repr(stamp).encode()).hexdigest()[:16]


#: What one data folder loads into (the one typed object every front door shares).
Data = Dataset


@st.cache_resource(show_spinner="Loading layers …", max_entries=4)
def load_data(directory: str, version: str) -> Dataset:  # noqa: ARG001 (a cache key)
    """Load layers, claims, base layers and facts once per data folder version (shared).

    ``version`` (:func:`data_version`) is part of the cache key, so an edited file is
    loaded again on the next run.
    """
    return load_dataset(Path(directory))


@st.cache_resource(show_spinner=False, max_entries=8)
def with_uploads(directory: str, version: str, upload_key: tuple) -> Timeline:
    """Return the timeline plus the session's uploaded layers (kept in memory only)."""
    data = load_data(directory, version)
    frames = [st.session_state["uploads"][name] for name, _ in upload_key]
    if not frames:
        return data.timeline
    return Timeline(pd.concat([data.timeline.features, *frames], ignore_index=True))


def timeline(data_key: tuple) -> Timeline:
    """Return the timeline of ``data_key`` (shipped layers plus the session's uploads)."""
    return with_uploads(*data_key)


@st.cache_resource(show_spinner=False, max_entries=4)
def view(directory: str, version: str):
    """Return the map as the claims check reads it (geo.quantities.MapView, shipped layers)."""
    return map_view(load_data(directory, version))


@st.cache_data(show_spinner=False, max_entries=16)
def series(data_key: tuple, layers: tuple[str, ...]) -> pd.DataFrame:
    """Area of each layer over time, for the chart."""
    return area_series(timeline(data_key), list(layers))


@st.cache_data(show_spinner=False, max_entries=16)
def chart_spec(data_key: tuple, layers: tuple[str, ...]) -> dict:
    """Vega-Lite spec of the area chart with named datasets; the same for every date.

    The date shown is a one-row dataset ``today`` the caller adds, so scrubbing changes
    only that dataset, never the spec.
    """
    return area_chart_spec(series(data_key, layers), load_data(*data_key[:2]).claims,
                           layers, chart_label, chart_colour)


@st.cache_data(show_spinner="Checking every claim against the map …", max_entries=16)
def claims_check(directory: str, version: str) -> pd.DataFrame:
    """Every claim beside the map's value of the quantity it measures (geo.claims_check).

    Kept in the version's memo (:func:`payload_memo`), which outlives the server: every
    payload needs it, and a restarted server's first upload spent 4 s on it.
    """
    memo = payload_memo(directory, version)
    if ("claims_check",) not in memo:
        memo[("claims_check",)] = check_claims(view(directory, version),
                                               load_data(directory, version).claims)
    return memo[("claims_check",)]


@st.cache_data(show_spinner=False, max_entries=4)
def basemap_script(directory: str, version: str) -> str:
    """Return the basemap script (simplified once per data folder version)."""
    return fm.basemap_js(fm.base_display(load_data(directory, version).base))


def basemap_url(directory: str, version: str) -> str:
    """URL of the basemap script under static/cache/ (written if missing; cached by name)."""
    return publish("basemap", basemap_script(directory, version))


def _memo_path(directory: str, version: str) -> Path:
    """Where one data and code version's memo is kept between server starts.

    Beside the checkout's served folder, not in it: the memo is the server's, not a page's.
    """
    from views.assets import CACHE_DIR

    return CACHE_DIR.parent.parent / ".cache" / f"memo-{_payload_key(directory, version)}.pickle"


@st.cache_resource(show_spinner=False, max_entries=4)
def payload_memo(directory: str, version: str) -> dict:
    """Return one data version's store of layer states, shared by all its payloads.

    With or without a session's uploads (see ``views.timeline_data.TimelineData.memo``).
    Read from disk if an earlier server process kept it (:func:`_keep_memo`): a server
    whose timeline script comes from the disk cache never builds the shipped payload,
    and without the kept memo its first upload measured every shipped state again
    (about 12 s instead of 2 s). A memo that cannot be read is made afresh.
    """
    path = _memo_path(directory, version)
    try:
        with path.open("rb") as fh:
            memo = pickle.load(fh)  # noqa: S301 (the server's own file, written by _keep_memo)
    except Exception:  # noqa: BLE001 (none yet, truncated or foreign: rebuild, never fail)
        return {}
    if not isinstance(memo, dict):
        return {}
    os.utime(path)  # in use: pruning keeps what is used
    return memo


def _keep_memo(directory: str, version: str, memo: dict) -> None:
    """Write the memo for later server processes (once; atomically; old versions pruned).

    Best effort: a checkout the server may not write to (a read-only install, a full
    disk) only loses the head start of the next server's first upload.
    """
    path = _memo_path(directory, version)
    if path.is_file() or not memo:
        return
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:  # a copy: another session's payload may add to it meanwhile
            pickle.dump(memo.copy(), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        prune(path.parent, "memo", ".pickle", current=path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


@st.cache_resource(show_spinner="Preparing every state of the map …", max_entries=8)
def timeline_payload(data_key: tuple) -> dict:
    """Every state of every layer, the panel's figures and the settlements' history.

    :func:`views.timeline_data.timeline_data` of the data folder (and the session's
    uploads): the browser switches dates from it with no server round trip. Shared by
    every session (treat as read-only). The shipped layers' states are made once per
    data version (:func:`payload_memo`), so a payload with an upload measures the upload.
    """
    directory, version = data_key[:2]
    data = load_data(directory, version)
    made = dataset_timeline_data(data, view(directory, version),
                                 claims_check(directory, version),
                                 timeline=timeline(data_key))
    memo = payload_memo(directory, version)
    payload = timeline_data(dataclasses.replace(made, memo=memo))
    _keep_memo(directory, version, memo)
    return payload


def _payload_key(directory: str, version: str) -> str:
    """Return the data folder's version and the code that makes the payload, as one digest.

    The code is every module of the packages the payload and its memo come from (``geo``,
    ``layers``, ``views``, ``dashboard``): a change to how a claim is checked or a
    difference is worded changes the script as surely as a change to the data (until
    session 11 only three view modules counted, and a stale script with the old wording
    was served after a ``geo`` change). The libraries that compute and pickle it count
    too: an upgraded pandas, shapely or pyproj makes both afresh.
    """
    import platform

    import pyproj
    import shapely

    import dashboard
    import geo
    import layers
    import views

    libraries = (platform.python_version(), pd.__version__, shapely.__version__,
                 pyproj.__version__)
    h = hashlib.sha256(f"{directory}|{version}|{libraries}".encode())
    for package in (geo, layers, views, dashboard):
        for path in sorted(Path(package.__file__).parent.glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


@st.cache_data(show_spinner=False, max_entries=4)
def timeline_url(directory: str, version: str) -> str:
    """URL of the shipped data's timeline script under static/cache/ (written once).

    Made once per data version and code version and remembered on disk
    (``timeline-<key>.url`` beside the script), so a restarted server, or the next of
    many test servers, serves the same file without rebuilding it.
    """
    from views.assets import CACHE_DIR

    pointer = CACHE_DIR / f"timeline-{_payload_key(directory, version)}.url"
    if pointer.is_file():
        url = pointer.read_text(encoding="utf-8").strip()
        script = CACHE_DIR / url.rsplit("/", 1)[-1]
        if script.is_file():
            for path in (script, pointer):  # in use: pruning keeps what is used
                os.utime(path)
            return url
    url = publish("timeline", timeline_js(timeline_payload((directory, version, ()))))
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = pointer.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(url, encoding="utf-8")
    os.replace(tmp, pointer)
    prune(CACHE_DIR, "timeline", ".url", current=pointer)  # a pointer to a pruned script is remade
    return url


@st.cache_data(show_spinner=False, max_entries=256)
def compare_rows(data_key: tuple, layers: tuple[str, ...], a: dt.date, b: dt.date
                 ) -> list[dict]:
    """Each layer's area on ``a`` and ``b`` and the ground gained and lost between them."""
    from geo.change import diff_states
    from geo.measurement import geodesic_area_km2

    tl = timeline(data_key)
    rows = []
    for layer in layers:
        change = diff_states(tl.geometry(layer, a), tl.geometry(layer, b))
        rows.append({"layer": fm.layer_label(layer),
                     f"on {a.isoformat()} (km²)": geodesic_area_km2(tl.geometry(layer, a)),
                     f"on {b.isoformat()} (km²)": geodesic_area_km2(tl.geometry(layer, b)),
                     "gained (km²)": change.gained_km2, "lost (km²)": change.lost_km2,
                     "net (km²)": change.net_km2})
    return rows
