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
    # The chart is sent after the map has drawn and reported back, with no user action.
    page.locator("[data-testid='stVegaLiteChart'] canvas, "
                 "[data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=30_000)

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


# --------------------------------------------------------------------------- untested bits

def _open(page, url: str):
    """Open the dashboard and wait until the map has drawn its first area."""
    page.goto(url)
    fl = _map_frame(page)
    fl.locator("path.fl-area").first.wait_for(timeout=60_000)
    return fl, _frame(page)


def test_measuring_a_drawn_line(streamlit_server, chromium):
    """Draw a 3-point line with the map's polyline tool; the panel shows its geodesic km."""
    from shapely.geometry import LineString

    from geo.measurement import geodesic_length_km

    page = chromium.new_page(viewport={"width": 1500, "height": 1000})
    fl, frame = _open(page, f"{streamlit_server}/?date=2024-09-01")
    fl.locator("a.leaflet-draw-draw-polyline").click()
    box = fl.locator("#map_div")
    for x, y in ((160, 200), (330, 260), (420, 400)):
        box.click(position={"x": x, "y": y})
        page.wait_for_timeout(250)
    fl.locator(".leaflet-draw-actions a", has_text="Finish").click()
    caption = page.get_by_text("Lengths: path 1:")
    caption.wait_for(timeout=30_000)
    coords = frame.evaluate("() => window.drawnItems.toGeoJSON().features[0].geometry")
    assert coords["type"] == "LineString" and len(coords["coordinates"]) == 3
    expected = geodesic_length_km(LineString(coords["coordinates"]))
    shown = float(caption.inner_text().split("path 1:")[1].split("km")[0])
    # The caption prints 3 decimals of the same computation on the same coordinates.
    assert abs(shown - expected) <= 0.0005 + 1e-9, (shown, expected)
    assert 5 < expected < 200  # a few hundred pixels at zoom 9 are tens of km
    page.close()


def _data_digest() -> str:
    import hashlib

    h = hashlib.sha256()
    for path in sorted((ROOT / "data").rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(ROOT)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _upload_feature(fid: str, status: str) -> dict:
    return {"type": "Feature", "properties": {
        "id": fid, "layer": "contested", "status": status, "valid_from": "2024-08-10",
        "valid_to": None, "confidence": "low", "notes": "browser test upload",
        "sources": [{"claim_maker": "test", "outlet": "test", "date": "2024-08-10",
                     "figure": None}]},
        "geometry": {"type": "Polygon", "coordinates": [[[35.0, 51.4], [35.2, 51.4],
                                                         [35.2, 51.5], [35.0, 51.5],
                                                         [35.0, 51.4]]]}}


def test_upload_is_drawn_with_its_area_and_bad_file_is_explained(streamlit_server, chromium,
                                                                tmp_path):
    from shapely.geometry import shape

    from geo.measurement import geodesic_area_km2

    before = _data_digest()
    good = tmp_path / "mine.geojson"
    feature = _upload_feature("mine-1", "contested")
    good.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    bad = tmp_path / "broken.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection",
                               "features": [_upload_feature("bad-7", "nope")]}))

    page = chromium.new_page(viewport={"width": 1500, "height": 1000})
    fl, _ = _open(page, f"{streamlit_server}/?date=2024-09-01")
    uploader = page.locator("[data-testid='stFileUploaderDropzoneInput']")
    uploader.set_input_files([str(good), str(bad)])

    area = geodesic_area_km2(shape(feature["geometry"]))
    page.get_by_text("upload: Contested / grey zone").first.wait_for(timeout=30_000)
    page.get_by_text(f"{area:,.1f} km²").first.wait_for(timeout=30_000)
    fl.locator("path.fl-upload--contested").first.wait_for(state="attached", timeout=30_000)
    assert "upload: Contested" in fl.locator(".fl-legend").inner_text()

    error = page.locator("[data-testid='stAlertContentError']", has_text="broken.geojson")
    error.wait_for(timeout=30_000)
    text = error.inner_text()
    assert "was not loaded" in text and "bad-7" in text and "status" in text
    assert _data_digest() == before, "an upload changed files under data/"
    page.close()


