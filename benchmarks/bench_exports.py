"""Time the exports (issue 5) on the shipped data: one PNG, the whole-timeline GIF, and more.

Run: .venv/bin/python benchmarks/bench_exports.py
Targets: one PNG < 2 s; the whole-timeline GIF < 30 s (2-core machine).
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layers import Timeline, default_paths, load_layer_dir, read_base, read_claims  # noqa: E402
from views import exporters as ex  # noqa: E402

TARGETS = {"png": 2.0, "gif (whole timeline)": 30.0}


def timed(label, fn, rows):
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    target = TARGETS.get(label)
    verdict = "" if target is None else ("PASS" if seconds < target else "FAIL")
    rows.append((label, seconds, len(out.data), f"< {target:g} s" if target else "", verdict))
    return out


def main() -> int:
    paths = default_paths()
    timeline = Timeline(load_layer_dir(paths.layers).frame)
    base = read_base(paths.base)
    claims = read_claims(paths.claims)
    day = "2025-02-15"
    rows: list = []
    timed("png", lambda: ex.export_image(timeline, base, day, width_px=1600, height_px=1000,
                                         dpi=150), rows)
    timed("svg", lambda: ex.export_image(timeline, base, day, fmt="svg"), rows)
    timed("pdf", lambda: ex.export_image(timeline, base, day, fmt="pdf"), rows)
    timed("html", lambda: ex.export_html(timeline, base, day), rows)
    timed("geojson", lambda: ex.export_geojson(timeline, day), rows)
    timed("gpkg", lambda: ex.export_gpkg(timeline, day), rows)
    timed("csv area table", lambda: ex.export_csv_area_table(timeline, claims), rows)
    gif = timed("gif (whole timeline)", lambda: ex.export_animation(timeline, base), rows)
    if ex.mp4_available():
        timed("mp4 (whole timeline)", lambda: ex.export_animation(timeline, base, fmt="mp4"),
              rows)
    print(f"{platform.python_version()} on {platform.machine()}, "
          f"{len(gif.meta['frames'])} animation frames (1200x750 px), PNG 1600x1000 px\n")
    print("| export | seconds | bytes | target | |")
    print("|---|---:|---:|---|---|")
    for label, seconds, size, target, verdict in rows:
        print(f"| {label} | {seconds:.2f} | {size:,} | {target} | {verdict} |")
    return 1 if any(r[4] == "FAIL" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
