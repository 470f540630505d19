"""The real dashboard in Debian chromium: drawn layers, scrubbing, offline, hostile strings.

Starts ``streamlit run`` in a subprocess (tests/conftest.py) and drives it with
Playwright. Skipped locally without /usr/bin/chromium; a failure in CI (CI=true).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import MAP_IFRAME, ROOT, start_streamlit

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _record_hosts(page) -> list[str]:
    """Every URL any frame of ``page`` requests (and every websocket it opens)."""
    urls: list[str] = []
    page.on("request", lambda req: urls.append(req.url))
    page.on("websocket", lambda ws: urls.append(ws.url))
    return urls


def _foreign(urls: list[str]) -> list[str]:
    return [u for u in urls
            if urlparse(u).scheme not in ("data", "blob", "about")
            and urlparse(u).hostname not in LOCAL_HOSTS]


def _map_frame(page):
    page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    return page.frame_locator(MAP_IFRAME)


def _frame(page):
    """The Frame object of the map iframe (for evaluate)."""
    handle = page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    return handle.content_frame()


def _shapes(frame) -> str:
    return frame.evaluate(
        "() => Array.from(document.querySelectorAll('path.fl-area'))"
        ".map(p => p.getAttribute('d')).join('|')")


def _view(frame) -> tuple[float, float, float]:
    return tuple(frame.evaluate(
        "() => { const c = window.map.getCenter(); "
        "return [Math.round(c.lat * 1e4) / 1e4, Math.round(c.lng * 1e4) / 1e4, "
        "window.map.getZoom()]; }"))


def test_dashboard_scrubs_offline_without_remount(streamlit_server, chromium,
                                                   dashboard_data_dir):
    from layers import Timeline, default_paths, load_layer_dir

    tl = Timeline(load_layer_dir(default_paths(dashboard_data_dir).layers).frame)
    dates = tl.change_dates("ukrainian_held")
    first = dates[len(dates) // 3]

    page = chromium.new_page(viewport={"width": 1500, "height": 1000})
    urls = _record_hosts(page)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{streamlit_server}/?date={first.isoformat()}")
    fl = _map_frame(page)
    fl.locator("path.fl-area").first.wait_for(timeout=60_000)
    frame = _frame(page)
    assert fl.locator("path.fl-area").count() >= 1

    # The user zooms and pans; mark the Leaflet map object to detect a remount.
    frame.evaluate("() => { window.map.setView([51.2, 35.4], 10, {animate: false});"
                   " window.map.__probe = 'same-map'; }")
    page.wait_for_timeout(1500)  # the view is sent back to Python (one rerun)
    view = _view(frame)
    before = _shapes(frame)

    page.get_by_role("button", name="change »").click()
    frame.wait_for_function(
        "(old) => { const d = Array.from(document.querySelectorAll('path.fl-area'))"
        ".map(p => p.getAttribute('d')).join('|'); return d && d !== old; }",
        arg=before, timeout=30_000)
    page.wait_for_timeout(500)

    assert _shapes(frame) != before
    assert frame.evaluate("() => window.map.__probe") == "same-map", "the map was remounted"
    assert _view(frame) == view, "zoom/centre changed while scrubbing"
    assert "date=" in page.url

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert not dialogs
    assert not _foreign(urls), f"requests to other hosts: {_foreign(urls)[:5]}"
    page.close()


XSS = '<img src=x onerror="window.top.__xss=1">'
SCRIPT = "</script><script>window.top.__xss=2</script>"


def _hostile_dir(tmp_path: Path) -> Path:
    data = tmp_path / "hostile"
    shutil.copytree(ROOT / "data" / "base", data / "base")
    (data / "layers").mkdir()
    src = {"claim_maker": XSS, "outlet": SCRIPT, "date": "2024-08-10", "figure": XSS}
    feats = [
        {"type": "Feature", "properties": {
            "id": "x-1", "layer": "ukrainian_held", "status": "held",
            "valid_from": "2024-08-06", "valid_to": None, "confidence": "low",
            "name": XSS, "notes": SCRIPT, "sources": [src]},
         "geometry": {"type": "Polygon", "coordinates": [[[35.1, 51.15], [35.4, 51.15],
                                                          [35.4, 51.35], [35.1, 51.35],
                                                          [35.1, 51.15]]]}},
        {"type": "Feature", "properties": {
            "id": "x-ev", "layer": "events", "status": "held", "kind": "other",
            "valid_from": "2024-08-06", "valid_to": None, "confidence": "low",
            "name": SCRIPT, "notes": XSS, "sources": [src]},
         "geometry": {"type": "Point", "coordinates": [35.6, 51.3]}},
    ]
    (data / "layers" / "hostile.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": feats}))
    (data / "claims.csv").write_text(
        "claim_id,date,claim_maker,side,figure,unit,measures,layer,status,tolerance_pct,"
        "outlet,source_ref,notes\n"
        f"h1,2024-08-12,\"{XSS.replace(chr(34), chr(34) * 2)}\",UA,100,km2,held,"
        f"ukrainian_held,,10,\"{SCRIPT}\",,\n")
    return data


def test_hostile_strings_are_shown_as_text(chromium, tmp_path):
    server = start_streamlit(_hostile_dir(tmp_path))
    try:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        urls = _record_hosts(page)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{server.url}/?date=2024-09-01")
        fl = _map_frame(page)
        area = fl.locator("path.fl-area").first
        area.wait_for(timeout=60_000)
        frame = _frame(page)
        area.hover()
        tip = fl.locator(".leaflet-tooltip").first
        tip.wait_for(timeout=10_000)
        assert XSS in tip.inner_text()
        area.click()
        popup = fl.locator(".leaflet-popup-content").first
        popup.wait_for(timeout=10_000)
        assert SCRIPT in popup.inner_text()
        assert XSS in popup.inner_text()
        page.wait_for_timeout(1000)
        assert not dialogs
        assert page.evaluate("() => window.__xss") is None
        assert frame.evaluate("() => window.__xss") is None
        assert frame.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
        assert not _foreign(urls), f"requests to other hosts: {_foreign(urls)[:5]}"
        page.close()
    finally:
        server.stop()