def _shown_day(page) -> str:
    return page.get_by_text("Map on ").first.inner_text().split("Map on ")[1][:10]


def test_play_advances_the_date_then_pause_stops(streamlit_server, chromium):
    page = chromium.new_page(viewport={"width": 1500, "height": 1000})
    _open(page, f"{streamlit_server}/?date=2024-08-06")
    start = _shown_day(page)
    page.get_by_role("button", name="▶ Play").click()
    seen = [start]
    for _ in range(60):
        page.wait_for_timeout(250)
        day = _shown_day(page)
        if day != seen[-1]:
            seen.append(day)
        if len(seen) >= 3:
            break
    assert len(seen) >= 3, f"the date advanced fewer than twice while playing: {seen}"
    assert seen == sorted(seen)
    page.get_by_role("button", name="⏸ Pause").click()
    page.get_by_role("button", name="▶ Play").wait_for(timeout=15_000)
    page.wait_for_timeout(600)
    stopped = _shown_day(page)
    page.wait_for_timeout(3000)
    assert _shown_day(page) == stopped, "the date kept moving after Pause"
    page.close()


def test_settlements_show_their_control_and_history_on_click(streamlit_server, chromium):
    """Every village of the fighting area is drawn coloured by the facts' control on the
    date; one click on a marker (the first) opens its history with every source."""
    from frontline_cli.build_cmd import controls_on, load_facts

    fb, _base = load_facts()
    day = "2025-03-14"
    sudzha = controls_on(__import__("datetime").date.fromisoformat(day))["Sudzha"]
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{streamlit_server}/?date={day}")
    fl = _map_frame(page)
    marker = fl.locator("path.fl-s-sudzha")
    marker.wait_for(timeout=60_000)
    frame = _frame(page)
    box = fb.method.spacing_box
    inside = [n for n, p in fb.places.items()
              if box[0] <= p.lon <= box[2] and box[1] <= p.lat <= box[3]]
    assert fl.locator("path.fl-settlement").count() == len(inside)
    colours = frame.evaluate("() => new Set(Array.from(document.querySelectorAll("
                             "'path.fl-settlement')).map(p => p.getAttribute('fill'))).size")
    assert colours >= 3  # held, Russian, no report at least
    legend = fl.locator(".fl-legend").inner_text()
    assert "settlement: Russian-held (facts)" in legend and "no report" in legend
    marker.click(force=True)  # the first click must land (no scroll, no lost press)
    popup = fl.locator(".leaflet-popup-content").first
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert text.startswith(f"Sudzha on {day}:")
    assert f"rule: {sudzha.rule}" in text
    latest = [f for f in fb.about("Sudzha") if f.date.isoformat() <= day][-1]
    assert latest.fact_id in text and latest.claim_maker in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "settlement-history.png"))
    page.close()


def test_panel_and_claims_table_compare_like_with_like(streamlit_server, chromium):
    """In the browser: the panel lists only same-quantity figures within a week, and the
    claims check opens with its verdict-first table and its filters."""
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{streamlit_server}/?date=2024-08-27")
    _map_frame(page).locator("path.fl-area").first.wait_for(timeout=60_000)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("Syrskyi, 27 Aug 2024", exact=False).first.wait_for(timeout=30_000)
    text = main.inner_text()
    assert "Held + contested (Kursk oblast)" in text
    assert "area under Ukrainian control: 1,294 km²" in text
    assert "no published figure within a week" in text
    page.get_by_text("Claims check: every published figure against the same quantity",
                     exact=False).click()
    page.get_by_text("computed from the map", exact=False).wait_for(timeout=60_000)
    # The data grid mounts after the text around it is in the page: wait for it.
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    assert page.get_by_text("Side", exact=True).count() >= 1
    assert page.get_by_text("Quantity", exact=True).count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "claims-check.png"), full_page=True)
    page.close()
