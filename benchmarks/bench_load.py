"""Load test (issue 6): many concurrent sessions scrubbing dates against ONE dashboard.

Starts ``streamlit run streamlit_app.py`` (headless, 127.0.0.1, free port) on the shipped
data/ (or the synthetic test data while data/layers is empty), opens N browser sessions in
one Debian chromium (one Playwright context each) and lets every session scrub dates for a
bounded time with its own seeded random walk: open ``?date=YYYY-MM-DD`` (a new session),
press "◀ day", "day ▶", "« change", "change »". After every step a session checks that the
map caption and the URL show *its own* expected date (no cross-talk) and that no exception
box or page error appeared. The server's RSS (``/proc/<pid>/status`` VmRSS) is sampled
every second during the scrubbing phase; it must level off.

    .venv/bin/python benchmarks/bench_load.py [--sessions 20] [--seconds 60]

Prints JSON and a Markdown table for benchmarks/README.md ("## Load (issue 6)").
tests/test_load.py runs the same harness for ~20 s (marked ``slow``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.warmup import default_view  # noqa: E402
from layers import Timeline, default_paths, load_layer_dir  # noqa: E402
from layers.schema import TIMELINE_END, TIMELINE_START  # noqa: E402
from tests.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    real_data_ready,
    write_synthetic_data,
)

#: Per-step wait for the page to show the expected date. 20 chromium pages on 2 shared
#: cores are slow: the browsers, not the server, are the bottleneck (see the README).
STEP_TIMEOUT_MS = 180_000
#: Pass criterion for "memory levels off": last-third mean RSS / middle-third mean RSS.
RSS_GROWTH_LIMIT = 1.2
ACTIONS = ("goto", "day+", "day-", "change+", "change-")
BUTTONS = {"day+": "day ▶", "day-": "◀ day", "change+": "change »", "change-": "« change"}


# --------------------------------------------------------------------------- server

@dataclass
class Server:
    """A ``streamlit run`` child process; stderr goes to ``log``."""

    url: str
    process: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        """Terminate (then kill) the server: only this process, by its pid."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def start_server(data_dir: Path, log: Path, *, timeout: float = 90.0) -> Server:
    """Start the dashboard on a free loopback port and wait for ``/_stcore/health``."""
    port = free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "FRONTLINE_DATA_DIR": str(data_dir)}
    fh = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
         "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1",
         # One snapshot of the code for the whole run: with the file watcher on, an edit to
         # streamlit_app.py during the run mixes a new script with already-imported modules.
         "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
        cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    fh.close()
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}: "
                               f"{log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(
                f"{server.url}/_stcore/health", timeout=2) as resp:
            if resp.status == 200:
                return server
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"streamlit did not answer on {server.url} within {timeout} s")


def rss_kib(pid: int) -> int:
    """Resident set size of ``pid`` in KiB (VmRSS in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far (/proc/<pid>/stat), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RssSampler(threading.Thread):
    """Samples a process's RSS every ``interval`` seconds until stopped."""

    def __init__(self, pid: int, interval: float = 1.0):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[int] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            with contextlib.suppress(OSError, RuntimeError):
                self.samples.append(rss_kib(self.pid))
            self._halt.wait(self.interval)

    def stop(self) -> list[int]:
        self._halt.set()
        self.join(timeout=5)
        return self.samples


def levels_off(samples: list[int], limit: float = RSS_GROWTH_LIMIT) -> tuple[bool, float]:
    """Whether the last third's mean is at most ``limit`` x the middle third's mean.

    Examples
    --------
    >>> levels_off([100, 110, 120, 121, 122, 121, 122, 121, 122])
    (True, 1.0)
    >>> levels_off([100, 100, 100, 200, 200, 200, 300, 300, 300])
    (False, 1.5)
    """
    n = len(samples) // 3
    if n == 0:
        return False, float("nan")
    middle = statistics.mean(samples[n:2 * n])
    last = statistics.mean(samples[-n:])
    ratio = round(last / middle, 3)
    return ratio <= limit, ratio


# --------------------------------------------------------------------------- sessions

@dataclass
class SessionLog:
    """What one browser session did and saw."""

    index: int
    steps: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    crosstalk: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)


def expected_after(action: str, day: dt.date, options: list[dt.date]) -> dt.date:
    """The day the app must show after ``action`` from ``day`` (mirrors dashboard.page)."""
    if action in ("day+", "day-"):
        new = day + dt.timedelta(days=1 if action == "day+" else -1)
        return min(max(new, TIMELINE_START), TIMELINE_END)
    if action == "change+":
        later = [d for d in options if d > day]
        return later[0] if later else day
    earlier = [d for d in options if d < day]
    return earlier[-1] if earlier else day


