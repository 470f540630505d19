"""Drive the dashboard in a browser: map frame, DOM contract, steps, state, timings.

The map frame, the timeline's DOM contract, step actions with the day each must end on,
the state triple (URL, map, panel) and timings taken inside the page.

The contract (``static/js/frontline-timeline.js``, inside the map iframe
:data:`MAP_IFRAME`): a root ``.fl-app`` with ``data-day``, ``data-drawn`` (the ISO day
last drawn), ``data-query`` (the permalink) and ``data-n``; buttons ``.fl-prev-change``,
``.fl-prev-day``, ``.fl-next-day``, ``.fl-next-change``, ``.fl-play``; the range
``input.fl-slider`` (value = day index); the day box ``input.fl-date`` (Enter applies);
``.fl-panel-date``; ``window.flTimeline`` (``.day``, ``.iso(i)``, ``.data.changes``, ``.map``).
The parent page's ``location.search`` is the permalink.

The day a step must end on is computed from the page's own list of change days with the
rules of :mod:`views.navigation` (the browser follows the same rules; a disagreement is a
finding, not something to paper over here).

The pure parts (JavaScript snippets, :func:`expected_day`, :class:`TimelineInfo`,
:class:`DashState`) serve Playwright's sync and async APIs alike; the helpers at the end
use the sync API (the tests and ``benchmarks/bench_dashboard.py``); :mod:`harness.load`
awaits the same snippets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs

from views.navigation import clamp, step_change

__all__ = ["ACTIONS", "BUTTONS", "DAY_BOX", "DRAWN_RECORDER_JS", "INFO_JS", "KEYS",
           "MAP_FRAME_URL", "MAP_IFRAME", "MARKED_JS", "MARK_JS", "PROBE_JS", "SLIDER_THUMB_PX",
           "STATE_JS", "URL_LATENCY_JS", "URL_LOG_JS", "DashState", "TimelineInfo", "do_step",
           "drag_map", "drag_slider", "expected_day", "focus_map_frame", "long_date",
           "map_frame", "open_dashboard", "read_state", "slider_x", "timeline_info",
           "wait_drawn", "wait_probe"]

#: The st_folium component's iframe (in the parent page).
MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"
#: Part of the map frame's URL (to pick it out of ``page.frames``).
MAP_FRAME_URL = "streamlit_folium"
#: The day box (not the compare box, which also has ``fl-date``).
DAY_BOX = "input.fl-date:not(.fl-compare-date)"
#: Button steps: action name -> selector.
BUTTONS = {"next-change": ".fl-next-change", "prev-change": ".fl-prev-change",
           "next-day": ".fl-next-day", "prev-day": ".fl-prev-day"}
#: Keyboard steps (focus in the map frame, not in an input): action name -> key.
KEYS = {"key-next-day": ".", "key-prev-day": ",", "key-next-change": ">",
        "key-prev-change": "<"}
#: Every step by name; ``slider`` and ``daybox`` take a target day.
ACTIONS = (*BUTTONS, *KEYS, "slider", "daybox")
#: Width of chromium's default range thumb (px): where a slider value sits on the track.
SLIDER_THUMB_PX = 12
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

# --------------------------------------------------------------------------- page scripts

#: Everything a check needs, read in one evaluate inside the map frame.
STATE_JS = """() => {
  const t = window.flTimeline, r = document.querySelector('.fl-app');
  if (!t || !r) { return null; }
  const c = t.map.getCenter(), p = document.querySelector('.fl-panel-date');
  const s = document.querySelector('input.fl-slider');
  let search = null;
  try { search = window.parent.location.search; } catch (e) { search = null; }
  return {day: t.day, iso: t.iso(t.day), drawn: r.getAttribute('data-drawn'),
          data_day: r.getAttribute('data-day'), query: r.getAttribute('data-query'),
          search: search, panel: p ? p.textContent : null,
          slider: s ? parseInt(s.value, 10) : null,
          lat: Math.round(c.lat * 1e4) / 1e4, lon: Math.round(c.lng * 1e4) / 1e4,
          zoom: t.map.getZoom(), playing: !!t.playing, draw_ms: t.lastDrawMs,
          areas: document.querySelectorAll('path.fl-area').length};
}"""

#: The timeline's day numbering and change days.
INFO_JS = """() => ({n: window.flTimeline.n, start: window.flTimeline.iso(0),
                    changes: window.flTimeline.data.changes.slice()})"""

#: Mark the mount (Leaflet container, the timeline object, the iframe element) with a token.
MARK_JS = """(token) => {
  window.__flRef = window.flTimeline;
  window.flTimeline.map.getContainer().__flMark = token;
  if (window.frameElement) { window.frameElement.__flMark = token; }
  return true;
}"""

#: Whether the mount marked by MARK_JS is still the one on the page (no remount).
MARKED_JS = """(token) => !!window.flTimeline && window.__flRef === window.flTimeline
  && window.flTimeline.map.getContainer().__flMark === token
  && (!window.frameElement || window.frameElement.__flMark === token)"""

#: Input-to-paint timing inside the page. ``__flProbe.arm(types)`` starts a recording: for
#: every armed event (capture phase, so before the timeline's own handler runs) it keeps
#: the event's timestamp and, two animation frames later (after the frame that shows the
#: change has been painted), the time and what the page shows.
PROBE_JS = """() => {
  if (window.__flProbe) { return true; }
  const p = window.__flProbe = {armed: [], events: []};
  function shown(rec) {
    const r = document.querySelector('.fl-app'), q = document.querySelector('.fl-panel-date');
    rec.drawn = r ? r.getAttribute('data-drawn') : null;
    rec.panel = q ? q.textContent : null;
    let s = null;
    try { s = window.parent.location.search; } catch (e) { s = null; }
    rec.search = s;
    rec.draw_ms = window.flTimeline ? window.flTimeline.lastDrawMs : null;
  }
  ['click', 'input', 'keydown', 'change', 'mouseup'].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (p.armed.indexOf(e.type) < 0) { return; }
      if (e.type === 'keydown' && e.key === 'Shift') { return; }
      const rec = {type: e.type, t0: e.timeStamp, th: performance.now(), t1: null};
      p.events.push(rec);
      requestAnimationFrame(function () { requestAnimationFrame(function () {
        rec.t1 = performance.now();
        rec.ms = rec.t1 - rec.t0;
        shown(rec);
      }); });
    }, true);
  });
  p.arm = function (types) { p.armed = types; p.events = []; return true; };
  p.settled = function () {
    if (!p.events.length || p.events.some(function (e) { return e.t1 === null; })) {
      return null;
    }
    const last = p.events[p.events.length - 1];
    return Object.assign({n: p.events.length}, last);
  };
  return true;
}"""

#: Record every day drawn (``data-drawn``) with its time and whether a frame was painted
#: while it was shown: for Play. ``__flDrawn.list`` holds ``[ms, iso, slider, painted]``.
DRAWN_RECORDER_JS = """() => {
  const r = document.querySelector('.fl-app'), s = document.querySelector('input.fl-slider');
  if (window.__flDrawn) { window.__flDrawn.obs.disconnect(); }
  const rec = window.__flDrawn = {list: []};
  rec.obs = new MutationObserver(function () {
    const iso = r.getAttribute('data-drawn'), row = [performance.now(), iso,
                                                     parseInt(s.value, 10), false];
    rec.list.push(row);
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      row[3] = r.getAttribute('data-drawn') === iso || row[3];
    }); });
  });
  rec.obs.observe(r, {attributes: true, attributeFilter: ['data-drawn']});
  return true;
}"""


#: An init script (``context.add_init_script``): the top page logs every
#: ``history.replaceState`` as ``[absolute ms, location.search]`` in ``window.__flUrlLog``.
URL_LOG_JS = """(() => {
  if (window.top !== window || window.__flUrlLog) { return; }
  const log = window.__flUrlLog = [], orig = history.replaceState;
  history.replaceState = function () {
    const out = orig.apply(this, arguments);
    log.push([performance.timeOrigin + performance.now(), location.search]);
    if (log.length > 400) { log.splice(0, 200); }
    return out;
  };
})();"""

#: In the map frame, after an armed step (PROBE_JS) and with URL_LOG_JS in the page:
#: ``{input, handled}``, ms from the last armed input event (its timestamp: when the
#: browser received it; and when the page began handling it) to the first URL write that
#: shows ``want`` (``{iso}``: the date; ``{view: true}``: the map's current
#: lat/lon/zoom). None if no write shows it yet.
URL_LATENCY_JS = """(want) => {
  const p = window.__flProbe, log = window.parent.__flUrlLog;
  if (!p || !p.events.length || !log) { return null; }
  const ev = p.events[p.events.length - 1];
  const t0 = performance.timeOrigin + ev.t0, th = performance.timeOrigin + ev.th;
  const m = window.flTimeline.map, c = m.getCenter();
  const f = x => (Math.round(x * 1e4) / 1e4).toFixed(4);
  for (const [t, search] of log) {
    if (t < t0) { continue; }
    const q = new URLSearchParams(search);
    const ok = want.iso ? q.get('date') === want.iso
      : q.get('lat') === f(c.lat) && q.get('lon') === f(c.lng)
        && q.get('zoom') === String(m.getZoom());
    if (ok) { return {input: t - t0, handled: t - th}; }
  }
  return null;
}"""


# --------------------------------------------------------------------------- pure logic

def long_date(iso: str) -> str:
    """Return the panel's long date of an ISO day.

    Examples
    --------
    >>> long_date("2025-03-14"), long_date("2024-09-01")
    ('14 March 2025', '1 September 2024')
    """
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class TimelineInfo:
    """Days of the browser's timeline: ``n`` days from ``start``; ``changes`` are day indices.

    Examples
    --------
    >>> tl = TimelineInfo(n=10, start="2024-08-06", changes=(0, 4, 7))
    >>> tl.iso(4), tl.index("2024-08-13")
    ('2024-08-10', 7)
    """

    n: int
    start: str
    changes: tuple[int, ...]

    def iso(self, i: int) -> str:
        """ISO day of index ``i``."""
        return (dt.date.fromisoformat(self.start) + dt.timedelta(days=i)).isoformat()

    def index(self, iso: str) -> int:
        """Day index of an ISO day."""
        return (dt.date.fromisoformat(iso) - dt.date.fromisoformat(self.start)).days

    def expected(self, action: str, day: int, target: int | None = None) -> int:
        """Return the day ``action`` from ``day`` must end on (:func:`expected_day`)."""
        return expected_day(action, day, self.changes, self.n, target)


def expected_day(action: str, day: int, changes: Sequence[int], n: int,
                 target: int | None = None) -> int:
    """Return the day index a step must end on, by the rules of :mod:`views.navigation`.

    ``*-change`` steps go to the next (previous) change day and stay at either end; day
    steps move one day, clamped to ``[0, n - 1]``; ``slider`` and ``daybox`` end on
    ``target`` (clamped).

    Raises
    ------
    ValueError
        An unknown action, or ``slider``/``daybox`` without a target.

    Examples
    --------
    >>> ch = [0, 4, 7]
    >>> [expected_day(a, 5, ch, 10) for a in ("next-change", "prev-change", "next-day",
    ...                                       "key-prev-day")]
    [7, 4, 6, 4]
    >>> expected_day("prev-change", 4, ch, 10), expected_day("next-change", 7, ch, 10)
    (0, 7)
    >>> expected_day("prev-day", 0, ch, 10), expected_day("slider", 3, ch, 10, 12)
    (0, 9)
    >>> expected_day("jump", 3, ch, 10)
    Traceback (most recent call last):
    ...
    ValueError: unknown step action 'jump'; one of next-change, prev-change, next-day, \
