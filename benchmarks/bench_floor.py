"""The first-visit floor: how soon a bare Streamlit page can run a script inside an iframe.

The dashboard's first-visit target (issue 13: the date's polygons drawn within 2.0 s of
navigating, on a warm server, fresh browser cache) includes Streamlit's own start: its
front end (~3 MB of scripts and fonts), the WebSocket session, the first script run and the
element's frame. This measures that part alone: a page with a title and one
``st.components.v1.html`` frame whose inline script notes the time it ran, served by the
same Streamlit with the dashboard's server options, timed the same way as
``bench_dashboard.py``'s first visit (navigation start to the mark, fresh browser context
each visit, the first visit to warm the server not counted). Nothing of the project's own
code runs in it.

Run: ``.venv/bin/python benchmarks/bench_floor.py --visits 7``
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.chromium import launch_options  # noqa: E402
from harness.server import free_port  # noqa: E402
from harness.stats import summary  # noqa: E402

APP = """import streamlit as st
st.set_page_config(page_title="floor", layout="wide")
st.title("A bare page")
st.components.v1.html("<div>frame</div><script>window.__mark = "
                      "performance.timeOrigin + performance.now();</script>", height=120)
"""
VIEWPORT = {"width": 1400, "height": 900}


def _serve(app: Path, port: int, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.fileWatcherType", "none", "--server.runOnSave", "false",
           "--runner.postScriptGC", "false", "--browser.gatherUsageStats", "false"]
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, cwd=app.parent, stdout=fh, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(
                f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
            if resp.status == 200:
                return proc
        time.sleep(0.25)
    proc.kill()
    raise RuntimeError(f"the bare Streamlit page did not start: {log.read_text()[-800:]}")


def visits(url: str, runs: int) -> list[float]:
    """Return navigation start → the frame's script ran (s), per fresh context."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_options())
        for _ in range(runs + 1):  # the first one warms the server (not counted)
            ctx = browser.new_context(viewport=VIEWPORT)
            page = ctx.new_page()
            page.goto(url, wait_until="commit")
            page.wait_for_selector("iframe", timeout=60_000)
            frame = page.query_selector("iframe").content_frame()
            frame.wait_for_function("() => !!window.__mark", timeout=60_000)
            out.append((frame.evaluate("() => window.__mark")
                        - page.evaluate("() => performance.timeOrigin")) / 1000)
            ctx.close()
        browser.close()
    return out[1:]


def main() -> None:
    """Serve the bare page, time the visits, print one results row."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "floor_app.py"
        app.write_text(APP, encoding="utf-8")
        port = free_port()
        proc = _serve(app, port, Path(tmp) / "server.log")
        try:
            times = visits(f"http://127.0.0.1:{port}/", args.visits)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    s = summary(times)
    print(f"| bare Streamlit page: navigation → a script ran in its one frame, median "
          f"({s['n']} fresh contexts) | report | {s['median']:.2f} s (max {s['max']:.2f}) |")


if __name__ == "__main__":
    main()
