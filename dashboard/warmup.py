"""Warm the dashboard when the server starts, before the first visitor arrives.

Streamlit runs the page script only when a browser connects, so without this the first
visitor pays for every import (pandas, geopandas, folium: ~1 s on a 2-core
machine), for loading the layers and the basemap, and for the timeline script (every
state of every layer, the panel's figures and the settlements' history, which the browser
scrubs through: :func:`dashboard.cache.timeline_url`).
``streamlit run streamlit_app.py`` finds the ``st.App`` in that file and enters its
lifespan, :func:`lifespan`, which runs :func:`warm` before the server answers its first
request (at most :data:`WARMUP_WAIT_S`; a visitor who comes earlier than the warm-up's end
would wait only for what is left of it, sharing imports through Python's import lock and
cache entries through Streamlit's).

Why wait instead of answering at once: on a 2-core machine a first visit that arrives
during the warm-up competes with it for the CPU, and both get slower. Measured with
``benchmarks/bench_dashboard.py`` (see its README): answering at once, the server was up
after 0.7 s and the first visit drew its map after 4.9 s; waiting, the server is up after
~2.2 s and the first visit draws its map after ~3.5 s. Launch to map is 5.6-6.0 s either way.

``streamlit_folium`` is deliberately not imported here: it declares its component at
import time, and Streamlit registers a component only when a script run is in progress,
so importing it outside one would leave the map's iframe without its files. Its own
import is ~0.08 s once folium is loaded.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from streamlit.logger import get_logger

__all__ = ["WARMUP_WAIT_S", "default_view", "lifespan", "warm"]

_LOGGER = get_logger(__name__)
_THREAD = "frontline-warmup"
#: Longest the server waits for the warm-up (seconds) before it answers anyway.
WARMUP_WAIT_S = 30.0


def default_view(tl) -> tuple:
    """Return ``(date options, default day, area layers)`` of a first visit without a link.

    The page uses the same function, so the warm-up fills exactly the cache entries the
    page asks for first.

    Examples
    --------
    >>> import datetime as dt
    >>> from layers import Timeline
    >>> from layers.read import parse_layer_bytes
    >>> fc = (b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
    ...       b'{"id":"a","layer":"contested","status":"contested","valid_from":"2024-09-01",'
    ...       b'"valid_to":null,"confidence":"low","sources":[{"claim_maker":"x",'
    ...       b'"outlet":"y","date":"2024-09-01","figure":null}],"notes":"n"},'
    ...       b'"geometry":{"type":"Polygon","coordinates":[[[35,51],[35.1,51],'
    ...       b'[35.1,51.1],[35,51]]]}}]}')
    >>> options, day, layers = default_view(Timeline(parse_layer_bytes(fc, "c.geojson")))
    >>> [d.isoformat() for d in options], day.isoformat(), layers
    (['2024-08-06', '2024-09-01'], '2024-09-01', ['contested'])
    """
    from layers.schema import TIMELINE_END, TIMELINE_START

    options = sorted({d for d in tl.change_dates() if TIMELINE_START <= d <= TIMELINE_END}
                     | {TIMELINE_START})
    return options, options[-1], [x for x in tl.layers if x in tl.area_layers]


def warm(directory: Path | None = None, *,
         on_map_ready: Callable[[], object] | None = None) -> dict[str, float]:
    """Import the page's libraries and fill the caches of a first visit; return seconds taken.

    Parameters
    ----------
    directory : Path, optional
        The data folder; ``$FRONTLINE_DATA_DIR`` or the shipped data/ by default.
    on_map_ready : callable, optional
        Called once everything the first run of the page needs is cached, before the
        chart (which the page draws only after the map, so it can finish while the
        browser loads the page).

    Returns
    -------
    dict
        Seconds spent on ``imports``, ``data`` (layers, claims, base, basemap script),
        ``first view`` (the timeline script: every state, the panel's figures, the
        claims check) and ``chart`` (the area chart's series).
    """
    timings: dict[str, float] = {}
    t = time.perf_counter()
    import folium  # noqa: F401
    import folium.plugins  # noqa: F401
    import PIL.Image  # noqa: F401

    from dashboard import cache
    from views.chart import chart_layers
    timings["imports"] = time.perf_counter() - t

    t = time.perf_counter()
    folder = str(directory if directory is not None else cache.data_dir())
    version = cache.data_version(Path(folder))
    cache.load_data(folder, version)
    cache.basemap_url(folder, version)
    timings["data"] = time.perf_counter() - t

    t = time.perf_counter()
    # Every state of every layer, the panel's figures and the settlements' history: the
    # script the browser loads once and scrubs from (views.timeline_data).
    cache.timeline_url(folder, version)
    timings["first view"] = time.perf_counter() - t
    if on_map_ready is not None:
        on_map_ready()

    t = time.perf_counter()
    tl = cache.timeline((folder, version, ()))
    _, _, area_layers = default_view(tl)
    if area_layers:
        cache.chart_spec((folder, version, ()), tuple(chart_layers(area_layers)))
    timings["chart"] = time.perf_counter() - t
    return timings


def _warm_and_log(map_ready: threading.Event) -> None:
    try:
        timings = warm(on_map_ready=map_ready.set)
    except Exception:  # the page will meet the same problem and show it to the user
        _LOGGER.exception("Dashboard warm-up failed; the first visitor will load the data")
        return
    finally:
        map_ready.set()
    _LOGGER.info("Dashboard warmed up: %s",
                 ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))


class _NotFromWarmup(logging.Filter):
    """Drop Streamlit's "missing ScriptRunContext" warning for the warm-up thread.

    The warm-up runs outside any session on purpose; the warning is meant for scripts
    run without ``streamlit run`` and would only alarm whoever reads the server log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != _THREAD


@asynccontextmanager
async def lifespan(_app) -> AsyncIterator[None]:
    """Run :func:`warm` when the server starts; answer once the map's needs are cached.

    (The ``st.App`` lifespan.) The chart's part of the warm-up goes on after that.

    The warm-up runs in its own thread, so a slow one (a huge data folder) only delays
    the first answer by :data:`WARMUP_WAIT_S` at most and then finishes in the background;
    a failed one is logged and the page reports the problem to the user.
    """
    get_logger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        _NotFromWarmup())
    map_ready = threading.Event()
    threading.Thread(target=_warm_and_log, args=(map_ready,), name=_THREAD,
                     daemon=True).start()
    await asyncio.to_thread(map_ready.wait, WARMUP_WAIT_S)
    yield