prev-day, key-next-day, key-prev-day, key-next-change, key-prev-change, slider, daybox
    """
    name = action.removeprefix("key-")
    if action not in ACTIONS:
        raise ValueError(f"unknown step action {action!r}; one of {', '.join(ACTIONS)}")
    if name in ("next-change", "prev-change"):
        return step_change(day, list(changes), name == "next-change")
    if name in ("next-day", "prev-day"):
        return clamp(day + (1 if name == "next-day" else -1), 0, n - 1)
    if target is None:
        raise ValueError(f"step action {action!r} needs a target day")
    return clamp(target, 0, n - 1)


@dataclass(frozen=True)
class DashState:
    """What the page shows: the URL's permalink, the map's drawn day, the panel, the view.

    Built from :data:`STATE_JS` (:meth:`from_js`).
    """

    day: int
    drawn: str | None
    data_day: str | None
    search: str | None
    panel: str | None
    slider: int | None
    lat: float
    lon: float
    zoom: int
    playing: bool = False
    draw_ms: float | None = None
    areas: int = 0

    @classmethod
    def from_js(cls, d: dict) -> DashState:
        """From the dict :data:`STATE_JS` returns."""
        return cls(day=d["day"], drawn=d["drawn"], data_day=d["data_day"], search=d["search"],
                   panel=d["panel"], slider=d["slider"], lat=d["lat"], lon=d["lon"],
                   zoom=d["zoom"], playing=d["playing"], draw_ms=d["draw_ms"],
                   areas=d["areas"])

    @property
    def url(self) -> dict[str, str]:
        """The parent URL's query parameters.

        Examples
        --------
        >>> s = DashState(0, None, None, "?date=2024-08-06&lat=51.2&zoom=9", None, None,
        ...               0, 0, 0)
        >>> s.url["date"], s.url["zoom"]
        ('2024-08-06', '9')
        """
        return {k: v[-1] for k, v in parse_qs((self.search or "").lstrip("?")).items()}

    def disagreements(self, iso: str) -> list[str]:
        """List what does not show ``iso``: the URL's date, the map, the panel.

        Examples
        --------
        >>> s = DashState(3, "2024-08-09", "2024-08-09", "?date=2024-08-09", "9 August 2024",
        ...               3, 51.0, 35.0, 9)
        >>> s.disagreements("2024-08-09"), s.disagreements("2024-08-10")[0]
        ([], 'URL date=2024-08-09, expected 2024-08-10')
        """
        out = []
        if self.url.get("date") != iso:
            out.append(f"URL date={self.url.get('date')}, expected {iso}")
        if self.drawn != iso:
            out.append(f"map data-drawn={self.drawn}, expected {iso}")
        if self.panel != long_date(iso):
            out.append(f"panel {self.panel!r}, expected {long_date(iso)!r}")
        return out

    def view_disagreements(self) -> list[str]:
        """List where the URL's lat/lon/zoom differ from the map's view (4 decimals).

        Examples
        --------
        >>> DashState(0, None, None, "?lat=51.2000&lon=35.1000&zoom=9", None, None, 51.2,
        ...           35.1, 9).view_disagreements()
        []
        """
        u, out = self.url, []
        for key, value in (("lat", self.lat), ("lon", self.lon)):
            try:
                ok = abs(float(u.get(key, "nan")) - value) < 1e-4 + 1e-9
            except ValueError:
                ok = False
            if not ok:
                out.append(f"URL {key}={u.get(key)}, map {value}")
        if u.get("zoom") != str(self.zoom):
            out.append(f"URL zoom={u.get('zoom')}, map {self.zoom}")
        return out


# --------------------------------------------------------------------------- sync helpers

def map_frame(page, timeout_ms: float = 60_000):
    """Return the map's Frame (waits for its iframe)."""
    handle = page.wait_for_selector(MAP_IFRAME, state="attached", timeout=timeout_ms)
    # The Frame object stays the same while the iframe navigates from about:blank.
    frame = handle.content_frame()
    while frame is None:
        page.wait_for_timeout(50)
        frame = next((f for f in page.frames if MAP_FRAME_URL in f.url), None)
    return frame


