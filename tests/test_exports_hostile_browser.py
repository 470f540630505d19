"""Hostile strings in a standalone HTML export stay text in a real browser (issue 6).

Each payload sits in a name, a note and a source of one polygon. The export is
opened from file:// in Debian chromium with every network request blocked; the
tooltip is hovered and the popup opened, and no payload may run.
"""

from __future__ import annotations

import json

import pytest

from harness.chromium import block_network
from layers import Timeline, parse_layer_bytes, read_base
from layers.paths import default_paths
from views.exporters import export_html

PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    '</script><script>window.__xss=2</script>',
    '"><svg onload="window.__xss=3">',
    "javascript:window.__xss=4",
]
DAY = "2024-09-01"


def _timeline() -> Timeline:
    ring = [[35.15, 51.12], [35.40, 51.12], [35.40, 51.28], [35.15, 51.28], [35.15, 51.12]]
    joined = " ".join(PAYLOADS)
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
               "properties": {
                   "id": "hostile-1", "layer": "ukrainian_held", "status": "held",
                   "valid_from": "2024-08-06", "valid_to": None, "confidence": "low",
                   "name": joined, "notes": joined,
                   "sources": [{"claim_maker": p, "outlet": p, "date": "2024-08-10",
                                "figure": p} for p in PAYLOADS]}}
    doc = {"type": "FeatureCollection", "features": [feature]}
    return Timeline(parse_layer_bytes(json.dumps(doc).encode(), "hostile.geojson"))


@pytest.mark.browser
def test_hostile_strings_do_not_run_in_the_html_export(tmp_path, chromium):
    path = tmp_path / "hostile.html"
    path.write_bytes(export_html(_timeline(), read_base(default_paths().base), DAY).data)
    context = chromium.new_context()
    dialogs, errors, blocked = [], [], []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))

        blocked = block_network(page)
        page.goto(path.as_uri())
        area = page.locator("path.leaflet-interactive").first
        area.wait_for(timeout=15_000)
        area.hover(force=True)
        page.wait_for_selector(".leaflet-tooltip", timeout=5_000)
        tooltip = page.locator(".leaflet-tooltip").first.inner_text()
        area.click(force=True)
        page.wait_for_selector(".leaflet-popup-content", timeout=5_000)
        popup = page.locator(".leaflet-popup-content").first.inner_text()
        page.wait_for_timeout(300)
        xss = page.evaluate("() => window.__xss")
        injected = page.evaluate(
            "() => document.querySelectorAll('.leaflet-popup-content img, "
            ".leaflet-popup-content svg, .leaflet-tooltip img, .leaflet-tooltip svg').length")
    finally:
        context.close()
    assert xss is None, f"a payload ran (window.__xss = {xss})"
    assert not dialogs and not errors, (dialogs, errors)
    assert injected == 0
    # The payloads are shown as the literal text they are.
    assert PAYLOADS[0] in popup and PAYLOADS[1] in popup
    assert PAYLOADS[0] in tooltip or PAYLOADS[0][:20] in tooltip
    assert not blocked, blocked


@pytest.mark.browser
def test_the_check_can_fail_on_an_unescaped_payload(tmp_path, chromium):
    # Control: the same detection sees a payload that is NOT escaped run.
    path = tmp_path / "raw.html"
    path.write_text(f"<html><body><div>{PAYLOADS[0]}</div></body></html>")
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function("() => window.__xss !== undefined", timeout=5_000)
        assert page.evaluate("() => window.__xss") == 1
    finally:
        context.close()
