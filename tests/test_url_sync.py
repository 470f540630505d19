"""The URL reflects the map's state within 500 ms of the last interaction, and rapid input
ends exactly where it should, with the URL, the map and the panel agreeing.

Real input (Playwright mouse and keyboard) in the map's iframe of a running dashboard
(the session-wide ``streamlit_server`` and ``chromium`` fixtures of conftest.py). Skipped
locally without chromium, a failure in CI (CI=true).
"""

from __future__ import annotations

import re
import time

import pytest

from harness.dashboard import (
    DAY_BOX,
    DashState,
    do_step,
    drag_map,
    drag_slider,
    open_dashboard,
    read_state,
    timeline_info,
    wait_drawn,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

#: The issue's bound: the URL shows the state this soon after the last interaction.
URL_WITHIN_MS = 500


@pytest.fixture
def dash(streamlit_server, chromium):
    """A fresh page on the dashboard at a day a third into the timeline: (page, frame, info)."""
    page = chromium.new_page(viewport={"width": 1500, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    frame = open_dashboard(page, streamlit_server)
    info = timeline_info(frame)
    start = info.iso(info.changes[len(info.changes) // 3])
    do_step(page, frame, "daybox", start)
    wait_drawn(frame, start)
    # Leave the day box now, so each test starts with the focus outside it.
    frame.evaluate("() => document.activeElement.blur()")
    _url_within(page, rf"[?&]date={start}(&|$)", ms=5000)  # the set-up has settled
    yield page, frame, info
    assert errors == [], errors
    page.close()


def _url_within(page, pattern: str, ms: float = URL_WITHIN_MS) -> None:
    """The parent page's query string matches ``pattern`` within ``ms`` of now."""
    page.wait_for_function("re => new RegExp(re).test(location.search)", arg=pattern,
                           timeout=ms, polling="raf")


def _agree(frame, iso: str) -> DashState:
    state = read_state(frame)
    assert state.disagreements(iso) == []
    assert state.view_disagreements() == []
    return state


def test_url_follows_a_click_within_500_ms(dash):
    page, frame, info = dash
    day = read_state(frame).day
    want = info.iso(info.expected("next-change", day))
    frame.locator(".fl-next-change").click()
    _url_within(page, rf"[?&]date={want}(&|$)")
    _agree(frame, want)


def test_url_follows_a_layer_toggle_within_500_ms(dash):
    page, frame, _ = dash
    box = frame.locator("input.fl-layer-toggle[data-layer=contested]")
    assert box.is_checked()
    assert "contested" in read_state(frame).url["layers"].split(",")
    box.click()
    _url_within(page, r"[?&]layers=(?![^&]*\bcontested\b)[^&]*(&|$)")
    assert "contested" not in read_state(frame).url["layers"].split(",")
    # The panel is redrawn on a toggle: find the box again.
    frame.locator("input.fl-layer-toggle[data-layer=contested]").click()
    _url_within(page, r"[?&]layers=[^&]*\bcontested\b")


def test_url_follows_a_pan_within_500_ms(dash):
    page, frame, _ = dash
    before = read_state(frame)
    drag_map(page, frame, -160, 90)
    # The URL's view equals the map's (rounded as the permalink rounds it), and moved.
    frame.wait_for_function(
        """old => { const q = new URLSearchParams(window.parent.location.search);
           const c = window.flTimeline.map.getCenter();
           const f = x => (Math.round(x * 1e4) / 1e4).toFixed(4);
           return q.get('lat') === f(c.lat) && q.get('lon') === f(c.lng)
             && q.get('zoom') === String(window.flTimeline.map.getZoom())
             && (f(c.lat) !== f(old[0]) || f(c.lng) !== f(old[1])); }""",
        arg=[before.lat, before.lon], timeout=URL_WITHIN_MS, polling="raf")
    after = read_state(frame)
    assert (after.lat, after.lon) != (before.lat, before.lon)
    assert after.view_disagreements() == []
    assert after.zoom == before.zoom
    assert after.disagreements(before.url["date"]) == []  # a pan keeps the date


def test_the_url_check_can_actually_fail(dash):
    """The 500 ms poll times out on a state the page never reaches."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page, _, _ = dash
    with pytest.raises(PlaywrightTimeout, match="Timeout 500ms exceeded"):
        _url_within(page, r"date=1999-01-01")


def test_five_quick_clicks_on_next_change_go_five_change_days_on(dash):
    page, frame, info = dash
    day = read_state(frame).day
    want = day
    for _ in range(5):
        want = info.expected("next-change", want)
    assert want != day
    box = frame.locator(".fl-next-change").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    t0 = time.perf_counter()
    for _ in range(5):  # real mouse clicks at the button, as fast as the browser takes them
        page.mouse.click(x, y)
    assert time.perf_counter() - t0 < 1.0, "five clicks did not fit in one second here"
    _url_within(page, rf"[?&]date={info.iso(want)}(&|$)")
    wait_drawn(frame, info.iso(want), timeout_ms=2000)
    page.wait_for_timeout(300)  # nothing arrives late and moves it again
    _agree(frame, info.iso(want))


def test_a_slider_drag_ends_on_the_day_released(dash):
    page, frame, info = dash
    day = read_state(frame).day
    target = min(day + 60, info.n - 1)
    released = drag_slider(page, frame, target)
    assert abs(released - target) <= 3, (released, target)
    _url_within(page, rf"[?&]date={info.iso(released)}(&|$)")
    page.wait_for_timeout(300)
    state = _agree(frame, info.iso(released))
    assert state.slider == released


def test_a_typed_day_then_two_next_day_clicks_end_two_days_later(dash):
    page, frame, info = dash
    typed = info.iso(info.changes[len(info.changes) // 2] + 3)
    box = frame.locator(DAY_BOX)
    box.fill(typed)
    box.press("Enter")
    frame.locator(".fl-next-day").click()
    frame.locator(".fl-next-day").click()
    want = info.iso(info.index(typed) + 2)
    _url_within(page, rf"[?&]date={want}(&|$)")
    page.wait_for_timeout(300)
    _agree(frame, want)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", box.input_value()) and box.input_value() == want


def test_a_panel_click_right_after_typing_a_day_is_not_lost(dash):
    # The day box's "change" as it loses focus used to rebuild the panel between mousedown
    # and click, so this click was lost (fixed in 594accd).
    page, frame, info = dash
    box = frame.locator(DAY_BOX)
    box.fill(info.iso(info.changes[len(info.changes) // 2]))
    box.press("Enter")
    frame.locator("input.fl-layer-toggle[data-layer=contested]").click()
    _url_within(page, r"[?&]layers=(?![^&]*\bcontested\b)[^&]*(&|$)")