def open_dashboard(page, base_url: str, query: str = "", timeout_ms: float = 60_000):
    """Open the dashboard; wait until the map has drawn a day; return the map's Frame.

    ``query`` is like ``"?date=2024-09-01"``.
    """
    page.goto(f"{base_url.rstrip('/')}/{query}", timeout=timeout_ms)
    frame = map_frame(page, timeout_ms)
    frame.wait_for_selector(".fl-app[data-drawn]", state="attached", timeout=timeout_ms)
    frame.wait_for_function("() => !!window.flTimeline", timeout=timeout_ms)
    frame.evaluate(PROBE_JS)
    return frame


def timeline_info(frame) -> TimelineInfo:
    """Return the page's own day numbering and change days."""
    d = frame.evaluate(INFO_JS)
    return TimelineInfo(n=d["n"], start=d["start"], changes=tuple(d["changes"]))


def read_state(frame) -> DashState:
    """Return what the page shows now."""
    return DashState.from_js(frame.evaluate(STATE_JS))


def wait_drawn(frame, iso: str, timeout_ms: float = 10_000) -> None:
    """Wait until the map has drawn ``iso``."""
    frame.wait_for_function(
        "iso => { const r = document.querySelector('.fl-app');"
        " return !!r && r.getAttribute('data-drawn') === iso; }",
        arg=iso, timeout=timeout_ms)