_MAP_CAPTION = re.compile(r"Map on (\d{4}-\d{2}-\d{2})\.")


async def _shown_days(page) -> list[str]:
    text = await page.locator("[data-testid='stCaptionContainer']").all_inner_texts()
    return [m.group(1) for t in text for m in _MAP_CAPTION.finditer(t)]


async def _await_day(page, day: dt.date) -> None:
    iso = day.isoformat()
    await page.get_by_text(re.compile(rf"Map on {iso}\.")).first.wait_for(
        timeout=STEP_TIMEOUT_MS)
    # The query string is written at the end of the run: the rerun has finished.
    await page.wait_for_url(re.compile(rf"[?&]date={iso}(&|$)"), timeout=STEP_TIMEOUT_MS)


async def _check(page, log: SessionLog, day: dt.date, where: str) -> None:
    shown = await _shown_days(page)
    if shown != [day.isoformat()]:
        log.crosstalk.append(f"{where}: expected {day}, page shows {shown}")
    if await page.locator("[data-testid='stException']").count():
        log.errors.append(f"{where}: exception box on the page")


async def run_session(index: int, browser, url: str, options: list[dt.date],
                      go: asyncio.Event, ready: list, stop_at: list[float],
                      seed: int) -> SessionLog:
    """One user: open a dated link, wait for the start signal, scrub until ``stop_at[0]``."""
    rng = random.Random(seed * 1000 + index)
    log = SessionLog(index)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda exc: log.errors.append(f"pageerror: {exc}"))
    page.on("crash", lambda _p: log.errors.append("page crashed"))
    span = (TIMELINE_END - TIMELINE_START).days
    day = TIMELINE_START + dt.timedelta(days=(index * 37 + 11) % span)
    try:
        await page.goto(f"{url}/?date={day.isoformat()}", timeout=STEP_TIMEOUT_MS)
        await _await_day(page, day)
        await _check(page, log, day, "open")
        ready.append(index)
        await go.wait()
        while time.monotonic() < stop_at[0]:
            action = rng.choice(ACTIONS)
            if action == "goto":
                new = TIMELINE_START + dt.timedelta(days=rng.randrange(span + 1))
            else:
                new = expected_after(action, day, options)
            t0 = time.perf_counter()
            if action == "goto":
                await page.goto(f"{url}/?date={new.isoformat()}", timeout=STEP_TIMEOUT_MS)
            else:
                await page.get_by_role("button", name=BUTTONS[action]).click(
                    timeout=STEP_TIMEOUT_MS)
            await _await_day(page, new)
            log.latencies_ms.append(1000 * (time.perf_counter() - t0))
            day = new
            log.steps += 1
            log.days.append(day.isoformat())
            await _check(page, log, day, f"step {log.steps} ({action})")
        # Others kept rerunning meanwhile: this session must still show its own day.
        await page.wait_for_timeout(1000)
        await _check(page, log, day, "final")
    except Exception as exc:  # noqa: BLE001 - every failure is a finding to report
        log.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        with contextlib.suppress(Exception):
            await context.close()
    return log


