"""Load (issue 6): 20 concurrent browser sessions scrubbing and panning ONE dashboard.

The runner is :mod:`harness.load` (shared with tests/test_load.py, which runs it for ~20 s):
one ``streamlit run`` on the shipped data/ (or the synthetic data while data/layers is
empty), N Playwright contexts in one Debian chromium, each on its own dated link, each
scrubbing with real input (step buttons, a typed day + Enter, slider drags, map pans).
After every step: the URL's ``date=``, the map's ``data-drawn`` and the panel's date show
the expected day (URL within 500 ms); after a pan the URL's view follows within 500 ms.
Server RSS is sampled every second; it must level off.

    .venv/bin/python benchmarks/bench_load.py [--sessions 20] [--seconds 60]

Prints JSON and a Markdown table for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness.load import URL_WITHIN_MS, run_load  # noqa: E402
from harness.stats import RSS_GROWTH_LIMIT  # noqa: E402
from harness.synthetic import data_folder  # noqa: E402


def table(r: dict) -> str:
    """Return the README's Markdown table of one run."""
    s, u, ui = r["step_ms"], r["url_ms"], r["url_input_ms"]
    rows = [
        ("sessions opened (one chromium, one context each)", r["sessions"],
         f"{r['sessions_opened']} in {r['open_all_s']} s"),
        (f"date steps + pans in {r['scrub_s']:.0f} s (all sessions)", "report",
         f"{r['steps']} + {r['pans']} (min {r['steps_per_session_min']} steps per session)"),
        ("date steps per second sustained", "report", f"{r['steps_per_s']} "
         f"({r['moves_per_s']} moves/s with pans)"),
        ("step (input → day drawn, Python-side) median / p95 / max", "report",
         f"{s['median']} / {s['p95']} / {s['max']} ms"),
        ("URL shows the state, from the page handling the input (in the page) median / p95 "
         "/ max", f"≤ {URL_WITHIN_MS} ms", f"{u['median']} / {u['p95']} / {u['max']} ms"),
        ("same, from the input event's timestamp (includes waiting for a starved renderer)",
         "report", f"{ui['median']} / {ui['p95']} / {ui['max']} ms"),
        ("lost / wrong steps", "0 / 0", f"{len(r['lost'])} / {len(r['wrong'])}"),
        (f"URL later than {URL_WITHIN_MS} ms", "0", f"{len(r['late'])}"),
        ("errors (page errors, exception boxes, timeouts, server log)", "0",
         f"{len(r['errors']) + len(r['server_errors'])}"),
        ("distinct days drawn and checked", "report", r["distinct_days_seen"]),
        ("server RSS idle → all open → peak", "report",
         f"{r['rss_mib_idle']} → {r['rss_mib_all_open']} → {r['rss_mib_peak']} MiB"),
        ("RSS last third / middle third", f"≤ {RSS_GROWTH_LIMIT}",
         f"{r['rss_ratio']} ({r['rss_mib_last_third']} / {r['rss_mib_middle_third']} MiB, "
         f"{r['rss_samples']} samples)"),
        ("server CPU while scrubbing (1.0 = one core)", "report", r["server_cpu_share"]),
        ("machine load average (1 min) at the end", "report",
         f"{r['loadavg_1min_at_end']} on {os.cpu_count()} cores"),
    ]
    out = ["| measure | target | result |", "| --- | --- | --- |"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir, label = data_folder(Path(tmp))
        r = run_load(data_dir, sessions=args.sessions, seconds=args.seconds, seed=args.seed)
    r["data"] = label
    print(json.dumps(r, indent=1))
    print()
    print(table(r))


if __name__ == "__main__":
    main()
