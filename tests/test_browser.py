"""The real dashboard in Debian chromium: a map-first page that scrubs in the browser.

Starts ``streamlit run`` in a subprocess (tests/conftest.py) and drives it with
Playwright. Skipped locally without /usr/bin/chromium; a failure in CI (CI=true).
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from harness.chromium import block_network, hover_visible
from tests.conftest import MAP_IFRAME, ROOT, start_streamlit

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SIZES = [(1400, 900), (1920, 1080)]


def _record_hosts(page) -> list[str]:
    """Every URL any frame of ``page`` requests (and every websocket it opens)."""
    urls: list[str] = []
    page.on("request", lambda req: urls.append(req.url))
    page.on("websocket", lambda ws: urls.append(ws.url))
    return urls


def _foreign(urls: list[str]) -> list[str]:
    return [u for u in urls
            if urlparse(u).scheme not in ("data", "blob", "about", "file")
            and urlparse(u).hostname not in LOCAL_HOSTS]


def _map_frame(page):
    page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    return page.frame_locator(MAP_IFRAME)


def _frame(page):
    """The Frame object of the map iframe (for evaluate)."""
    handle = page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    return handle.content_frame()


def _rebuilt_map(page, selector: str, text: str = ""):
    """Wait until the page holds one map frame whose document has ``selector`` (containing
    ``text``): a rebuilt map replaces the old one, and for a moment both are in the page."""
    page.wait_for_function("""([frameSel, sel, text]) => {
        const frames = document.querySelectorAll(frameSel);
        const doc = frames.length === 1 && frames[0].contentDocument;
        const found = doc ? Array.from(doc.querySelectorAll(sel)) : [];
        return found.some(e => e.textContent.includes(text));
    }""", arg=[MAP_IFRAME, selector, text], timeout=60_000)
    return _map_frame(page)


def _open(page, url: str):
    """Open the dashboard and wait until the map has drawn its first state."""
    page.goto(url)
    fl = _map_frame(page)
    fl.locator(".fl-app[data-drawn]").wait_for(state="attached", timeout=60_000)
    return fl, _frame(page)


def _drawn(frame) -> str:
    return frame.evaluate("() => document.querySelector('.fl-app').dataset.drawn")


def _url_day(page) -> str:
    return parse_qs(urlparse(page.url).query).get("date", [""])[0]


def _shapes(frame) -> str:
    return frame.evaluate(
        "() => Array.from(document.querySelectorAll('path.fl-area'))"
        ".map(p => p.getAttribute('d')).join('|')")


def _view(frame) -> tuple[float, float, float]:
    return tuple(frame.evaluate(
        "() => { const c = window.flTimeline.map.getCenter(); "
        "return [Math.round(c.lat * 1e4) / 1e4, Math.round(c.lng * 1e4) / 1e4, "
        "window.flTimeline.map.getZoom()]; }"))


def _page_box(page, frame, selector: str) -> dict:
    """``selector``'s box (inside the map iframe) in the window's coordinates."""
    iframe = page.locator(MAP_IFRAME).bounding_box()
    inner = frame.evaluate("(s) => { const r = document.querySelector(s)"
                           ".getBoundingClientRect(); return {x: r.x, y: r.y, "
                           "width: r.width, height: r.height}; }", selector)
    return {**inner, "x": inner["x"] + iframe["x"], "y": inner["y"] + iframe["y"]}


def _on_screen(box: dict, width: int, height: int) -> bool:
    return (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width + 0.5
            and box["y"] + box["height"] <= height + 0.5 and box["width"] > 0)


@pytest.mark.parametrize("width, height", SIZES)
def test_the_map_comes_first_with_its_furniture_and_the_dates_layers(
        streamlit_server, chromium, width, height):
    """Map ≥ 60 % of the width and 65 % of the height, wholly on screen with its legend,
    scale bar, attribution and date bar; the default date's layers are in view."""
    page = chromium.new_page(viewport={"width": width, "height": height})
    urls = _record_hosts(page)
    fl, frame = _open(page, streamlit_server)
    fl.locator("path.fl-area").first.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    box = _page_box(page, frame, ".fl-timeline-map")
    assert box["width"] >= 0.60 * width, box
    assert box["height"] >= 0.65 * height, box
    for sel in (".fl-timeline-map", ".fl-legend", ".leaflet-control-scale",
                ".leaflet-control-attribution", ".fl-bar", ".fl-panel", ".fl-changed"):
        assert _on_screen(_page_box(page, frame, sel), width, height), sel
    attribution = fl.locator(".leaflet-control-attribution").inner_text()
    assert "OpenStreetMap" in attribution and "Natural Earth" in attribution
    assert "GeoNames" in attribution
    # One scale bar, in km (an imperial second line sat half under the attribution).
    scale = fl.locator(".leaflet-control-scale-line")
    assert scale.count() == 1 and scale.inner_text().strip().endswith(("km", " m"))
    scale_box = _page_box(page, frame, ".leaflet-control-scale")
    credit_box = _page_box(page, frame, ".leaflet-control-attribution")
    assert scale_box["y"] + scale_box["height"] <= credit_box["y"] + 1 or \
        scale_box["x"] + scale_box["width"] <= credit_box["x"] + 1, (scale_box, credit_box)
    # The date's layers are in view: every area path's box meets the map's box.
    inside = frame.evaluate("""() => {
        const m = document.querySelector('.fl-timeline-map').getBoundingClientRect();
        const ps = Array.from(document.querySelectorAll('path.fl-area'));
        return [ps.length, ps.filter(p => { const r = p.getBoundingClientRect();
            return r.right > m.left && r.left < m.right && r.bottom > m.top
                && r.top < m.bottom && r.width > 0; }).length]; }""")
    assert inside[0] >= 1 and inside[1] == inside[0], inside
    # The stepping buttons keep their names.
    for name in ("previous change date", "previous day", "next day", "next change date"):
        assert fl.get_by_role("button", name=name).count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{width}x{height}.png"))
    assert not _foreign(urls), f"requests to other hosts: {_foreign(urls)[:5]}"
    page.close()


