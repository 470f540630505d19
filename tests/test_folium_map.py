"""The folium map builder: local assets only, escaped text, a base map that never changes."""

from __future__ import annotations

import datetime as dt
import re

import geopandas as gpd
import pytest
from shapely.geometry import Point, box
from streamlit_folium import _get_map_string, generate_js_hash

from layers import Timeline, default_paths, read_base
from views import assets
from views import folium_map as fm
from views.styles import LEGEND, STYLE, style_for

XSS = '<img src=x onerror="window.top.__xss=1">'


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
    ]
    return Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326"))


def _html(m) -> str:
    return m.get_root().render()


def test_only_local_assets(base, timeline):
    html = _html(fm.build_map(timeline, base, "2024-08-10", asset_base_url="/vendor",
                              draw=True))
    urls = set(re.findall(r"(?:src|href)=\"([^\"]+)\"", html))
    assert urls == {"/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css",
                    "/vendor/leaflet-draw/leaflet.draw.js",
                    "/vendor/leaflet-draw/leaflet.draw.css"}
    assert not re.findall(r"https?://", html)


def test_online_tiles_are_offered_but_off(base, timeline):
    html = _html(fm.build_map(timeline, base, "2024-08-10", asset_base_url="/v",
                              online_tiles=True))
    assert "tile.openstreetmap.org" in html
    tile_var = re.search(r"var (tile_layer_\w+) = L\.tileLayer", html).group(1)
    assert f"{tile_var}.addTo(" not in html


def test_hostile_strings_are_escaped(base, timeline):
    html = _html(fm.build_map(timeline, base, "2024-08-10", asset_base_url="/v"))
    assert XSS not in html
    assert "<script>x()" not in html
    tip = fm.layer_geojson(timeline.state("ukrainian_held", "2024-08-10"))["features"][0]
    assert "&lt;img src=x onerror=" in tip["properties"]["tip"]
    assert "&lt;/script&gt;&lt;script&gt;x()" in tip["properties"]["popup"]


def test_check_can_fail():
    # The escaping check above would catch an unescaped tooltip.
    assert XSS in f"<b>{XSS}</b>"


def test_base_map_script_is_identical_between_runs(base):
    """streamlit-folium keeps the mounted map only while this hash stays the same."""
    hashes = {generate_js_hash(_get_map_string(fm.base_map(base, asset_base_url="/v")), "map")
              for _ in range(2)}
    assert len(hashes) == 1


def test_date_groups(timeline):
    groups = fm.date_feature_groups(timeline, "2024-08-06", ["ukrainian_held", "events"])
    assert len(groups) == 3  # held, events, legend rows
    fc = fm.layer_geojson(timeline.state("ukrainian_held", "2024-08-06"))
    assert len(fc["features"]) == 1
    assert set(fc["features"][0]["properties"]) == {"layer", "status", "day", "tip", "popup"}
    assert fm.date_feature_groups(timeline, "2024-08-10", ["events"]) != []


def test_styles_cover_legend():
    for _, layer, status in LEGEND:
        assert (layer, status) in STYLE
        assert re.fullmatch(r"#[0-9a-f]{6}", style_for(layer, status)["fill"])


def test_asset_files_exist_and_have_licences():
    for _, _, path in assets.asset_files():
        assert path.is_file() and path.stat().st_size > 1000
    assert (assets.VENDOR_DIR / "leaflet" / "LICENSE").is_file()
    assert (assets.VENDOR_DIR / "leaflet-draw" / "LICENSE").is_file()


def test_legend_lists_only_what_is_drawn(base, timeline):
    html = _html(fm.build_map(timeline, base, "2024-08-10", ["ukrainian_held"],
                              asset_base_url="/v"))
    assert "Ukrainian-held (Kursk oblast)" in html
    assert "Claimed by Russia" not in html and "Sudzha pocket" not in html
    assert "<details" not in html  # built in the browser, collapsible (see JS)
    assert 'create("details", "fl-legend")' in html
    assert fm.legend_html([]) == ""
    rows = fm.legend_html([("upload: contested", "contested")], ["lost"])
    assert "upload: Contested" in rows and "lost since previous state" in rows
    assert "dashed outline" in rows
    assert XSS not in fm.legend_html([(XSS, "held")])


def test_app_base_map_loads_the_basemap_by_url(base):
    """The dashboard's map script is small and names the basemap file instead of embedding."""
    url = "/app/static/cache/basemap-x.js"
    small = fm.base_map(base, asset_base_url="/v", basemap_url=url)
    script = _get_map_string(small)
    assert len(script) < 15_000
    assert "Sudzha" not in script  # no settlement label inside
    assert url in [src for _, src in small.default_js]
    full = _get_map_string(fm.base_map(base, asset_base_url="/v"))
    assert "Sudzha" in full and len(full) > 50_000
    js = fm.basemap_js(fm.base_display(base))
    assert js.startswith("window.FL_BASEMAP=") and "Sudzha" in js


def test_published_asset_is_written_once(tmp_path):
    url = assets.publish("basemap", "window.x=1;", folder=tmp_path, base_url="/c")
    (path,) = tmp_path.glob("basemap-*.js")
    assert url == f"/c/{path.name}"
    mtime = path.stat().st_mtime_ns
    assert assets.publish("basemap", "window.x=1;", folder=tmp_path, base_url="/c") == url
    assert path.stat().st_mtime_ns == mtime
    assert assets.publish("basemap", "window.x=2;", folder=tmp_path, base_url="/c") != url


def _ids_masked(html: str) -> str:
    """Folium names every element with a random 32-hex id; mask them to compare two maps."""
    return re.sub(r"[0-9a-f]{32}", "<id>", html)


def test_shared_templates_change_no_output(base, timeline):
    from views import template_cache

    day = "2024-08-06"
    assert template_cache.installed()
    cached = _ids_masked(_html(fm.build_map(timeline, base, day, asset_base_url="/v")))
    template_cache.uninstall()
    try:
        plain = _ids_masked(_html(fm.build_map(timeline, base, day, asset_base_url="/v")))
    finally:
        template_cache.install()
    assert cached == plain
    assert "<id>" in cached and "fl-area" in cached  # the comparison is of real maps


def test_the_live_map_credits_its_sources():
    from views.folium_map import ATTRIBUTION, base_map

    html = base_map(None, display={"countries": {"type": "FeatureCollection", "features": []},
                                   "oblasts": {"type": "FeatureCollection", "features": []},
                                   "border": {"type": "FeatureCollection", "features": []},
                                   "labels": []}).get_root().render()
    assert "addAttribution" in html and "OpenStreetMap contributors (ODbL)" in html
    assert "GeoNames" in ATTRIBUTION and "Natural Earth" in ATTRIBUTION
