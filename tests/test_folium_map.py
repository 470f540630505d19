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
    assert len(groups) == 2
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