def test_scrubbing_redraws_in_the_browser_without_remount_or_round_trip(
        streamlit_server, chromium, dashboard_data_dir):
    from layers import Timeline, default_paths, load_layer_dir

    tl = Timeline(load_layer_dir(default_paths(dashboard_data_dir).layers).frame)
    dates = tl.change_dates("ukrainian_held")
    first = dates[len(dates) // 3]
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    urls = _record_hosts(page)
    frames_sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _f: frames_sent.append("x")))
    fl, frame = _open(page, f"{streamlit_server}/?date={first.isoformat()}")
    frame.evaluate("() => { window.flTimeline.map.setView([51.2, 35.4], 10, {animate: false});"
                   " window.flTimeline.map.__probe = 'same-map'; }")
    page.wait_for_timeout(1500)  # the bridge reports the view once
    # Silence the bridge (its one report after a pause may fall between slow clicks on a
    # busy machine): what is left to send would be the date changes' own round trips.
    frame.evaluate("() => { window.flTimeline.opts.bridge = false; }")
    view, before, sent = _view(frame), _shapes(frame), len(frames_sent)
    for _ in range(3):
        fl.get_by_role("button", name="next change date").click()
    assert _shapes(frame) != before
    assert frame.evaluate("() => window.flTimeline.map.__probe") == "same-map", "remounted"
    assert _view(frame) == view, "zoom/centre changed while scrubbing"
    assert len(frames_sent) == sent, "a date change waited for the server"
    # The address bar follows (written 120 ms after the last change; tests/test_url_sync.py
    # holds it to 500 ms).
    page.wait_for_function("d => location.search.includes('date=' + d)", arg=_drawn(frame),
                           timeout=5_000)
    assert not _foreign(urls), f"requests to other hosts: {_foreign(urls)[:5]}"
    page.close()


def test_a_typed_day_applies_on_enter(streamlit_server, chromium):
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    fl, frame = _open(page, f"{streamlit_server}/?date=2024-09-01")
    box = fl.locator("input.fl-date").first
    box.fill("2025-02-20")
    box.press("Enter")
    assert _drawn(frame) == "2025-02-20"
    assert fl.locator(".fl-panel-date").inner_text() == "20 February 2025"
    assert "20 Feb 2025" in fl.locator(".fl-changed").inner_text()
    page.wait_for_timeout(300)
    assert _url_day(page) == "2025-02-20"
    box.fill("2025-02-31")
    box.press("Enter")
    assert _drawn(frame) == "2025-02-20"  # a bad day is refused, shown in red
    assert "fl-bad" in box.get_attribute("class")
    page.close()


