"""The map assembly (views.timeline_control.timeline_map on views.folium_map.base_map, fed by
views.timeline_data): local assets only, escaped text, a live map script that never changes."""

from __future__ import annotations

import datetime as dt
import json
import re

import geopandas as gpd
import pytest
from shapely.geometry import Point, box
from streamlit_folium import _get_map_string, generate_js_hash

from layers import Timeline, default_paths, read_base
from views import assets
from views import folium_map as fm
from views.styles import LEGEND, STYLE, style_for
from views.timeline_control import OWN_DIR, InitialState, timeline_map
from views.timeline_data import TimelineData, timeline_data

XSS = '<img src=x onerror="window.top.__xss=1">'
START, END = dt.date(2024, 8, 6), dt.date(2024, 9, 30)
#: What the dashboard links (served from static/cache/ under `streamlit run`).
PAYLOAD_URL = "/c/timeline-x.js"
BASEMAP_URL = "/c/basemap-x.js"


@pytest.fixture(scope="module")
def base():
    return read_base(default_paths().base)


@pytest.fixture(scope="module")
def timeline():
    rows = [
        {'id': "a", 'layer': "ukrainian_held", 'status': "held", 'valid_from': dt.date(2024, 8, 6),
             'valid_to': dt.date(2024, 9, 1), 'name': XSS, 'notes': "</script><script>x()</script>",
             'confidence': "high", 'sources': [{"claim_maker": XSS, "outlet": "o",
                                          "date": "2024-08-06", "figure": None}],
             'geometry': box(35.1, 51.1, 35.4, 51.3)},
        {'id': "b", 'layer': "ukrainian_held", 'status': "held", 'valid_from': dt.date(2024, 9, 1),
             'valid_to': None, 'name': "b", 'notes': "", 'confidence': "low", 'sources': [],
             'geometry': box(35.1, 51.1, 35.5, 51.35)},
        {'id': "e", 'layer': "events", 'status': "held", 'valid_from': dt.date(2024, 8, 6),
             'valid_to': dt.date(2024, 8, 7), 'name': "ev", 'notes': "", 'confidence': "low",
             'sources': [],
             'kind': "capture", 'geometry': Point(35.2, 51.2)},
        # An uploaded layer may carry any name: its legend row must show it as text.
        {'id': "u", 'layer': f"upload: {XSS}", 'status': "held", 'valid_from': dt.date(2024, 8, 6),
             'valid_to': None, 'name': "u", 'notes': "", 'confidence': "low", 'sources': [],
             'geometry': box(35.6, 51.1, 35.7, 51.2)},
    ]
    return Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326"))


@pytest.fixture(scope="module")
def payload(timeline):
    return timeline_data(TimelineData(timeline, START, END))


def _live_map(base, **kwargs):
    """The dashboard's map: states and basemap linked by URL."""
    args = {"initial": InitialState("2024-08-10"), "asset_base_url": "/vendor",
            "own_base_url": "/js", "payload_url": PAYLOAD_URL, "basemap_url": BASEMAP_URL}
    return timeline_map(base, **(args | kwargs))


def _export_map(base, payload, **kwargs):
    """A map with everything embedded (states and basemap), as the HTML exports build it."""
    args = {"initial": InitialState("2024-08-10"), "asset_base_url": "/v",
            "own_base_url": "/js", "payload": payload}
    return timeline_map(base, **(args | kwargs))


def _html(m) -> str:
    return m.get_root().render()


def test_only_local_assets(base):
    html = _html(_live_map(base, draw=True))
    urls = {u.split("?v=")[0] for u in re.findall(r"(?:src|href)=\"([^\"]+)\"", html)}
    assert urls == {"/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css",
                    "/vendor/leaflet-draw/leaflet.draw.js",
                    "/vendor/leaflet-draw/leaflet.draw.css",
                    "/js/frontline-timeline.js", PAYLOAD_URL, BASEMAP_URL}
    assert "fl-timeline-map" in html.split("</head>")[0]  # the control's own CSS, inline
    assert not re.findall(r"https?://", html)


def test_an_embedded_map_links_nothing_online(base, payload):
    html = _html(_export_map(base, payload))
    assert "window.FL_TIMELINE=" in html and "window.FL_BASEMAP = " in html
    assert PAYLOAD_URL not in html and BASEMAP_URL not in html
    assert not re.findall(r"https?://", html)


def test_online_tiles_are_offered_but_off(base):
    html = _html(_live_map(base, online_tiles=True))
    assert "tile.openstreetmap.org" in html
    tile_var = re.search(r"var (tile_layer_\w+) = L\.tileLayer", html).group(1)
    assert f"{tile_var}.addTo(" not in html
    assert "tile.openstreetmap.org" not in _html(_live_map(base))


def test_hostile_strings_are_escaped(base, timeline, payload):
    texts = payload["texts"]
    assert not [t for t in texts if XSS in t or "<script>" in t]
    assert any("&lt;img src=x onerror=" in t for t in texts)
    assert any("&lt;/script&gt;&lt;script&gt;x()" in t for t in texts)
    tip = fm.layer_geojson(timeline.state("ukrainian_held", "2024-08-10"))["features"][0]
    assert "&lt;img src=x onerror=" in tip["properties"]["tip"]
    assert "&lt;/script&gt;&lt;script&gt;x()" in tip["properties"]["popup"]
    legend = payload["legend"][f"upload: {XSS}|held"]
    assert XSS not in legend and "upload: &lt;img src=x onerror=" in legend
    # Embedded in a page, no data string can close the script it sits in.
    html = _html(_export_map(base, payload))
    assert XSS not in html and "<script>x()" not in html
    assert "</script><script>x()" not in html