async def drive(url: str, pid: int, options: list[dt.date], *, sessions: int,
                seconds: float, seed: int = 6, open_timeout: float = 240.0) -> dict:
    """Open ``sessions`` sessions, then scrub for ``seconds``; return the measurements."""
    from playwright.async_api import async_playwright

    go = asyncio.Event()
    ready: list[int] = []
    stop_at = [float("inf")]
    rss_before = rss_kib(pid)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            t_open = time.monotonic()
            tasks = [asyncio.create_task(run_session(i, browser, url, options, go, ready,
                                                     stop_at, seed))
                     for i in range(sessions)]
            while len(ready) < sessions and time.monotonic() - t_open < open_timeout \
                    and not all(t.done() for t in tasks):
                await asyncio.sleep(0.2)
            open_s = time.monotonic() - t_open
            rss_open = rss_kib(pid)
            sampler = RssSampler(pid)
            sampler.start()
            stop_at[0] = time.monotonic() + seconds
            cpu0, wall0 = cpu_seconds(pid), time.monotonic()
            go.set()
            logs = await asyncio.gather(*tasks)
            samples = sampler.stop()
            server_cpu = (cpu_seconds(pid) - cpu0) / (time.monotonic() - wall0)
        finally:
            await browser.close()
    lat = [x for log in logs for x in log.latencies_ms]
    ok, ratio = levels_off(samples)
    third = max(len(samples) // 3, 1)
    return {
        "sessions": sessions, "seconds": seconds, "sessions_opened": len(ready),
        "open_all_s": round(open_s, 1),
        "steps": sum(log.steps for log in logs),
        "steps_per_session_min": min(log.steps for log in logs),
        "latency_median_ms": round(statistics.median(lat)) if lat else None,
        "latency_p95_ms": round(sorted(lat)[int(0.95 * (len(lat) - 1))]) if lat else None,
        "latency_max_ms": round(max(lat)) if lat else None,
        "errors": [f"session {log.index}: {e}" for log in logs for e in log.errors],
        "crosstalk": [f"session {log.index}: {e}" for log in logs for e in log.crosstalk],
        "rss_mib_idle": round(rss_before / 1024, 1),
        "rss_mib_all_open": round(rss_open / 1024, 1),
        "rss_mib_middle_third": round(statistics.mean(samples[third:2 * third]) / 1024, 1)
        if len(samples) >= 3 else None,
        "rss_mib_last_third": round(statistics.mean(samples[-third:]) / 1024, 1)
        if samples else None,
        "rss_mib_peak": round(max(samples) / 1024, 1) if samples else None,
        "rss_samples": len(samples), "rss_ratio": ratio, "rss_levels_off": ok,
        "server_cpu_share": round(server_cpu, 2),
        "distinct_days_seen": len({d for log in logs for d in log.days}),
    }


def app_options(data_dir: Path) -> list[dt.date]:
    """The slider's change dates, computed by the page's own function."""
    return default_view(Timeline(load_layer_dir(default_paths(data_dir).layers).frame))[0]


def server_errors(log: Path) -> list[str]:
    """Tracebacks and errors the server printed."""
    text = log.read_text(errors="replace")
    return [line for line in text.splitlines()
            if "Traceback" in line or re.search(r"\b[A-Z]\w*Error\b", line)]


def run_load(data_dir: Path, *, sessions: int, seconds: float, workdir: Path,
             seed: int = 6) -> dict:
    """Start the server, drive it, stop it (always); return the measurements."""
    options = app_options(data_dir)
    server = start_server(data_dir, workdir / "streamlit.log")
    try:
        result = asyncio.run(drive(server.url, server.pid, options, sessions=sessions,
                                   seconds=seconds, seed=seed))
        result["server_alive"] = server.process.poll() is None
    finally:
        server.stop()
    result["server_errors"] = server_errors(server.log)[:20]
    result["loadavg_1min_at_end"] = round(os.getloadavg()[0], 1)  # others share the machine
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if real_data_ready():
            data_dir, label = ROOT / "data", "data/"
        else:
            data_dir = write_synthetic_data(Path(tmp) / "data")
            label = "synthetic (data/layers empty)"
        r = run_load(data_dir, sessions=args.sessions, seconds=args.seconds,
                     workdir=Path(tmp), seed=args.seed)
    r["data"] = label
    print(json.dumps(r, indent=1))
    print()
    print("| measure | target | result |")
    print("| --- | --- | --- |")
    print(f"| sessions opened (one chromium, one context each) | {r['sessions']} | "
          f"{r['sessions_opened']} in {r['open_all_s']} s |")
    print(f"| date steps in {r['seconds']:.0f} s (all sessions) | report | {r['steps']} "
          f"(min {r['steps_per_session_min']} per session) |")
    print(f"| step latency median / p95 / max | report | {r['latency_median_ms']} / "
          f"{r['latency_p95_ms']} / {r['latency_max_ms']} ms |")
    print(f"| errors (page, exception box, timeouts, server log) | 0 | "
          f"{len(r['errors']) + len(r['server_errors'])} |")
    print(f"| cross-talk (a session shows another's date) | 0 | {len(r['crosstalk'])} |")
    print(f"| server RSS idle → all open → peak | report | {r['rss_mib_idle']} → "
          f"{r['rss_mib_all_open']} → {r['rss_mib_peak']} MiB |")
    print(f"| server CPU while scrubbing (1.0 = one core) | report | "
          f"{r['server_cpu_share']} |")
    print(f"| machine load average (1 min) at the end | report | "
          f"{r['loadavg_1min_at_end']} on {os.cpu_count()} cores |")
    print(f"| RSS last third / middle third | ≤ {RSS_GROWTH_LIMIT} | {r['rss_ratio']} "
          f"({r['rss_mib_last_third']} / {r['rss_mib_middle_third']} MiB, "
          f"{r['rss_samples']} samples) |")


if __name__ == "__main__":
    main()
