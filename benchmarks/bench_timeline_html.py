"""The timeline HTML export in Chromium, network blocked: how fast its slider redraws.

Builds ``frontline export --format html --timeline``'s file from the shipped data, opens it
from disk with every non-file request aborted, and moves the slider ``--steps`` times (to
days spread over the timeline, most of them never drawn before), timing each move from
the input event to the second animation frame after it (the new polygons and panel are
painted by then), 1.5 s after the first draw (as a reader looks before scrubbing; the page
builds its layers in idle time). Also reports the file's size and the first draw.

Run: ``.venv/bin/python benchmarks/bench_timeline_html.py --steps 120``
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.chromium import block_network, launch_options  # noqa: E402
from harness.stats import summary  # noqa: E402

_MOVE = """async (steps) => {
    const s = document.querySelector('.fl-slider'), n = Number(s.max) + 1, out = [];
    for (let i = 0; i < steps; i++) {
        const t0 = performance.now();
        s.value = String((i * 37 + 11) % n);
        s.dispatchEvent(new Event('input', {bubbles: true}));
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        out.push(performance.now() - t0);
    }
    return out; }"""


def build_file(out: Path) -> Path:
    """Write the timeline HTML of the shipped data to ``out`` and return its path."""
    from geo.claims_check import check_claims
    from geo.quantities import map_view
    from layers import load_dataset
    from views.timeline_data import dataset_timeline_data, timeline_data
    from views.timeline_html import export_timeline_html

    data = load_dataset(ROOT / "data")
    view = map_view(data)
    export = export_timeline_html(timeline_data(dataset_timeline_data(
        data, view, check_claims(view, data.claims))), data.base)
    path = out / export.name
    path.write_bytes(export.data)
    return path


def run(path: Path, steps: int, width: int = 1400, height: int = 900) -> dict:
    """Open ``path`` offline and time ``steps`` slider moves (ms)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options())
        page = browser.new_page(viewport={"width": width, "height": height})
        blocked = block_network(page)
        t0 = time.perf_counter()
        page.goto(path.as_uri())
        page.locator(".fl-app[data-drawn]").wait_for(state="attached", timeout=60_000)
        first = time.perf_counter() - t0
        page.wait_for_timeout(1500)  # a reader looks before scrubbing (idle-time prewarm)
        times = page.evaluate(_MOVE, steps)
        browser.close()
    raw = path.read_bytes()
    return {"file_kib": len(raw) / 1024, "file_gzip_kib": len(gzip.compress(raw)) / 1024,
            "first_draw_s": first, "slider_ms": summary(times), "blocked": blocked}


def main() -> None:
    """Print the measurements as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=120)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = run(build_file(Path(tmp)), args.steps)
    print(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
