"""Shared fixtures: a data folder for the dashboard, a running `streamlit run`, chromium.

The code behind them lives in the ``harness`` package (shared with ``benchmarks/``, which
never imports ``tests/``); the names below are re-exported for the tests that import them.

``dashboard_data_dir`` is the shipped data/ once data/layers/ holds layer files, else a
synthetic folder (:func:`harness.synthetic.write_synthetic_data`), so the dashboard tests
run before and after the digitising lands.

``streamlit_server`` starts ``streamlit run streamlit_app.py`` on a free port (headless) and
yields its base URL; ``start_streamlit(data_dir)`` does the same for any data folder (e.g. a
tmp folder with hostile strings) and returns a handle with ``.url``, ``.errors()`` and
``.stop()``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.chromium import CHROMIUM, CHROMIUM_ARGS, launch_options, missing_browser
from harness.dashboard import MAP_IFRAME
from harness.server import APP, ROOT, StreamlitServer, free_port, start_streamlit
from harness.synthetic import real_data_ready, write_synthetic_data

__all__ = ["APP", "CHROMIUM", "CHROMIUM_ARGS", "MAP_IFRAME", "ROOT", "StreamlitServer",
           "free_port", "real_data_ready", "require_chromium", "start_streamlit",
           "write_synthetic_data"]


@pytest.fixture(scope="session")
def dashboard_data_dir(tmp_path_factory) -> Path:
    """The data folder the dashboard tests run on (real data/ when it exists)."""
    if real_data_ready():
        return ROOT / "data"
    return write_synthetic_data(tmp_path_factory.mktemp("synthetic_data"))


@pytest.fixture(scope="session")
def streamlit_server(dashboard_data_dir):
    """Base URL of a running dashboard on ``dashboard_data_dir``."""
    server = start_streamlit(dashboard_data_dir)
    yield server.url
    server.stop()


def require_chromium() -> None:
    """Skip locally, fail in CI (CI=true), when Debian chromium or Playwright is missing."""
    missing = missing_browser()
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser test must run in CI: {missing}")
        pytest.skip(missing)


@pytest.fixture(scope="session")
def chromium():
    """A Playwright Browser on Debian's chromium."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options())
        yield browser
        browser.close()
