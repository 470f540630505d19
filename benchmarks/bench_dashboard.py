"""Browser-measured dashboard benchmark: date changes drawn in the browser, Play, remounts,
the first visit to a warm server, bytes per date change and the timeline script's cost.

Starts ``streamlit run streamlit_app.py`` (headless, free port) on the shipped data/ (or the
synthetic data while data/layers is empty), drives Debian chromium with real input through
Playwright (:mod:`harness.dashboard`) and prints a Markdown table.

    .venv/bin/python benchmarks/bench_dashboard.py [--steps 50] [--visits 5] [--play 60]

Date change → polygons drawn is timed *inside the page*: from the input event's timestamp
(a click, a key, the slider's last ``input``) to two animation frames later (the frame
showing the new day has been painted), where the map's ``data-drawn``, the panel's date
and the URL are read. Play is recorded with a MutationObserver on ``data-drawn``. Bytes
are every WebSocket frame and HTTP response body seen by a CDP Network session while
stepping, and separately in the pause after it (the bridge's one report per pause).
The first visit: a fresh browser context (empty cache) per run, from navigation start
(the top page's ``performance.timeOrigin``) to the first animation frame in which the map
frame has ``.fl-app[data-drawn]`` and a ``path.fl-area``; the server is warmed by one
visit first.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from harness.chromium import launch_options  # noqa: E402
from harness.dashboard import (  # noqa: E402
    BUTTONS,
    DAY_BOX,
    DRAWN_RECORDER_JS,
    KEYS,
    MARK_JS,
    MARKED_JS,
    URL_LATENCY_JS,
    URL_LOG_JS,
    drag_slider,
    focus_map_frame,
    long_date,
    map_frame,
    open_dashboard,
    read_state,
    timeline_info,
    wait_drawn,
    wait_probe,
)
from harness.server import start_streamlit  # noqa: E402
from harness.stats import summary  # noqa: E402
from harness.synthetic import data_folder  # noqa: E402

VIEWPORT = {"width": 1500, "height": 1000}
# A timer, not requestAnimationFrame: streamlit-folium rewrites the frame's document
# (document.open), which drops pending animation-frame callbacks. Polled every 10 ms.
FIRST_DRAW_JS = """(() => {
  if (window.top === window) { return; }
  const timer = setInterval(function () {
    if (document.querySelector('.fl-app[data-drawn]')
        && document.querySelector('path.fl-area')) {
      window.__flFirstDrawn = performance.timeOrigin + performance.now();
      clearInterval(timer);
    }
  }, 10);
})();"""
RESOURCES_JS = """() => performance.getEntriesByType('resource').map(e => (
  {name: e.name, transfer: e.transferSize, encoded: e.encodedBodySize,
   decoded: e.decodedBodySize}))"""


class Bytes:
    """WebSocket frames and HTTP bodies of a page, counted from CDP Network events."""

    def __init__(self, page):
        self.n = {"ws_in": 0, "ws_out": 0, "ws_in_frames": 0, "ws_out_frames": 0,
                  "http": 0, "http_responses": 0}
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.webSocketFrameReceived", lambda p: self._ws(p, "in"))
        cdp.on("Network.webSocketFrameSent", lambda p: self._ws(p, "out"))
        cdp.on("Network.loadingFinished", self._http)
        cdp.send("Network.enable")
        self.cdp = cdp

    def _ws(self, p: dict, way: str) -> None:
        r = p["response"]
        size = (len(base64.b64decode(r["payloadData"])) if r.get("opcode") == 2
                else len(r["payloadData"].encode()))
        self.n[f"ws_{way}"] += size
        self.n[f"ws_{way}_frames"] += 1

    def _http(self, p: dict) -> None:
        self.n["http"] += int(p.get("encodedDataLength", 0))
        self.n["http_responses"] += 1

    def snapshot(self) -> dict:
        """Return a copy of the counters."""
        return dict(self.n)

    @staticmethod
    def delta(a: dict, b: dict) -> dict:
        """Return the counters' growth from ``a`` to ``b``."""
        return {k: b[k] - a[k] for k in a}


