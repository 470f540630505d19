"""Many concurrent browser sessions scrubbing and panning one dashboard: the load test's runner.

:func:`run_load` starts ``streamlit run streamlit_app.py`` on a data folder, opens
``sessions`` pages in one Debian chromium (one Playwright context each, each on its own
dated link) and, once all are open, lets each scrub for ``seconds`` with its own seeded
random walk of real input: the four step buttons, a day typed in the day box + Enter, a
mouse drag of the slider, and pans (mouse drags of the map).

After every date step the session waits for the map to draw the day it expects
(:meth:`harness.dashboard.TimelineInfo.expected`, from the page's own change days), then
checks that the URL's ``date=``, ``.fl-app[data-drawn]`` and ``.fl-panel-date`` agree
with it; the URL must show it within 500 ms. After a pan the URL's ``lat``/``lon``/``zoom``
must equal the map's view within 500 ms. A step whose day is never drawn is *lost* (the
map still shows the day before) or *wrong* (it shows another). Page errors, exception
boxes and tracebacks in the server log are errors. The server's RSS is sampled every
second while the sessions scrub; it must level off (:func:`harness.stats.levels_off`).

Used by ``benchmarks/bench_load.py`` (60 s, prints the table) and ``tests/test_load.py``
(~20 s, asserts). Playwright's async API: call :func:`run_load` from a thread without a
running event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness.chromium import launch_options
from harness.dashboard import (
    BUTTONS,
    DAY_BOX,
    INFO_JS,
    MAP_FRAME_URL,
    MAP_IFRAME,
    PROBE_JS,
    STATE_JS,
    URL_LATENCY_JS,
    URL_LOG_JS,
    DashState,
    TimelineInfo,
    slider_x,
)
from harness.server import RssSampler, cpu_seconds, rss_kib, start_streamlit, upstream_disconnects
from harness.stats import levels_off, summary

__all__ = ["MOVES", "SessionLog", "URL_WITHIN_MS", "run_load"]

#: The moves a session picks from, with their weights.
MOVES = {"next-change": 2, "prev-change": 2, "next-day": 2, "prev-day": 2, "daybox": 1,
         "slider": 1, "pan": 2}
#: The URL must show the state this soon after the step (ms).
URL_WITHIN_MS = 500
#: How long a step may take to be drawn before it counts as lost (ms). 20 pages on 2
#: cores: the renderers, not the server, are the bottleneck.
STEP_TIMEOUT_MS = 30_000
_OPEN_TIMEOUT_MS = 240_000

_URL_DAY_JS = """iso => { const q = new URLSearchParams(window.parent.location.search);
  return q.get('date') === iso; }"""
_URL_VIEW_JS = """old => { const q = new URLSearchParams(window.parent.location.search);
  const c = window.flTimeline.map.getCenter();
  const f = x => (Math.round(x * 1e4) / 1e4).toFixed(4);
  return q.get('lat') === f(c.lat) && q.get('lon') === f(c.lng)
    && q.get('zoom') === String(window.flTimeline.map.getZoom())
    && (f(c.lat) !== f(old[0]) || f(c.lng) !== f(old[1])); }"""
#: The input event a move's delay is measured from (the last one of that type).
_ARMED = {**{m: ["click"] for m in BUTTONS}, "daybox": ["keydown"], "slider": ["input"],
          "pan": ["mouseup"]}
_DRAWN_JS = """iso => { const r = document.querySelector('.fl-app');
  return !!r && r.getAttribute('data-drawn') === iso; }"""


@dataclass
class SessionLog:
    """What one browser session did and saw."""

    index: int
    steps: int = 0
    pans: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    url_ms: list[float] = field(default_factory=list)
    url_input_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    days: set[str] = field(default_factory=set)
    console: list[str] = field(default_factory=list)


async def _map_frame(page):
    handle = await page.wait_for_selector(MAP_IFRAME, state="attached",
                                          timeout=_OPEN_TIMEOUT_MS)
    # The Frame object stays the same while the iframe navigates from about:blank.
    frame = await handle.content_frame()
    while frame is None:
        await page.wait_for_timeout(50)
        frame = next((f for f in page.frames if MAP_FRAME_URL in f.url), None)
    return frame


async def _state(frame) -> DashState:
    return DashState.from_js(await frame.evaluate(STATE_JS))


async def _within(frame, js: str, arg, ms: float) -> float | None:
    """Return ms until ``js(arg)`` holds in the frame, None if not within ``ms``."""
    t0 = time.perf_counter()
    try:
        await frame.wait_for_function(js, arg=arg, timeout=ms, polling="raf")
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: the caller decides
        return None
    return 1000 * (time.perf_counter() - t0)


async def _do(page, frame, info: TimelineInfo, move: str, day: int, rng: random.Random
              ) -> int | None:
    """Do ``move`` with real input; return the day it must end on (None for a pan)."""
    if move in BUTTONS:
        await frame.locator(BUTTONS[move]).click(timeout=STEP_TIMEOUT_MS)
        return info.expected(move, day)
    if move == "daybox":
        target = rng.randrange(info.n)
        box = frame.locator(DAY_BOX)
        await box.fill(info.iso(target), timeout=STEP_TIMEOUT_MS)
        await box.press("Enter")
        # Leave the box as a user would, so its "change" on blur happens now.
        await frame.evaluate("() => document.activeElement.blur()")
        return info.expected(move, day, target)
    if move == "slider":
        slider = frame.locator("input.fl-slider")
        box = await slider.bounding_box()
        target = min(max(day + rng.randint(-40, 40), 0), info.n - 1)
        y = box["y"] + box["height"] / 2
        await page.mouse.move(slider_x(box, day, info.n), y)
        await page.mouse.down()
        await page.mouse.move(slider_x(box, target, info.n), y, steps=3)
        await page.mouse.up()
        return int(await slider.input_value())  # the day released
    box = await frame.locator(".leaflet-container").first.bounding_box()
    x, y = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45
    dx, dy = rng.choice((-1, 1)) * rng.randint(40, 160), rng.choice((-1, 1)) * rng.randint(30, 120)
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x + dx, y + dy, steps=5)
    await page.wait_for_timeout(80)  # rest before release: no inertia, the pan ends here
    await page.mouse.up()
    return None


async def _check_day(frame, log: SessionLog, iso: str, before: str, where: str) -> bool:
    """Check the map draws ``iso`` and URL and panel agree (URL within 500 ms of the input).

    The URL's delay is measured in the page: from the input event to the first address
    write that shows ``iso`` (:data:`harness.dashboard.URL_LATENCY_JS`).
    """
    try:
        await frame.wait_for_function(_DRAWN_JS, arg=iso, timeout=STEP_TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - a timeout is the finding
        shown = (await _state(frame)).drawn
        (log.lost if shown == before else log.wrong).append(
            f"{where}: expected {iso}, map shows {shown}")
        return False
    log.days.add(iso)
    if await _within(frame, _URL_DAY_JS, iso, 5000) is None:
        log.wrong.append(f"{where}: the URL never showed date={iso}")
        return False
    ok = _url_delay(log, where, await frame.evaluate(URL_LATENCY_JS, {"iso": iso})
                    if iso != before else {"input": 0.0, "handled": 0.0})
    bad = (await _state(frame)).disagreements(iso)
    if bad:
        log.wrong.append(f"{where}: " + "; ".join(bad))
    return ok and not bad


def _url_delay(log: SessionLog, where: str, ms: dict | None) -> bool:
    """Record the URL's delay; late if over 500 ms after the page handled the input.

    Both delays are kept: from the input's timestamp (includes the time the input waited
    for a renderer starved by the other sessions) and from its handling (the app's own).
    """
    if ms is None:
        log.late.append(f"{where}: no URL write after the input shows the state")
        return False
    log.url_ms.append(ms["handled"])
    log.url_input_ms.append(ms["input"])
    if ms["handled"] > URL_WITHIN_MS:
        log.late.append(f"{where}: URL shows the state {ms['handled']:.0f} ms after the "
                        f"page handled the input ({ms['input']:.0f} ms after the input)")
        return False
    return True


async def run_session(index: int, browser, url: str, go: asyncio.Event, ready: list,
                      stop_at: list[float], seed: int) -> SessionLog:
    """Be one user: open a dated link, wait for the start signal, scrub until ``stop_at[0]``."""
    rng = random.Random(seed * 1000 + index)
    log = SessionLog(index)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.add_init_script(URL_LOG_JS)
    page = await context.new_page()
    page.on("pageerror", lambda exc: log.errors.append(f"pageerror: {exc}"))
    page.on("crash", lambda _p: log.errors.append("page crashed"))
    page.on("console", lambda m: log.console.append(m.text[:160]) if m.type == "error" else None)
    try:
        await page.goto(f"{url}/", timeout=_OPEN_TIMEOUT_MS)
        frame = await _map_frame(page)
        await frame.wait_for_selector(".fl-app[data-drawn]", state="attached",
                                      timeout=_OPEN_TIMEOUT_MS)
        d = await frame.evaluate(INFO_JS)
        info = TimelineInfo(n=d["n"], start=d["start"], changes=tuple(d["changes"]))
        # Open the session's own dated link (spread over the timeline): a new session.
        day = info.changes[(index * 37 + 11) % len(info.changes)]
        await page.goto(f"{url}/?date={info.iso(day)}", timeout=_OPEN_TIMEOUT_MS)
        frame = await _map_frame(page)
        await frame.wait_for_selector(".fl-app[data-drawn]", state="attached",
                                      timeout=_OPEN_TIMEOUT_MS)
        await frame.evaluate(PROBE_JS)
        # No input to time on opening: the link's own day counts as already in the URL.
        await _check_day(frame, log, info.iso(day), info.iso(day), "open")
        ready.append(index)
        await go.wait()
        moves, weights = list(MOVES), list(MOVES.values())
        while time.monotonic() < stop_at[0]:
            move = rng.choices(moves, weights)[0]
            before = await _state(frame)
            await frame.evaluate("t => window.__flProbe.arm(t)", _ARMED[move])
            t0 = time.perf_counter()
            want = await _do(page, frame, info, move, before.day, rng)
            where = f"step {log.steps + log.pans + 1} ({move})"
            if want is None:
                if await _within(frame, _URL_VIEW_JS, [before.lat, before.lon], 5000) is None:
                    state = await _state(frame)
                    log.lost.append(f"{where}: " + ("the map did not move" if (
                        state.lat, state.lon) == (before.lat, before.lon)
                        else "the URL never showed the map's view"))
                else:
                    _url_delay(log, where, await frame.evaluate(URL_LATENCY_JS, {"view": True}))
                log.pans += 1
            else:
                await _check_day(frame, log, info.iso(want), before.drawn, where)
                log.latencies_ms.append(1000 * (time.perf_counter() - t0))
                log.steps += 1
            await page.wait_for_timeout(rng.randint(0, 700))
        if await page.locator("[data-testid='stException']").count():
            log.errors.append("exception box on the page")
    except Exception as exc:  # noqa: BLE001 - every failure is a finding to report
        log.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        with contextlib.suppress(Exception):
            await context.close()
    return log


async def drive(url: str, pid: int, *, sessions: int, seconds: float, seed: int = 6,
                open_timeout: float = 300.0) -> dict:
    """Open ``sessions`` sessions, then scrub for ``seconds``; return the measurements."""
    from playwright.async_api import async_playwright

    go = asyncio.Event()
    ready: list[int] = []
    stop_at = [float("inf")]
    rss_before = rss_kib(pid)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**launch_options())
        try:
            t_open = time.monotonic()
            tasks = [asyncio.create_task(run_session(i, browser, url, go, ready, stop_at,
                                                     seed)) for i in range(sessions)]
            while len(ready) < sessions and time.monotonic() - t_open < open_timeout \
                    and not all(t.done() for t in tasks):
                await asyncio.sleep(0.2)
            open_s = time.monotonic() - t_open
            rss_open = rss_kib(pid)
            sampler = RssSampler(pid)
            sampler.start()
            t_go = time.monotonic()
            stop_at[0] = t_go + seconds
            cpu0 = cpu_seconds(pid)
            go.set()
            logs = await asyncio.gather(*tasks)
            scrub_s = time.monotonic() - t_go
            samples = sampler.stop()
            server_cpu = (cpu_seconds(pid) - cpu0) / scrub_s
        finally:
            await browser.close()
    ok, ratio = levels_off(samples)
    third = max(len(samples) // 3, 1)
    lat = summary([x for g in logs for x in g.latencies_ms])
    url_ms = summary([x for g in logs for x in g.url_ms])
    url_input_ms = summary([x for g in logs for x in g.url_input_ms])
    steps = sum(g.steps for g in logs)
    pans = sum(g.pans for g in logs)

    def every(name: str) -> list[str]:
        return [f"session {g.index}: {e}" for g in logs for e in getattr(g, name)]

    def mib(kib: float | None) -> float | None:
        return None if kib is None else round(kib / 1024, 1)

    return {
        "sessions": sessions, "seconds": seconds, "sessions_opened": len(ready),
        "open_all_s": round(open_s, 1), "scrub_s": round(scrub_s, 1),
        "steps": steps, "pans": pans,
        "steps_per_s": round(steps / scrub_s, 2), "moves_per_s": round((steps + pans) / scrub_s, 2),
        "steps_per_session_min": min(g.steps for g in logs),
        "pans_per_session_min": min(g.pans for g in logs),
        "step_ms": {k: None if v is None else round(v) for k, v in lat.items()},
        "url_ms": {k: None if v is None else round(v) for k, v in url_ms.items()},
        "url_input_ms": {k: None if v is None else round(v) for k, v in url_input_ms.items()},
        "errors": every("errors"), "lost": every("lost"), "wrong": every("wrong"),
        "late": every("late"), "console_errors": every("console")[:20],
        "distinct_days_seen": len({d for g in logs for d in g.days}),
        "rss_mib_idle": mib(rss_before), "rss_mib_all_open": mib(rss_open),
        "rss_mib_middle_third": mib(sum(samples[third:2 * third]) / third)
        if len(samples) >= 3 else None,
        "rss_mib_last_third": mib(sum(samples[-third:]) / third) if samples else None,
        "rss_mib_peak": mib(max(samples)) if samples else None,
        "rss_samples": len(samples), "rss_ratio": ratio, "rss_levels_off": ok,
        "server_cpu_share": round(server_cpu, 2),
    }


def run_load(data_dir: Path, *, sessions: int, seconds: float, seed: int = 6,
             log: Path | None = None) -> dict:
    """Start the server, drive it, stop it (always); return the measurements."""
    server = start_streamlit(data_dir, log=log)
    try:
        result = asyncio.run(drive(server.url, server.pid, sessions=sessions,
                                   seconds=seconds, seed=seed))
        result["server_alive"] = server.alive()
    finally:
        server.stop()
    result["server_errors"] = server.errors()[:20]
    # Streamlit's own closed-socket race as tabs go away: counted, reported, not the app's.
    result["upstream_disconnect_tracebacks"] = upstream_disconnects(server.log_text())
    if result["server_errors"]:  # the whole of it, to read what went wrong
        text = server.log_text()
        result["server_log_tail"] = text[text.find("Traceback") - 200:][:6000]
    result["loadavg_1min_at_end"] = round(os.getloadavg()[0], 1)  # others share the machine
    return result