def test_check_can_fail():
    # The escaping checks above would catch an unescaped tooltip or legend row.
    assert XSS in f"<b>{XSS}</b>"
    assert "<script>x()" in json.dumps({"notes": "</script><script>x()</script>"})


def test_live_map_script_is_identical_between_runs(base):
    """streamlit-folium keeps the mounted map only while this hash stays the same."""
    hashes = {generate_js_hash(_get_map_string(_live_map(base, draw=True, online_tiles=True)),
                               "map")
              for _ in range(2)}
    assert len(hashes) == 1
    other = _live_map(base, initial=InitialState("2024-09-01"))
    assert generate_js_hash(_get_map_string(other), "map") not in hashes  # can fail


def test_display_geojson(timeline):
    fc = fm.layer_geojson(timeline.state("ukrainian_held", "2024-08-06"))
    assert len(fc["features"]) == 1
    assert set(fc["features"][0]["properties"]) == {"layer", "status", "day", "tip", "popup"}
    assert fm.fc_pairs(fc) == {("ukrainian_held", "held")}
    assert fm.layer_geojson(timeline.state("events", "2024-08-10"))["features"] == []


def test_styles_cover_legend():
    for _, layer, status in LEGEND:
        assert (layer, status) in STYLE
        assert re.fullmatch(r"#[0-9a-f]{6}", style_for(layer, status)["fill"])


def test_asset_files_exist_and_have_licences():
    for _, _, path in assets.asset_files():
        assert path.is_file() and path.stat().st_size > 1000
    assert (assets.VENDOR_DIR / "leaflet" / "LICENSE").is_file()
    assert (assets.VENDOR_DIR / "leaflet-draw" / "LICENSE").is_file()


def test_legend_lists_only_what_is_drawn(payload):
    rows = payload["legend"]
    assert set(rows) == {"ukrainian_held|held", "events|held", f"upload: {XSS}|held"}
    assert "Ukrainian-held (Kursk oblast)" in rows["ukrainian_held|held"]
    text = "".join(rows.values())
    assert "Claimed by Russia" not in text and "Sudzha pocket" not in text
    assert "<details" not in text  # built in the browser, collapsible (see the script)
    assert 'create("details", "fl-legend")' in (OWN_DIR / "frontline-timeline.js").read_text()
    assert fm.legend_html([]) == ""
    rows = fm.legend_html([("upload: contested", "contested")], ["lost"])
    assert "upload: Contested" in rows and "lost since previous state" in rows
    assert "dashed outline" in rows
    assert XSS not in fm.legend_html([(XSS, "held")])


def test_app_base_map_loads_the_basemap_by_url(base):
    """The dashboard's map script is small and names the basemap file instead of embedding."""
    small = _live_map(base)
    script = _get_map_string(small)
    assert len(script) < 15_000
    assert "Sudzha" not in script  # no settlement label inside
    assert BASEMAP_URL in [src for _, src in small.default_js]
    full = _get_map_string(timeline_map(base, initial=InitialState("2024-08-10"),
                                        asset_base_url="/v", own_base_url="/js",
                                        payload_url=PAYLOAD_URL))
    assert "Sudzha" in full and len(full) > 50_000
    js = fm.basemap_js(fm.base_display(base))
    assert js.startswith("window.FL_BASEMAP=") and "Sudzha" in js
    # A second place of a taken name is labelled by its name; its GeoNames id, which
    # only tells the gazetteer's rows apart, stays in the data.
    assert "Mykolaivka (GeoNames" in base.settlements["name"].str.cat(sep="|")
    assert "(GeoNames" not in js


def test_published_asset_is_written_once(tmp_path):
    url = assets.publish("basemap", "window.x=1;", folder=tmp_path, base_url="/c")
    (path,) = tmp_path.glob("basemap-*.js")
    assert url == f"/c/{path.name}"
    inode = path.stat().st_ino
    assert assets.publish("basemap", "window.x=1;", folder=tmp_path, base_url="/c") == url
    assert path.stat().st_ino == inode  # not rewritten (a rewrite replaces the file)
    assert assets.publish("basemap", "window.x=2;", folder=tmp_path, base_url="/c") != url


def _ids_masked(html: str) -> str:
    """Folium names every element with a random 32-hex id; mask them to compare two maps."""
    return re.sub(r"[0-9a-f]{32}", "<id>", html)


def test_shared_templates_change_no_output(base, payload):
    from views import template_cache

    assert template_cache.installed()
    cached = _ids_masked(_html(_export_map(base, payload, draw=True, online_tiles=True)))
    template_cache.uninstall()
    try:
        plain = _ids_masked(_html(_export_map(base, payload, draw=True, online_tiles=True)))
    finally:
        template_cache.install()
    assert cached == plain
    assert "<id>" in cached and "fl-area" in cached  # the comparison is of real maps


def test_the_live_map_credits_its_sources():
    from views.folium_map import ATTRIBUTION

    empty = {"type": "FeatureCollection", "features": []}
    m = timeline_map(None, initial=InitialState("2024-08-10"), asset_base_url="/v",
                     own_base_url="/js", payload_url=PAYLOAD_URL,
                     display={"countries": empty, "oblasts": empty, "border": empty,
                              "labels": []})
    html = _html(m)
    assert "addAttribution" in html and "OpenStreetMap contributors (ODbL)" in html
    assert "GeoNames" in ATTRIBUTION and "Natural Earth" in ATTRIBUTION