def first_visits(browser, url: str, query: str, runs: int) -> dict:
    """Return navigation → first painted frame with the date's polygons, per fresh context."""
    out, resources = [], None
    for _ in range(runs + 1):  # the first one warms the server (not counted)
        ctx = browser.new_context(viewport=VIEWPORT)
        ctx.add_init_script(FIRST_DRAW_JS)
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(f"{url}/{query}", wait_until="commit")
        frame = map_frame(page)
        frame.wait_for_function("() => !!window.__flFirstDrawn", timeout=60_000)
        wall = time.perf_counter() - t0
        in_page = (frame.evaluate("() => window.__flFirstDrawn")
                   - page.evaluate("() => performance.timeOrigin")) / 1000
        out.append({"in_page_s": in_page, "wall_s": wall})
        if resources is None or len(out) == 2:
            page.wait_for_timeout(1500)
            resources = {"frame": frame.evaluate(RESOURCES_JS),
                         "page": page.evaluate(RESOURCES_JS)}
        ctx.close()
    return {"runs": out[1:], "warm_up_run": out[0], "resources": resources}


def load_bytes(resources: dict) -> dict:
    """Return the timeline script's sizes and the first load's totals (fresh cache).

    A URL fetched twice (the bridge prefetches the map's scripts in the page; the map's
    frame then reads them from the cache) counts once, with the larger transfer.
    """
    by_url: dict[str, dict] = {}
    for r in resources["frame"] + resources["page"]:
        seen = by_url.get(r["name"])
        if seen is None or r["transfer"] > seen["transfer"]:
            by_url[r["name"]] = r
    every = list(by_url.values())
    timeline = [r for r in every if "/static/cache/timeline-" in r["name"]]
    t = timeline[0] if timeline else {"transfer": None, "encoded": None, "decoded": None}
    return {"timeline_transfer": t["transfer"], "timeline_gzip": t["encoded"],
            "timeline_raw": t["decoded"],
            "first_load_transfer": sum(r["transfer"] for r in every),
            "first_load_raw": sum(r["decoded"] for r in every),
            "resources": len(every)}


def step_run(page, frame, info, mode: str, steps: int, rng: random.Random) -> dict:
    """Do ``steps`` date changes of one kind; time each in the page; check what it shows."""
    ms, draw_ms, url_ms, wrong, panel_late = [], [], [], [], 0
    for _ in range(3 * steps):
        if len(ms) >= steps:
            break
        day = read_state(frame).day
        if mode == "buttons":
            action = rng.choice(list(BUTTONS))
            want = info.expected(action, day)
            frame.evaluate("() => window.__flProbe.arm(['click'])")
            frame.locator(BUTTONS[action]).click()
        elif mode == "keyboard":
            action = rng.choice(list(KEYS))
            want = info.expected(action, day)
            focus_map_frame(frame)
            frame.evaluate("() => window.__flProbe.arm(['keydown'])")
            page.keyboard.press(KEYS[action])
        else:
            target = min(max(day + rng.choice((-1, 1)) * rng.randint(3, 40), 0), info.n - 1)
            frame.evaluate("() => window.__flProbe.arm(['input'])")
            want = drag_slider(page, frame, target)
        if want == day:  # at an end of the timeline: nothing to draw, not a date change
            continue
        rec = wait_probe(frame)
        iso = info.iso(want)
        if rec["drawn"] != iso:
            wrong.append(f"{mode}: expected {iso}, drawn {rec['drawn']}")
            wait_drawn(frame, iso)
        ms.append(rec["ms"])
        draw_ms.append(rec["draw_ms"])
        if rec["panel"] != long_date(iso):
            panel_late += 1
        page.wait_for_timeout(60)
        lat = None
        for _ in range(20):
            lat = frame.evaluate(URL_LATENCY_JS, {"iso": iso})
            if lat is not None:
                break
            page.wait_for_timeout(50)
        url_ms.append(lat["input"] if lat else float("inf"))
    return {"ms": ms, "draw_ms": draw_ms, "url_ms": url_ms, "wrong": wrong,
            "panel_not_in_same_frame": panel_late}