def test_the_scripts_stepping_is_the_navigation_modules(streamlit_server, chromium):
    """« change / change » in the browser land where views.navigation says they do."""
    from views import navigation as nav

    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    fl, frame = _open(page, f"{streamlit_server}/?date=2024-08-20")
    start = dt.date.fromisoformat(frame.evaluate("() => window.flTimeline.iso(0)"))
    changes = [start + dt.timedelta(days=i)
               for i in frame.evaluate("() => window.flTimeline.data.changes")]
    day = dt.date(2024, 8, 20)
    for forward in (True, True, False, True, False, False, False):
        fl.get_by_role("button", name="next change date" if forward else
                       "previous change date").click()
        day = nav.step_change(day, changes, forward)
        assert _drawn(frame) == day.isoformat()
    page.close()


def test_two_dates_side_by_side_with_synchronised_maps(streamlit_server, chromium):
    page = chromium.new_page(viewport={"width": 1920, "height": 1080})
    fl, frame = _open(page, f"{streamlit_server}/?date=2025-03-14&compare=2024-09-01")
    fl.locator("#fl-compare-map path.fl-area").first.wait_for(timeout=30_000)
    assert "14 Mar 2025" in fl.locator(".fl-panel-date").inner_text()
    assert "1 Sep 2024" in fl.locator(".fl-panel-date").inner_text()
    assert fl.locator(".fl-date-tag").count() == 2
    frame.evaluate("() => window.flTimeline.map.setView([51.3, 35.1], 11, {animate: false})")
    other = frame.evaluate("() => { const c = window.flTimeline.maps[1].getCenter(); "
                           "return [c.lat, c.lng, window.flTimeline.maps[1].getZoom()]; }")
    assert other == pytest.approx([51.3, 35.1, 11], abs=1e-6)
    page.wait_for_timeout(400)
    assert parse_qs(urlparse(page.url).query)["compare"] == ["2024-09-01"]
    # The server lists gained and lost ground between the two dates, under the map.
    page.get_by_text("From 14 Mar 2025 to 01 Sep 2024").wait_for(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "compare-1920x1080.png"))
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

def test_measuring_a_drawn_line(streamlit_server, chromium):
    """Draw a 3-point line with the polyline tool: its geodesic km is labelled on the map
    and listed right under it."""
    from shapely.geometry import LineString

    from geo.measurement import geodesic_length_km

    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    fl, frame = _open(page, f"{streamlit_server}/?date=2024-09-01")
    fl.locator("a.leaflet-draw-draw-polyline").click()
    box = fl.locator(".fl-timeline-map")
    for x, y in ((160, 200), (330, 260), (420, 400)):
        box.click(position={"x": x, "y": y})
        page.wait_for_timeout(250)
    fl.locator(".leaflet-draw-actions a", has_text="Finish").click()
    label = fl.locator(".fl-measure", has_text="line 1:")
    label.wait_for(timeout=30_000)
    coords = frame.evaluate("() => window.drawnItems.toGeoJSON().features[0].geometry")
    assert coords["type"] == "LineString" and len(coords["coordinates"]) == 3
    expected = geodesic_length_km(LineString(coords["coordinates"]))
    shown = float(label.inner_text().split("line 1:")[1].split("km")[0].replace(",", ""))
    assert abs(shown - expected) <= 0.005 + 1e-9, (shown, expected)
    assert "area" not in label.inner_text()
    listed = page.get_by_text("Measured on the WGS84 ellipsoid", exact=False)
    listed.wait_for(timeout=10_000)
    assert f"{expected:,.2f} km" in listed.inner_text()
    # Right under the map: on screen without scrolling.
    assert listed.bounding_box()["y"] < 1000
    page.close()