def wait_probe(frame, timeout_ms: float = 10_000) -> dict:
    """Return the last armed event's record once every armed event has been painted."""
    return frame.wait_for_function("() => window.__flProbe.settled()",
                                   timeout=timeout_ms, polling=10).json_value()


def slider_x(box: dict, value: int, n: int, thumb: float = SLIDER_THUMB_PX) -> float:
    """Return the page x of ``value`` on a range input of ``n`` days with bounding ``box``.

    Examples
    --------
    >>> slider_x({"x": 100, "width": 412}, 0, 401), slider_x({"x": 100, "width": 412}, 400, 401)
    (106.0, 506.0)
    """
    return box["x"] + thumb / 2 + (box["width"] - thumb) * value / max(n - 1, 1)


def drag_slider(page, frame, to_value: int, *, steps: int = 4) -> int:
    """Drag the slider's thumb with the mouse from the current day to ``to_value``.

    Returns the slider's value on release (the day released: the track has fewer pixels
    than days on a narrow window, so it may differ from ``to_value`` by a day or two).
    """
    slider = frame.locator("input.fl-slider")
    box = slider.bounding_box()
    n = int(slider.get_attribute("max")) + 1
    y = box["y"] + box["height"] / 2
    page.mouse.move(slider_x(box, int(slider.input_value()), n), y)
    page.mouse.down()
    page.mouse.move(slider_x(box, to_value, n), y, steps=steps)
    page.mouse.up()
    return int(slider.input_value())