def play_run(page, frame, info, ticks: int) -> dict:
    """Play from the first change day for ``ticks`` dates; check each change day is shown."""
    box = frame.locator(DAY_BOX)
    box.fill(info.iso(info.changes[0]))
    box.press("Enter")
    frame.evaluate("() => document.activeElement.blur()")
    wait_drawn(frame, info.iso(info.changes[0]))
    frame.evaluate(DRAWN_RECORDER_JS)
    frame.locator(".fl-play").click()
    want = min(ticks, len(info.changes) - 1)
    frame.wait_for_function(f"() => window.__flDrawn.list.length >= {want}",
                            timeout=want * 2000 + 10_000)
    frame.locator(".fl-play").click()  # pause
    page.wait_for_timeout(500)
    rows = frame.evaluate("() => window.__flDrawn.list")[:want]
    shown = [r[1] for r in rows]
    expected = [info.iso(i) for i in info.changes[1:want + 1]]
    gaps = [b[0] - a[0] for a, b in zip(rows, rows[1:], strict=False)]
    return {"dates": len(rows), "in_order_no_skip": shown == expected,
            "slider_followed": all(info.iso(r[2]) == r[1] for r in rows),
            "painted_each": all(r[3] for r in rows),
            "dates_per_s": 1000 / statistics.mean(gaps) if gaps else None,
            "tick_ms_median": statistics.median(gaps) if gaps else None,
            "first_wrong": next((f"{i}: shown {a}, expected {b}" for i, (a, b) in
                                 enumerate(zip(shown, expected, strict=False)) if a != b),
                                None)}


def run(steps: int, visits: int, play_ticks: int, seed: int = 4) -> dict:
    rng = random.Random(seed)
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        data_dir, label = data_folder(Path(tmp))
        server = start_streamlit(data_dir)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(**launch_options())
                visit = first_visits(browser, server.url, "?date=2024-09-01", visits)
                ctx = browser.new_context(viewport=VIEWPORT)
                ctx.add_init_script(URL_LOG_JS)
                page = ctx.new_page()
                counter = Bytes(page)
                frame = open_dashboard(page, server.url, "?date=2024-09-01")
                info = timeline_info(frame)
                frame.evaluate("() => window.flTimeline.map.setView([51.2, 35.4], 10,"
                               " {animate: false})")
                page.wait_for_timeout(1500)  # the bridge's report of the first state
                frame.evaluate(MARK_JS, "bench")
                state0 = read_state(frame)
                view0 = (state0.lat, state0.lon, state0.zoom)
                modes, remounts, views_kept, traffic = {}, 0, True, {}
                for mode in ("buttons", "slider", "keyboard"):
                    before = counter.snapshot()
                    modes[mode] = step_run(page, frame, info, mode, steps, rng)
                    after_steps = counter.snapshot()
                    page.wait_for_timeout(2000)  # the bridge reports the pause (600 ms)
                    traffic[mode] = {"stepping": Bytes.delta(before, after_steps),
                                     "pause": Bytes.delta(after_steps, counter.snapshot()),
                                     "changes": len(modes[mode]["ms"])}
                    if not frame.evaluate(MARKED_JS, "bench"):
                        remounts += 1
                        frame = open_dashboard(page, server.url)  # re-find, re-mark
                        frame.evaluate(MARK_JS, "bench")
                    s = read_state(frame)
                    views_kept &= (s.lat, s.lon, s.zoom) == view0
                play = play_run(page, frame, info, play_ticks)
                if not frame.evaluate(MARKED_JS, "bench"):
                    remounts += 1
                s = read_state(frame)
                views_kept &= (s.lat, s.lon, s.zoom) == view0
                browser.close()
        finally:
            server.stop()
    every = [x for m in modes.values() for x in m["ms"]]
    return {"data": label, "visits": visit["runs"], "warm_up_visit": visit["warm_up_run"],
            "bytes_first_load": load_bytes(visit["resources"]), "modes": modes,
            "all_steps": summary(every), "play": play, "remounts": remounts,
            "view_kept": views_kept, "traffic": traffic, "server_errors": server.errors(),
            "load_avg_1min": [round(load0, 1), round(os.getloadavg()[0], 1)]}


def _kib(n: float) -> str:
    return f"{n / 1024:,.1f} KiB"