def _data_digest() -> str:
    import hashlib

    h = hashlib.sha256()
    for path in sorted((ROOT / "data").rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(ROOT)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _upload_feature(fid: str, status: str, layer: str = "my own front") -> dict:
    return {"type": "Feature", "properties": {
        "id": fid, "layer": layer, "status": status, "valid_from": "2024-08-10",
        "valid_to": None, "confidence": "low", "notes": "browser test upload",
        "sources": [{"claim_maker": "test", "outlet": "test", "date": "2024-08-10",
                     "figure": None}]},
        "geometry": {"type": "Polygon", "coordinates": [[[35.0, 51.4], [35.2, 51.4],
                                                         [35.2, 51.5], [35.0, 51.5],
                                                         [35.0, 51.4]]]}}


def test_upload_with_its_own_name_and_style_and_a_plain_geojson_explained(
        streamlit_server, chromium, tmp_path):
    from shapely.geometry import shape

    from geo.measurement import geodesic_area_km2

    before = _data_digest()
    good = tmp_path / "mine.geojson"
    feature = _upload_feature("mine-1", "held")
    good.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    plain = tmp_path / "plain.geojson"
    plain.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "x"}, "geometry": feature["geometry"]}]}))

    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{streamlit_server}/?date=2024-09-01")
    page.locator("[data-testid='stExpandSidebarButton'], "
                 "[data-testid='stSidebarCollapsedControl'] button").first.click()
    uploader = page.locator("[data-testid='stFileUploaderDropzoneInput']")
    uploader.set_input_files([str(good), str(plain)])
    fl = _rebuilt_map(page, "path.fl-upload")
    path = fl.locator("path.fl-upload")
    frame = _frame(page)
    fill = path.first.get_attribute("fill")
    official = frame.evaluate("() => Object.entries(window.flTimeline.data.styles)"
                              ".filter(([k]) => !k.startsWith('upload: '))"
                              ".map(([, v]) => v.fillColor)")
    assert fill not in official, "an upload is drawn in one of the project's colours"
    area = geodesic_area_km2(shape(feature["geometry"]))
    panel = fl.locator(".fl-panel").inner_text()
    assert "upload: my own front" in panel and f"{area:,.1f} km²" in panel
    assert "upload: my own front" in fl.locator(".fl-legend").inner_text()
    summary = page.get_by_text("Upload plain.geojson was not loaded", exact=False)
    summary.wait_for(timeout=30_000)
    # Summarised and collapsed: the map stays on screen.
    assert page.locator(MAP_IFRAME).bounding_box()["y"] < 400
    summary.click()
    page.get_by_text("is missing (required:", exact=False).first.wait_for(timeout=10_000)
    assert _data_digest() == before, "an upload changed files under data/"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload.png"))
    page.close()


def test_an_upload_after_the_address_was_written_is_shown(streamlit_server, chromium,
                                                          tmp_path):
    """The usual order: the map is open (its address names the layers shown), then a
    layer is uploaded. The rebuilt map reads the address, which never saw the upload: the
    upload is shown anyway, in the legend and the panel. One the user switched off stays
    off when a later upload rebuilds the map."""
    mine = tmp_path / "later.geojson"
    mine.write_text(json.dumps({"type": "FeatureCollection", "features": [
        _upload_feature("later-1", "held", layer="a later front")]}))
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    fl, _ = _open(page, f"{streamlit_server}/?date=2024-09-01")
    page.wait_for_function("() => new URLSearchParams(location.search).has('layers')")
    assert "upload" not in parse_qs(urlparse(page.url).query)["layers"][0]
    page.locator("[data-testid='stExpandSidebarButton'], "
                 "[data-testid='stSidebarCollapsedControl'] button").first.click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(mine))
    fl = _rebuilt_map(page, "path.fl-upload")
    assert "upload: a later front" in fl.locator(".fl-legend").inner_text()
    assert "upload: a later front" in fl.locator(".fl-panel").inner_text()
    page.wait_for_function("() => new URLSearchParams(location.search).get('layers')"
                           ".includes('upload: a later front')")
    # Switched off, it stays off when the next upload rebuilds the map; the new one shows.
    _frame(page).evaluate("() => window.flTimeline.toggleLayer('upload: a later front', false)")
    page.wait_for_function("() => !new URLSearchParams(location.search).get('layers')"
                           ".includes('upload: a later front')")
    second = tmp_path / "second.geojson"
    second.write_text(json.dumps({"type": "FeatureCollection", "features": [
        _upload_feature("second-1", "held", layer="a second front")]}))
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        [str(mine), str(second)])
    fl = _rebuilt_map(page, ".fl-legend", "upload: a second front")
    assert "upload: a later front" not in fl.locator(".fl-legend").inner_text()
    shown = _frame(page).evaluate("() => window.flTimeline.visible")
    assert "upload: a second front" in shown and "upload: a later front" not in shown
    page.close()


