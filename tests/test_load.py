"""20 browser sessions scrub dates against one dashboard: no errors, no cross-talk, and
the server's memory levels off (issue 6).

The harness is benchmarks/bench_load.py (which runs the 60 s version and prints the table
in benchmarks/README.md); this test runs it for ~20 s. Loopback only; the server is
always stopped. Skipped locally without chromium, a failure in CI (CI=true).
"""

from __future__ import annotations

import concurrent.futures
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _harness():
    # benchmarks/ is not a package; loading it also puts ROOT on sys.path (for tests.conftest)
    spec = importlib.util.spec_from_file_location("bench_load",
                                                  ROOT / "benchmarks" / "bench_load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


H = _harness()
from tests.conftest import require_chromium  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(900)]

SESSIONS = 20
SECONDS = 20.0


@pytest.fixture(scope="module")
def load_result(tmp_path_factory):
    require_chromium()
    work = tmp_path_factory.mktemp("load")
    data_dir = ROOT / "data" if H.real_data_ready() else H.write_synthetic_data(work / "data")
    # The harness uses Playwright's async API (asyncio.run); the session-wide sync
    # `chromium` fixture of conftest.py may already own an event loop in this thread,
    # so run the harness in a worker thread of its own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(H.run_load, data_dir, sessions=SESSIONS, seconds=SECONDS,
                           workdir=work).result()


def test_every_session_opens_and_scrubs(load_result):
    assert load_result["sessions_opened"] == SESSIONS, load_result["errors"][:5]
    assert load_result["steps_per_session_min"] >= 1
    assert load_result["distinct_days_seen"] >= SESSIONS


def test_no_errors_under_load(load_result):
    assert load_result["errors"] == []
    assert load_result["server_errors"] == []
    assert load_result["server_alive"]


def test_no_cross_talk_between_sessions(load_result):
    assert load_result["crosstalk"] == []


def test_server_memory_levels_off(load_result):
    assert load_result["rss_samples"] >= 9
    assert load_result["rss_levels_off"], (
        f"RSS grew: last third {load_result['rss_mib_last_third']} MiB vs middle third "
        f"{load_result['rss_mib_middle_third']} MiB (ratio {load_result['rss_ratio']})")


def test_the_levelling_check_can_actually_fail():
    levels_off = H.levels_off
    assert levels_off([100] * 9) == (True, 1.0)
    assert levels_off([100, 100, 100, 100, 100, 100, 130, 130, 130]) == (False, 1.3)
    assert levels_off([1, 2])[0] is False  # too few samples is not a pass


def test_expected_day_mirrors_the_app():
    import datetime as dt

    h = H
    opts = [dt.date(2024, 8, 6), dt.date(2024, 8, 20), dt.date(2024, 9, 1)]
    assert h.expected_after("change+", dt.date(2024, 8, 10), opts) == dt.date(2024, 8, 20)
    assert h.expected_after("change-", dt.date(2024, 8, 10), opts) == dt.date(2024, 8, 6)
    assert h.expected_after("change+", dt.date(2024, 9, 1), opts) == dt.date(2024, 9, 1)
    assert h.expected_after("day-", dt.date(2024, 8, 6), opts) == dt.date(2024, 8, 6)
    assert h.expected_after("day+", dt.date(2025, 8, 31), opts) == dt.date(2025, 8, 31)
    assert h.expected_after("day+", dt.date(2024, 8, 31), opts) == dt.date(2024, 9, 1)
