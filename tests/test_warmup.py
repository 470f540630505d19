"""The server-start warm-up (dashboard.warmup): what it fills, and that it never blocks or
breaks the server."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from pathlib import Path

import pytest

from dashboard import cache, warmup
from layers import Timeline, default_paths, load_layer_dir
from views.chart import chart_layers


def test_warm_fills_the_caches_the_first_visit_asks_for(dashboard_data_dir, monkeypatch):
    calls: list[str] = []
    timings = warmup.warm(dashboard_data_dir, on_map_ready=lambda: calls.append("map"))
    assert calls == ["map"]
    assert set(timings) == {"imports", "data", "first view", "chart"}
    assert all(v >= 0 for v in timings.values())
    folder = str(dashboard_data_dir)
    version = cache.data_version(dashboard_data_dir)
    data = cache.load_data(folder, version)
    # A cache hit returns the very object the warm-up loaded (cache_resource).
    assert cache.load_data(folder, version) is data
    tl = Timeline(load_layer_dir(default_paths(dashboard_data_dir).layers).frame)
    options, day, area_layers = warmup.default_view(tl)
    assert day == options[-1] and area_layers == [x for x in tl.layers if x in tl.area_layers]
    # The page's first run asks for the timeline and basemap scripts by URL, then the chart:
    # all cache hits, whose bodies do not run (a miss would call one of these and fail).
    def not_again(*_args, **_kwargs):
        raise AssertionError("recomputed after the warm-up")

    monkeypatch.setattr(cache, "_payload_key", not_again)
    monkeypatch.setattr(cache, "timeline_payload", not_again)
    monkeypatch.setattr(cache.fm, "base_display", not_again)
    monkeypatch.setattr(cache, "area_series", not_again)
    t = time.perf_counter()
    url = cache.timeline_url(folder, version)
    cache.basemap_url(folder, version)
    if area_layers:
        cache.chart_spec((folder, version, ()), tuple(chart_layers(area_layers)))
    assert time.perf_counter() - t < 0.5
    from views.assets import CACHE_DIR

    script = (CACHE_DIR / url.rsplit("/", 1)[-1]).read_text(encoding="utf-8")
    assert script.startswith("window.FL_TIMELINE=")


def _run_lifespan() -> float:
    """Seconds until the lifespan lets the server answer (in a thread with its own loop:
    the browser tests' sync Playwright keeps a loop running in the main thread)."""
    async def go() -> float:
        t = time.perf_counter()
        async with warmup.lifespan(None):
            return time.perf_counter() - t

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result(timeout=30)


def test_lifespan_waits_for_the_warm_up(monkeypatch):
    done = threading.Event()

    def fake_warm(on_map_ready):
        time.sleep(0.3)
        done.set()
        on_map_ready()
        return {}

    monkeypatch.setattr(warmup, "warm", fake_warm)
    waited = _run_lifespan()
    assert done.is_set() and waited >= 0.3


def test_the_server_answers_before_the_chart_is_warmed(monkeypatch):
    chart_done = threading.Event()

    def fake_warm(on_map_ready):
        on_map_ready()
        time.sleep(0.5)  # the chart's part
        chart_done.set()
        return {}

    monkeypatch.setattr(warmup, "warm", fake_warm)
    waited = _run_lifespan()
    assert waited < 0.4 and not chart_done.is_set()
    assert chart_done.wait(5)


def test_a_slow_warm_up_delays_the_server_only_up_to_the_limit(monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(warmup, "WARMUP_WAIT_S", 0.2)

    def fake_warm(on_map_ready):
        release.wait(5)
        on_map_ready()
        return {}

    monkeypatch.setattr(warmup, "warm", fake_warm)
    waited = _run_lifespan()
    release.set()
    assert 0.2 <= waited < 2


def test_a_failed_warm_up_is_logged_and_the_server_starts(monkeypatch, caplog):
    def boom(**_kwargs):
        raise ValueError("data folder unreadable")

    monkeypatch.setattr(warmup, "warm", boom)
    with caplog.at_level(logging.ERROR):
        waited = _run_lifespan()
    assert waited < 2
    assert "warm-up failed" in caplog.text and "data folder unreadable" in caplog.text


@pytest.mark.parametrize("thread_name, kept", [("frontline-warmup", False), ("other", True)])
def test_only_the_warm_up_threads_context_warning_is_dropped(thread_name, kept):
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "missing ScriptRunContext",
                               None, None)
    record.threadName = thread_name
    assert warmup._NotFromWarmup().filter(record) is kept


def test_editing_a_layer_file_reloads_the_data(dashboard_data_dir, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(dashboard_data_dir, data)
    before = cache.load_data(str(data), cache.data_version(data))
    victim = sorted((data / "layers").glob("*.geojson"))[0]
    victim.unlink()  # a file removed while the dashboard runs
    after = cache.load_data(str(data), cache.data_version(data))
    assert after is not before
    assert victim.name in before.files_loaded and victim.name not in after.files_loaded


def test_streamlit_run_finds_the_app_and_its_warm_up():
    """`streamlit run streamlit_app.py` serves the st.App (so its lifespan runs) only if
    Streamlit's discovery finds it; importing the file must not draw the page."""
    import importlib
    import sys

    from streamlit.web.server.app_discovery import discover_asgi_app

    root = Path(__file__).resolve().parents[1]
    found = discover_asgi_app(root / "streamlit_app.py")
    assert found.is_asgi_app and found.import_string == "streamlit_app:app"
    sys.modules.pop("streamlit_app", None)
    module = importlib.import_module("streamlit_app")
    try:
        assert module.app._user_lifespan is warmup.lifespan
        assert "dashboard.page" not in vars(module)
    finally:
        sys.modules.pop("streamlit_app", None)


def test_the_scripts_key_changes_with_any_module_the_payload_comes_from(tmp_path, monkeypatch):
    """A change to how a claim is worded (geo/) must not be served from an old script."""
    import shutil

    import geo

    copy = tmp_path / "geo"
    shutil.copytree(Path(geo.__file__).parent, copy)
    monkeypatch.setattr(geo, "__file__", str(copy / "__init__.py"))
    before = cache._payload_key("data", "v1")
    assert cache._payload_key("data", "v1") == before
    module = copy / "claims_check.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# reworded\n", encoding="utf-8")
    assert cache._payload_key("data", "v1") != before
    assert cache._payload_key("data", "v2") != cache._payload_key("data", "v1")
    # An upgraded library computes (and pickles) the payload afresh too.
    key = cache._payload_key("data", "v1")
    monkeypatch.setattr(cache.pd, "__version__", "99.0.0")
    assert cache._payload_key("data", "v1") != key


def test_the_shipped_states_outlive_the_server_and_a_broken_store_is_made_again(
        dashboard_data_dir, monkeypatch, tmp_path):
    """A restarted server serves its timeline script from disk and never builds the
    shipped payload; its first upload reads the shipped states kept on disk instead of
    measuring them all again. A store it cannot read is an empty one, never an error."""
    folder, version = str(dashboard_data_dir), cache.data_version(dashboard_data_dir)
    cache.timeline_payload((folder, version, ()))
    memo = cache.payload_memo(folder, version)
    assert any(k[0] == "fc" for k in memo) and any(k[0] == "totals" for k in memo)
    kept = tmp_path / "memo-x.pickle"
    monkeypatch.setattr(cache, "_memo_path", lambda *_: kept)
    try:
        cache._keep_memo(folder, version, memo)
        assert kept.is_file()
        cache.payload_memo.clear()  # a new server process
        again = cache.payload_memo(folder, version)
        assert again is not memo and again.keys() == memo.keys()
        key = next(k for k in memo if k[0] == "totals")
        assert again[key] == memo[key]
        fc_key = next(k for k in memo if k[0] == "fc" and memo[k]["features"])
        assert again[fc_key] == memo[fc_key]
        kept.write_bytes(b"not a pickle")
        cache.payload_memo.clear()
        assert cache.payload_memo(folder, version) == {}
        cache._keep_memo(folder, version, {})  # nothing to keep: nothing written over it
        assert kept.read_bytes() == b"not a pickle"
    finally:
        cache.payload_memo.clear()


def test_a_memo_that_cannot_be_kept_is_no_error(dashboard_data_dir, monkeypatch, tmp_path):
    """A read-only checkout: the payload is made as ever; only the next server's head
    start is lost."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setattr(cache, "_memo_path", lambda *_: blocker / "memo-x.pickle")
    cache._keep_memo(str(dashboard_data_dir), "v", {("totals", None, None): {}})
    assert blocker.read_text().startswith("a file") and not list(tmp_path.glob("*.tmp*"))