def test_play_advances_through_the_change_days_then_pause_stops(streamlit_server, chromium):
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    fl, frame = _open(page, f"{streamlit_server}/?date=2024-08-06")
    frame.evaluate("""() => { window.__seen = [];
        new MutationObserver(() => window.__seen.push(
            document.querySelector('.fl-app').dataset.drawn))
        .observe(document.querySelector('.fl-app'), {attributes: true,
                                                    attributeFilter: ['data-drawn']}); }""")
    fl.get_by_role("button", name="play through the change dates").click()
    page.wait_for_timeout(2000)
    fl.get_by_role("button", name="play through the change dates").click()  # pause
    seen = frame.evaluate("() => window.__seen")
    start = dt.date.fromisoformat(frame.evaluate("() => window.flTimeline.iso(0)"))
    changes = [(start + dt.timedelta(days=i)).isoformat()
               for i in frame.evaluate("() => window.flTimeline.data.changes")]
    assert len(seen) >= 6, seen  # 4 dates a second or more
    k = changes.index(seen[0])
    assert seen == changes[k:k + len(seen)], "play skipped or repeated a change day"
    stopped = _drawn(frame)
    page.wait_for_timeout(1000)
    assert _drawn(frame) == stopped, "the date kept moving after Pause"
    page.close()


def test_settlements_show_their_control_and_history_on_click(streamlit_server, chromium):
    """Every village of the fighting area is drawn coloured by the facts' control on the
    date; one click on a marker (the first) opens its history with every source."""
    from frontline_cli.build_cmd import controls_on, load_facts

    fb, _base = load_facts()
    day = "2025-03-14"
    sudzha = controls_on(dt.date.fromisoformat(day))["Sudzha"]
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    fl, frame = _open(page, f"{streamlit_server}/?date={day}")
    marker = fl.locator("path.fl-s-sudzha")
    marker.wait_for(timeout=60_000)
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
    strikes = [f for f in fb.about("Sudzha") if f.control == "strike" and f.date.isoformat() <= day]
    assert strikes and all(f.fact_id in text for f in strikes)  # shown, never read (rule 0)
    assert "strike report (not read as control)" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(500)  # Leaflet fades a popup in: the picture shows it opaque
    page.screenshot(path=str(ARTIFACTS / "settlement-history.png"))
    page.close()


#: The place names' boxes on screen: which are shown, and whether two shown ones overlap.
LABELS_JS = """() => {
  const shown = [], hidden = [];
  document.querySelectorAll('.fl-label').forEach(e => {
    const b = e.getBoundingClientRect();
    if (!b.width) { return; }
    (e.classList.contains('fl-hidden') ? hidden : shown).push(b);
  });
  let overlaps = 0;
  shown.forEach((a, i) => shown.slice(i + 1).forEach(b => {
    if (a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top) {
      overlaps += 1;
    }
  }));
  return {shown: shown.length, hidden: hidden.length, overlaps};
}"""


def test_place_names_never_overlap_and_come_back_when_zoomed_in(streamlit_server, chromium):
    """The map hides a name whose box overlaps a more important one (country, oblast, town,
    village, then population), at every zoom: zooming in shows the names that now fit."""
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    fl, frame = _open(page, f"{streamlit_server}/?date=2024-09-01&lat=51.2&lon=35.2&zoom=9")
    frame.wait_for_function("() => !!document.querySelector('.fl-app[data-decluttered]')")
    far = frame.evaluate(LABELS_JS)
    assert far["shown"] > 10 and far["hidden"] > 0 and far["overlaps"] == 0
    stamp = frame.evaluate("() => document.querySelector('.fl-app').dataset.decluttered")
    frame.evaluate("() => window.flTimeline.map.setZoom(12, {animate: false})")
    frame.wait_for_function("s => document.querySelector('.fl-app').dataset.decluttered"
                            " !== s", arg=stamp)
    near = frame.evaluate(LABELS_JS)
    assert near["overlaps"] == 0
    assert near["shown"] > far["shown"]  # the villages' names, which fit only closer in
    page.close()