def table(r: dict) -> str:
    """Return the README's Markdown table of one run."""
    rows = []
    for mode, m in r["modes"].items():
        s = summary(m["ms"])
        ok = s["median"] < 100 and s["p95"] < 200
        rows.append((f"{mode}: date change → polygons drawn, median / p95 ({s['n']} changes)",
                     "< 100 / < 200 ms",
                     f"{s['median']:.0f} / {s['p95']:.0f} ms (max {s['max']:.0f}) — "
                     f"{'met' if ok else 'MISSED'}"))
    a = r["all_steps"]
    rows.append(("all three, median / p95", "< 100 / < 200 ms",
                 f"{a['median']:.0f} / {a['p95']:.0f} ms ({a['n']} changes)"))
    draw = summary([x for m in r["modes"].values() for x in m["draw_ms"]])
    rows.append(("of which the script's draw (flTimeline.lastDrawMs), median / p95", "report",
                 f"{draw['median']:.1f} / {draw['p95']:.1f} ms"))
    late = sum(m["panel_not_in_same_frame"] for m in r["modes"].values())
    rows.append(("panel's figures for the new date, median", "< 400 ms",
                 f"{a['median']:.0f} ms: drawn in the same frame as the polygons "
                 f"({a['n'] - late} of {a['n']})"))
    url = summary([x for m in r["modes"].values() for x in m["url_ms"]])
    rows.append(("URL shows the date (input → address written), median / max", "≤ 500 ms",
                 f"{url['median']:.0f} / {url['max']:.0f} ms"))
    wrong = sum(len(m["wrong"]) for m in r["modes"].values())
    rows.append(("steps that drew another day than expected", "0", str(wrong)))
    p = r["play"]
    rate_ok = p["dates_per_s"] and p["dates_per_s"] >= 4
    rows.append((f"Play: dates per second ({p['dates']} dates)", "≥ 4",
                 f"{p['dates_per_s']:.2f} (a tick every {p['tick_ms_median']:.0f} ms) — "
                 f"{'met' if rate_ok else 'MISSED'}"))
    rows.append(("Play: every change day shown, in order, slider with it, each painted",
                 "yes", f"{'yes' if p['in_order_no_skip'] else 'NO'} / "
                 f"{'yes' if p['slider_followed'] else 'NO'} / "
                 f"{'yes' if p['painted_each'] else 'NO'}"))
    rows.append(("map remounts (marker on the Leaflet container, flTimeline identity)", "0",
                 str(r["remounts"])))
    rows.append(("zoom and centre kept through all of it", "yes",
                 "yes" if r["view_kept"] else "NO"))
    v = [x["in_page_s"] for x in r["visits"]]
    rows.append((f"first visit to a warm server → polygons drawn, median ({len(v)} fresh "
                 "browser contexts)", "< 2.0 s",
                 f"{statistics.median(v):.2f} s (max {max(v):.2f}) — "
                 f"{'met' if statistics.median(v) < 2.0 else 'MISSED'}"))
    for mode, t in r["traffic"].items():
        st, pa = t["stepping"], t["pause"]
        n = max(t["changes"], 1)
        rows.append((f"bytes per date change while stepping ({mode}, {t['changes']} changes)",
                     "report", f"{(st['ws_in'] + st['ws_out'] + st['http']) / n:,.0f} B "
                     f"(WebSocket {st['ws_in_frames']} in / {st['ws_out_frames']} out frames, "
                     f"{st['http_responses']} HTTP responses in all)"))
        rows.append((f"the pause after it (the bridge's report: {pa['ws_out_frames']} out / "
                     f"{pa['ws_in_frames']} in frames, {pa['http_responses']} HTTP)", "report",
                     f"{_kib(pa['ws_out'])} sent, {_kib(pa['ws_in'] + pa['http'])} received"))
    b = r["bytes_first_load"]
    rows.append(("first load's extra bytes for every state (timeline script): transferred /"
                 " gzip as served / raw", "report",
                 f"{_kib(b['timeline_transfer'])} / {_kib(b['timeline_gzip'])} / "
                 f"{_kib(b['timeline_raw'])}"))
    rows.append(("whole first load, transferred / raw (fresh cache, HTTP only)", "report",
                 f"{_kib(b['first_load_transfer'])} / {_kib(b['first_load_raw'])} "
                 f"({b['resources']} resources)"))
    rows.append(("server log errors", "0", str(len(r["server_errors"]))))
    rows.append((f"machine load (1-min average, before / after; {os.cpu_count()} cores)",
                 "report", f"{r['load_avg_1min'][0]} / {r['load_avg_1min'][1]}"))
    out = ["| measure | target | result |", "| --- | --- | --- |"]
    return "\n".join(out + [f"| {a} | {b} | {c} |" for a, b, c in rows])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=50, help="date changes per input kind")
    parser.add_argument("--visits", type=int, default=5, help="first visits to time")
    parser.add_argument("--play", type=int, default=60, help="dates to play")
    args = parser.parse_args()
    r = run(args.steps, args.visits, args.play)
    slim = {k: v for k, v in r.items() if k != "modes"}
    slim["modes"] = {k: {"summary": summary(m["ms"]), "wrong": m["wrong"][:5]}
                     for k, m in r["modes"].items()}
    print(json.dumps(slim, indent=1, default=str))
    print()
    print(table(r))


if __name__ == "__main__":
    main()
