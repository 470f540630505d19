"""Your own layer: how soon an uploaded GeoJSON is on the map, a server's first and later.

Each round starts a fresh dashboard server on the shipped data (its timeline script and
the shipped payload's memo come from the disk caches, as after any restart), opens the map,
waits until the page has settled, then drops one GeoJSON on the sidebar's uploader and
times drop → the upload's polygon attached in the map's frame; then drops a second file
(both files kept) and times drop → the second layer in the legend. The server is stopped
after each round, so every round's first upload is a server's first.

Run: ``.venv/bin/python benchmarks/bench_upload.py --rounds 3``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.chromium import launch_options  # noqa: E402
from harness.server import start_streamlit  # noqa: E402
from harness.stats import summary  # noqa: E402

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
SIDEBAR = ("[data-testid='stExpandSidebarButton'], "
           "[data-testid='stSidebarCollapsedControl'] button")
DROP = "[data-testid='stFileUploaderDropzoneInput']"
#: The rebuilt map is the one map frame left (for a moment the old and the new are both
#: in the page, and a locator on either would be a race).
FIRST_DRAWN = """() => {
  const frames = document.querySelectorAll("iframe[title='streamlit_folium.st_folium']");
  const doc = frames.length === 1 && frames[0].contentDocument;
  return !!doc && !!doc.querySelector('path.fl-upload'); }"""
SECOND_IN_LEGEND = """() => {
  const frames = document.querySelectorAll("iframe[title='streamlit_folium.st_folium']");
  const doc = frames.length === 1 && frames[0].contentDocument;
  const legend = doc && doc.querySelector('.fl-legend');
  return !!legend && legend.textContent.includes('a second front'); }"""


def _feature(fid: str, layer: str, west: float) -> dict:
    ring = [[west, 51.4], [west + 0.2, 51.4], [west + 0.2, 51.5], [west, 51.5], [west, 51.4]]
    return {"type": "Feature", "properties": {
        "id": fid, "layer": layer, "status": "held", "valid_from": "2024-08-10",
        "valid_to": None, "confidence": "low", "notes": "benchmark upload",
        "sources": [{"claim_maker": "benchmark", "outlet": "benchmark",
                     "date": "2024-08-10", "figure": None}]},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}


def one_round(folder: Path, settle_ms: int) -> tuple[float, float]:
    """Return seconds from drop to drawn: the server's first upload, then a second one."""
    from playwright.sync_api import sync_playwright

    first, second = folder / "mine.geojson", folder / "second.geojson"
    first.write_text(json.dumps({"type": "FeatureCollection",
                                 "features": [_feature("mine-1", "my own front", 35.0)]}))
    second.write_text(json.dumps({"type": "FeatureCollection",
                                  "features": [_feature("second-1", "a second front", 34.6)]}))
    server = start_streamlit()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_options())
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{server.url}/?date=2024-09-01")
            frame = page.frame_locator(MAP_FRAME)
            frame.locator("path.fl-area").first.wait_for(timeout=90_000)
            page.wait_for_timeout(settle_ms)
            page.locator(SIDEBAR).first.click()
            t = time.perf_counter()
            page.locator(DROP).set_input_files([str(first)])
            page.wait_for_function(FIRST_DRAWN, timeout=90_000)
            cold = time.perf_counter() - t
            page.wait_for_timeout(1500)
            t = time.perf_counter()
            page.locator(DROP).set_input_files([str(first), str(second)])
            page.wait_for_function(SECOND_IN_LEGEND, timeout=90_000)
            warm = time.perf_counter() - t
            browser.close()
    finally:
        server.stop()
    return cold, warm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh servers (default 3)")
    parser.add_argument("--settle-ms", type=int, default=8000,
                        help="wait after the map is drawn before the first drop (default "
                             "8000: the server's start-up warm-up has finished)")
    args = parser.parse_args(argv)
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):
            c, w = one_round(Path(tmp), args.settle_ms)
            cold.append(c)
            warm.append(w)
            print(f"round {i + 1}: first upload {c:.2f} s, second {w:.2f} s", flush=True)
    for label, values in (("server's first upload", cold), ("a later upload", warm)):
        s = summary([round(v, 2) for v in values])
        print(f"{label}: median {s['median']} s, max {s['max']} s (n={s['n']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