def test_panel_compares_like_with_like_and_the_claims_table_opens(streamlit_server, chromium):
    """The panel lists only same-quantity figures within a week; the claims check opens
    with its verdict-first table and its filters."""
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    fl, _ = _open(page, f"{streamlit_server}/?date=2024-08-27")
    text = fl.locator(".fl-panel").inner_text()
    assert "Held + contested (Kursk oblast)" in text
    assert "Syrskyi, 27 Aug 2024 (same day), area under Ukrainian control: 1,294 km²" in text
    assert "no published figure within a week" in text
    # The difference carries its unit: km² for an area, settlements for a count.
    assert re.search(r"1,294 km²; the map then [\d,.]+ km², [+-][\d,.]+ km² "
                     r"\([+-][\d.]+ %\) — ", text), text
    # Kyiv's count of the same day sits with Kyiv's km², checked against the same ground.
    head = fl.locator(".fl-panel .fl-metric").first.inner_text()
    assert "Syrskyi, 27 Aug 2024 (same day), settlements under Ukrainian control: " \
           "100 settlements; the map then" in head
    fl.locator(".fl-next-day").click()
    assert "Syrskyi, 27 Aug 2024 (1 day away)" in fl.locator(".fl-panel").inner_text()
    # A tracker's held figure is also read against held ∪ contested, in the panel.
    fl, _ = _open(page, f"{streamlit_server}/?date=2025-03-13")
    text = fl.locator(".fl-panel").inner_text()
    assert re.search(r"DeepState, 13 Mar 2025 \(same day\), area under Ukrainian control: "
                     r"140 km²; the map then [\d.]+ km², .*; the map with the contested ground "
                     r"[\d,.]+ km²: the figure (lies between the two|is above both|"
                     r"is below both)", text), text
    page.get_by_text("Claims check: every published figure against the same quantity",
                     exact=False).click()
    page.get_by_text("computed from the map", exact=False).wait_for(timeout=60_000)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    assert page.get_by_text("Side", exact=True).count() >= 1
    assert page.get_by_text("Quantity", exact=True).count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "claims-check.png"), full_page=True)
    page.close()


def test_the_timeline_html_scrubs_offline(chromium, tmp_path,
                                                         dashboard_data_dir):
    """One exported file: every state, a slider, play, tooltips, legend, attribution; with
    the network blocked, moving the slider redraws the map and the panel."""
    from geo.claims_check import check_claims
    from geo.quantities import map_view
    from layers import load_dataset
    from views.timeline_data import dataset_timeline_data, timeline_data
    from views.timeline_html import export_timeline_html

    data = load_dataset(dashboard_data_dir)
    view = map_view(data)
    export = export_timeline_html(timeline_data(dataset_timeline_data(
        data, view, check_claims(view, data.claims))), data.base)
    path = tmp_path / export.name
    path.write_bytes(export.data)
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    blocked = block_network(page)
    page.goto(path.as_uri())
    page.locator(".fl-app[data-drawn]").wait_for(state="attached", timeout=30_000)
    assert blocked == []
    assert "Kursk front line" in page.title()
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    # Moving the slider redraws the map and the panel from the file alone (how fast is
    # benchmarks/bench_dashboard.py's job: a timing here would flake on a busy machine).
    before = page.evaluate("() => document.querySelectorAll('path.fl-area').length")
    page.evaluate("""() => { const s = document.querySelector('.fl-slider');
        s.value = '20'; s.dispatchEvent(new Event('input', {bubbles: true})); }""")
    day20 = (dt.date.fromisoformat(page.evaluate("() => window.flTimeline.iso(0)"))
             + dt.timedelta(days=20))
    assert page.locator(".fl-app").get_attribute("data-drawn") == day20.isoformat()
    assert page.locator(".fl-panel-date").inner_text() == f"{day20.day} {day20:%B %Y}"
    assert page.evaluate("() => document.querySelectorAll('path.fl-area').length") >= 1
    assert before >= 1
    assert page.locator(".fl-legend").inner_text().startswith("Legend")
    hover_visible(page, "path.fl-area")
    page.locator(".leaflet-tooltip").first.wait_for(timeout=5_000)
    page.get_by_role("button", name="play through the change dates").click()
    page.wait_for_timeout(800)
    assert "Pause" in page.locator(".fl-play").inner_text()
    assert "date=" in page.url  # the file's own permalink (#date=...)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "timeline-html.png"))
    page.close()