def drag_map(page, frame, dx: float, dy: float, *, settle_ms: float = 80) -> None:
    """Pan the main map by dragging it ``dx, dy`` pixels with the mouse.

    The mouse rests ``settle_ms`` before it is released, as a careful pan does, so Leaflet
    adds no inertia and the pan ends on release.
    """
    box = frame.locator(".leaflet-container").first.bounding_box()
    x, y = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=6)
    page.wait_for_timeout(settle_ms)
    page.mouse.up()


def focus_map_frame(frame) -> None:
    """Put the keyboard focus in the map's frame, on a button (not in an input)."""
    frame.evaluate("() => document.querySelector('.fl-next-day').focus()")


def do_step(page, frame, action: str, target_iso: str | None = None) -> None:
    """Do one step with real input: a click, a key press, a slider drag or a typed day.

    ``slider`` and ``daybox`` need ``target_iso``. Raises ``ValueError`` for an unknown
    action.
    """
    if action in BUTTONS:
        frame.locator(BUTTONS[action]).click()
    elif action in KEYS:
        focus_map_frame(frame)
        page.keyboard.press(KEYS[action])
    elif action == "slider" and target_iso:
        drag_slider(page, frame, timeline_info(frame).index(target_iso))
    elif action == "daybox" and target_iso:
        box = frame.locator(DAY_BOX)
        box.fill(target_iso)
        box.press("Enter")
    else:
        raise ValueError(f"cannot do step {action!r} (target {target_iso!r}); one of "
                         f"{', '.join(ACTIONS)}")
