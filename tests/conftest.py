"""Shared fixtures: a data folder for the dashboard, a running `streamlit run`, chromium.

``dashboard_data_dir`` is the shipped data/ once data/layers/ holds layer files, else a
synthetic folder built here (real base layers, made-up dated layers and claims), so the
dashboard tests run before and after the digitising lands.

``streamlit_server`` starts ``streamlit run streamlit_app.py`` on a free port (headless) and
yields its base URL; ``start_streamlit(data_dir)`` does the same for any data folder (e.g. a
tmp folder with hostile strings) and returns a handle with ``.url`` and ``.stop()``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "streamlit_app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: The st_folium component's iframe.
MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"


# --------------------------------------------------------------------------- data

def _src(date: str, figure=None) -> dict:
    return {"claim_maker": "ISW", "outlet": "ISW", "date": date, "figure": figure}


def _feature(fid, layer, status, start, end, geom, name="", kind=None, notes="") -> dict:
    props = {"id": fid, "layer": layer, "status": status, "valid_from": start,
             "valid_to": end, "confidence": "medium", "sources": [_src(start)],
             "notes": notes or f"synthetic test feature {fid}"}
    if name:
        props["name"] = name
    if kind:
        props["kind"] = kind
    return {"type": "Feature", "properties": props, "geometry": geom}


def _blob(cx: float, cy: float, r: float, n: int = 48) -> dict:
    ring = [[round(cx + r * math.cos(2 * math.pi * i / n) * (1 + 0.15 * math.sin(10 * math.pi
                                                                               * i / n)), 5),
             round(cy + 0.6 * r * math.sin(2 * math.pi * i / n), 5)] for i in range(n)]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def _box(w, s, e, n) -> dict:
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def write_synthetic_data(out: Path, *, weeks: int = 40) -> Path:
    """A data folder (layers/, claims.csv, base/ copied from data/base) for tests."""
    layers = out / "layers"
    layers.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "data" / "base", out / "base", dirs_exist_ok=True)
    start = dt.date(2024, 8, 6)
    held, contested, events = [], [], []
    for i in range(weeks):
        d0, d1 = start + dt.timedelta(days=7 * i), start + dt.timedelta(days=7 * (i + 1))
        r = 0.05 + 0.25 * math.sin(math.pi * min(i, weeks - 4) / (weeks - 3))
        held.append(_feature(f"uh-{i}", "ukrainian_held", "held", d0.isoformat(),
                             d1.isoformat(), _blob(35.25, 51.25, r), name=f"Held area {i}"))
    for i in range(weeks // 2):
        d0, d1 = start + dt.timedelta(days=14 * i), start + dt.timedelta(days=14 * (i + 1))
        contested.append(_feature(f"ct-{i}", "contested", "contested", d0.isoformat(),
                                  d1.isoformat(), _box(35.55, 51.2, 35.62 + 0.01 * i, 51.3)))
    for i in range(30):
        d0 = start + dt.timedelta(days=10 * i)
        events.append(_feature(f"ev-{i}", "events", "held", d0.isoformat(),
                               (d0 + dt.timedelta(days=1)).isoformat(),
                               {"type": "Point", "coordinates": [35.2 + 0.01 * i, 51.2]},
                               name=f"Event {i}", kind="capture"))
    for name, feats in (("ukrainian_held", held), ("contested", contested), ("events", events)):
        (layers / f"{name}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": feats}))
    (out / "claims.csv").write_text(
        "claim_id,date,claim_maker,side,figure,unit,quantity,layers,statuses,window_days,"
        "comparison,tolerance_pct,required,measures,outlet,notes\n"
        "t1,2024-08-12,Syrskyi,ukraine,1000,km2,area,ukrainian_held,,,about,10,,held,"
        "Reuters,\n"
        "t2,2024-09-10,Syrskyi,ukraine,1300,km2,peak_area,ukrainian_held,,,about,10,,peak,"
        "Reuters,\n"
        "t3,2025-03-12,MoD,russia,20,settlements,settlements_changed_in_window,"
        "ukrainian_held,,5,about,,,retaken,TASS,\n")
    return out


def real_data_ready() -> bool:
    """Whether the shipped data/ has dated layers and a claims table yet."""
    return any((ROOT / "data" / "layers").glob("*.geojson")) and (
        ROOT / "data" / "claims.csv").is_file()


@pytest.fixture(scope="session")
def dashboard_data_dir(tmp_path_factory) -> Path:
    """The data folder the dashboard tests run on (real data/ when it exists)."""
    if real_data_ready():
        return ROOT / "data"
    return write_synthetic_data(tmp_path_factory.mktemp("synthetic_data"))


# --------------------------------------------------------------------------- server

def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class StreamlitServer:
    url: str
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_streamlit(data_dir: Path | None = None, *, timeout: float = 60.0,
                    poll: float = 0.25) -> StreamlitServer:
    """Start ``streamlit run streamlit_app.py`` headless on a free port; wait until healthy."""
    port = free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if data_dir is not None:
        env["FRONTLINE_DATA_DIR"] = str(data_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(
                f"{url}/_stcore/health", timeout=2) as resp:
            if resp.status == 200:
                return StreamlitServer(url, proc)
        time.sleep(poll)
    proc.kill()
    raise RuntimeError(f"streamlit did not answer on {url} within {timeout} s")


@pytest.fixture(scope="session")
def streamlit_server(dashboard_data_dir):
    """Base URL of a running dashboard on ``dashboard_data_dir``."""
    server = start_streamlit(dashboard_data_dir)
    yield server.url
    server.stop()


# --------------------------------------------------------------------------- browser

def require_chromium() -> None:
    """Skip locally, fail in CI (CI=true), when Debian chromium or Playwright is missing."""
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} not found (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "playwright is not installed"
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
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
