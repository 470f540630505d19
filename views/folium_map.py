"""The folium map the dashboard and the HTML exports draw on, and the texts it shows.

Pure: takes frames and geometries (from ``layers/``), returns folium objects and
JSON-ready data. Never reads a file.

- :func:`base_map`: the folium map (local Leaflet assets, the offline basemap's data,
  measuring tools, optional online tiles, the sources' credit) on which
  :mod:`views.timeline_control` mounts the browser's timeline control. Built
  identically on every run, so streamlit-folium keeps the mounted map.
- :func:`base_display` / :func:`basemap_js`: the offline basemap's drawing data (and
  the static script the dashboard serves them in).
- :func:`layer_geojson`, :func:`feature_tooltip_html`, :func:`feature_popup_html`,
  :func:`legend_html`, :func:`fc_pairs`: the display GeoJSON, tooltips, popups and
  legend rows of the layers, which :mod:`views.timeline_data` puts in the payload.
- :func:`measure_labels`: the labels of the shapes a user measured.

Every string from the data reaches the browser either HTML-escaped (tooltips,
popups, legend) or through ``textContent`` (settlement labels): a name such as
``<img src=x onerror=...>`` is shown as text, never parsed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template
from shapely.geometry.base import BaseGeometry

from geo.simplify import simplify_for_display
from layers.schema import LAYER_LABELS
from views import assets, template_cache
from views.styles import (
    ATTRIBUTION,
    BASE_STYLE,
    CHANGE_STYLE,
    LEGEND,
    STATUS_LABELS,
    UPLOAD_PREFIX,
    is_upload,
    style_for,
)
from views.text import map_label

__all__ = [
    "BASEMAP_GLOBAL", "DEFAULT_CENTER", "DEFAULT_ZOOM", "base_display", "base_map",
    "basemap_js", "fc_pairs", "feature_popup_html", "feature_tooltip_html", "layer_geojson",
    "layer_label", "legend_html", "measure_labels",
]

template_cache.install()

#: Centre (lat, lon) and zoom of the opening view: Sudzha and the Sumy border.
DEFAULT_CENTER = (51.25, 35.3)
DEFAULT_ZOOM = 9
#: Decimal places kept in displayed coordinates (5: about 1 m).
_DECIMALS = 5
#: Simplification tolerances (m) for drawing; measuring always uses the originals.
DISPLAY_TOLERANCE_M = 25.0
BASE_TOLERANCE_M = 150.0



def layer_label(layer: str) -> str:
    """Return a human label for a layer id (uploaded layers keep their ``upload:`` prefix).

    Examples
    --------
    >>> layer_label("sudzha_pocket"), layer_label("upload: contested")
    ('Sudzha pocket', 'upload: Contested / grey zone')
    """
    if is_upload(layer):
        return UPLOAD_PREFIX + layer_label(layer[len(UPLOAD_PREFIX):])
    return LAYER_LABELS.get(layer, layer)


# --------------------------------------------------------------------------- text

def _esc(value: Any) -> str:
    """HTML-escaped text of a property ('' for missing)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return html.escape(str(value), quote=True)


def _date_text(value: Any) -> str:
    if value is None or (not isinstance(value, str | dt.date) and pd.isna(value)):
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _dates(row: Mapping) -> str:
    start = _date_text(row.get("valid_from"))
    end = _date_text(row.get("valid_to"))
    return f"{_esc(start)} – {_esc(end) if end else 'still in force'}"


def _sources(row: Mapping) -> list[dict]:
    src = row.get("sources")
    return [s for s in src if isinstance(s, Mapping)] if isinstance(src, list) else []


def _source_line(src: Mapping) -> str:
    parts = [_esc(src.get("claim_maker")), _esc(src.get("outlet")), _esc(src.get("date"))]
    line = ", ".join(p for p in parts if p)
    if src.get("figure") not in (None, ""):
        line += f" ({_esc(src.get('figure'))})"
    return line


def feature_tooltip_html(row: Mapping, *, max_sources: int = 3) -> str:
    """Tooltip HTML of one feature: name, layer and status, dates, confidence, sources.

    Every value is HTML-escaped.

    Examples
    --------
    >>> tip = feature_tooltip_html({"id": "x", "name": "<b>Sudzha</b>", "layer": "contested",
    ...     "status": "contested", "valid_from": dt.date(2025, 3, 1), "valid_to": None,
    ...     "confidence": "high", "sources": [{"claim_maker": "ISW", "outlet": "<i>",
    ...     "date": "2025-03-01", "figure": None}]})
    >>> "<b>Sudzha" in tip, "&lt;b&gt;Sudzha&lt;/b&gt;" in tip, "&lt;i&gt;" in tip
    (False, True, True)
    """
    title = _esc(row.get("name")) or _esc(row.get("id"))
    status = STATUS_LABELS.get(str(row.get("status")), _esc(row.get("status")))
    lines = [f"<b>{title}</b>",
             f"{_esc(layer_label(str(row.get('layer', ''))))} · {status}",
             f"{_dates(row)}",
             f"confidence: {_esc(row.get('confidence'))}"]
    srcs = _sources(row)
    for src in srcs[:max_sources]:
        lines.append(f"source: {_source_line(src)}")
    if len(srcs) > max_sources:
        lines.append(f"… and {len(srcs) - max_sources} more (click)")
    return "<br>".join(lines)


def feature_popup_html(row: Mapping) -> str:
    """Popup HTML of one feature: the tooltip's facts, every source and the notes (escaped).

    Examples
    --------
    >>> pop = feature_popup_html({"id": "x", "layer": "events", "status": "held",
    ...     "notes": "</script><script>alert(1)</script>", "sources": []})
    >>> "<script>" in pop, "&lt;/script&gt;&lt;script&gt;" in pop
    (False, True)
    """
    head = feature_tooltip_html(row, max_sources=0)
    srcs = "".join(f"<li>{_source_line(s)}</li>" for s in _sources(row))
    notes = _esc(row.get("notes"))
    body = f"{head}<br>id: <code>{_esc(row.get('id'))}</code>"
    if srcs:
        body += f"<br>Sources:<ul style='margin:2px 0 2px 16px;padding:0'>{srcs}</ul>"
    if notes:
        body += f"<div style='max-width:340px;white-space:normal'>{notes}</div>"
    return body


# --------------------------------------------------------------------------- geometry

def _round_coords(geoms: np.ndarray, decimals: int = _DECIMALS) -> np.ndarray:
    return shapely.transform(geoms, lambda xy: np.round(xy, decimals))


def layer_geojson(frame: gpd.GeoDataFrame, *, tolerance_m: float = DISPLAY_TOLERANCE_M
                  ) -> dict:
    """Return a display FeatureCollection of ``frame``'s features (simplified, rounded, escaped).

    Properties are only ``layer``, ``status``, ``day`` (valid_from, ISO), ``tip`` and
    ``popup`` (escaped HTML); the raw text of the data never reaches the browser
    unescaped. Geometry is simplified with
    :func:`geo.simplify.simplify_for_display` and rounded to 5 decimals (~1 m):
    for drawing only, never for measuring.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> frame = gpd.GeoDataFrame([dict(id="a", layer="contested", status="contested",
    ...     valid_from=dt.date(2025, 3, 1), valid_to=None, name="<x>", sources=[],
    ...     confidence="low", notes="")], geometry=[box(35, 51, 35.1, 51.1)], crs="EPSG:4326")
    >>> fc = layer_geojson(frame)
    >>> props = fc["features"][0]["properties"]
    >>> props["status"], "&lt;x&gt;" in props["tip"]
    ('contested', True)
    """
    if not len(frame):
        return {"type": "FeatureCollection", "features": []}
    geoms = frame.geometry
    polygonal = geoms.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    values = geoms.to_numpy().copy()
    if polygonal.any() and tolerance_m > 0:
        values[polygonal] = simplify_for_display(
            gpd.GeoSeries(values[polygonal], crs=frame.crs), tolerance_m).to_numpy()
    values = _round_coords(values)
    features = []
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    for n, (row, geom) in enumerate(zip(records, values, strict=True)):
        if geom is None or geom.is_empty:
            continue
        features.append({
            "type": "Feature",
            # A generated id: folium keys its style table on it, and the data's own id
            # (any string) must not end up in generated JavaScript.
            "id": f"f{n}",
            "properties": {
                "layer": str(row.get("layer", "")),
                "status": str(row.get("status", "")),
                "day": _date_text(row.get("valid_from")),
                "tip": feature_tooltip_html(row),
                "popup": feature_popup_html(row),
            },
            "geometry": json.loads(shapely.to_geojson(geom)),
        })
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- base map

#: Name of the global holding the basemap's drawing data in the browser.
BASEMAP_GLOBAL = "FL_BASEMAP"


def basemap_js(display: dict) -> str:
    """Return a small script defining ``window.FL_BASEMAP`` (the :func:`base_display` data).

    The dashboard serves it as a static file (loaded once by URL, then cached by the
    browser), so the map component's arguments stay small and identical on every run.

    Examples
    --------
    >>> basemap_js({"labels": []})
    'window.FL_BASEMAP={"labels":[]};'
    """
    return f"window.{BASEMAP_GLOBAL}={json.dumps(display, separators=(',', ':'))};"


class _BasemapData(MacroElement):
    """Only defines ``window.FL_BASEMAP`` (the timeline control draws it, on both maps)."""

    _template = Template("""
{% macro script(this, kwargs) %}
window.FL_BASEMAP = {{ this.display|tojson }};
{% endmacro %}
""")

    def __init__(self, display: dict):
        super().__init__()
        self._name = "BasemapData"
        self.display = display


class _MapSetup(MacroElement):
    """Credit the basemap's sources, and let the first click on a small marker land on it.

    - The attribution control names OpenStreetMap (ODbL), Natural Earth and GeoNames.
    - The scale bar is metric only: every distance the product shows is in km (folium's
      ``control_scale`` adds a second, imperial bar, which the attribution half hid).

    - Leaflet's keyboard handler focuses the map on the first press; inside the
      dashboard's iframe that scrolls the page when the map is not wholly in view, so
      the press ends on whatever then lies under the pointer and the click is lost.
      Focus without scrolling instead.
    - Leaflet.draw's ``touchExtend`` handler is kept off except while drawing (it too
      can end a press on the shape under a marker). See
      https://github.com/Leaflet/Leaflet.draw/issues/789 and IITC-CE pull request 175.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function (m) {
    L.control.scale({imperial: false, maxWidth: 150}).addTo(m);
    if (m.attributionControl) {
        m.attributionControl.addAttribution({{ this.attribution|tojson }});
    }
    if (m.keyboard) {
        var kb = m.keyboard;
        L.DomEvent.off(m._container, "mousedown", kb._onMouseDown, kb);
        kb._onMouseDown = function () {
            if (this._focused) { return; }
            this._map._container.focus({preventScroll: true});
        };
        L.DomEvent.on(m._container, "mousedown", kb._onMouseDown, kb);
    }
    if (m.touchExtend) {
        m.touchExtend.disable();
        m.on("draw:drawstart", function () { m.touchExtend.enable(); });
        m.on("draw:drawstop", function () { m.touchExtend.disable(); });
    }
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "MapSetup"
        self.attribution = ATTRIBUTION


def _swatch(st: Mapping, *, round_: bool = False) -> str:
    border = "dashed" if st.get("dash") else "solid"
    shape = "border-radius:50%;" if round_ else ""
    return (f"<span class='fl-swatch' style='{shape}background:{st['fill']};"
            f"border:2px {border} {st['line']};"
            f"opacity:{min(1.0, st['fill_opacity'] + 0.35):.2f}'></span>")


def fc_pairs(fc: Mapping) -> set[tuple[str, str]]:
    """Return the ``(layer, status)`` pairs a display FeatureCollection draws.

    Examples
    --------
    >>> fc_pairs({"features": [{"properties": {"layer": "contested", "status": "held"}}]})
    {('contested', 'held')}
    """
    return {(str(f["properties"].get("layer", "")), str(f["properties"].get("status", "")))
            for f in fc.get("features", [])}


def legend_html(pairs: Iterable[tuple[str, str]], change_kinds: Iterable[str] = (),
                extra_rows: str = "", *, note: bool = True) -> str:
    """Return legend rows for the ``(layer, status)`` pairs on the map (and gained/lost).

    In :data:`views.styles.LEGEND` order, then any other layer (e.g. an upload);
    labels are HTML-escaped. ``extra_rows`` (ready HTML, e.g. the settlement markers'
    rows) come after the areas. An empty string when nothing is drawn. ``note=False``
    leaves out the line on dashed outlines (for a caller that adds it once itself).

    Examples
    --------
    >>> rows = legend_html([("sudzha_pocket", "held"), ("contested", "contested")])
    >>> rows.index("Contested") > rows.index("Sudzha"), "Claimed by Russia" in rows
    (True, False)
    >>> legend_html([])
    ''
    """
    order = {layer: (n, status) for n, (_, layer, status) in enumerate(LEGEND)}
    labels = {layer: label for label, layer, _ in LEGEND}
    rows, dashed = [], False

    def key(pair: tuple[str, str]) -> tuple:
        layer, status = pair
        n, main = order.get(layer, (len(LEGEND), ""))
        return (n, layer, status != main, status)

    for layer, status in sorted(set(pairs), key=key):
        st = style_for(layer, status)
        dashed = dashed or bool(st["dash"])
        label = labels.get(layer, layer_label(layer))
        main = order.get(layer, (0, None))[1]
        if status != main:
            label = f"{label}: {STATUS_LABELS.get(status, status)}"
        rows.append(f"<div>{_swatch(st, round_=layer == 'events')}{html.escape(label)}</div>")
    for kind in change_kinds:
        st = CHANGE_STYLE[kind]
        rows.append(f"<div>{_swatch(st)}{html.escape(kind)} since previous state</div>")
    if extra_rows:
        rows.append(extra_rows)
    if dashed and note:
        rows.append("<div class='fl-legend-note'>dashed outline = claimed / unconfirmed</div>")
    return "".join(rows)


_CSS = """
<style>
.leaflet-container {{ background: {bg}; font-family: "Source Sans Pro", "Helvetica Neue",
  Arial, sans-serif; }}
/* The credits wrap in the right part of the map: one long line ran under the scale bar. */
.leaflet-control-attribution {{ max-width: 60%; white-space: normal; font-size: 11px; }}
.fl-label-icon {{ background: none; border: none; pointer-events: none; }}
.fl-label {{ position: absolute; white-space: nowrap; color: {label}; font-size: 11px;
  transform: translate(-3px, -50%); text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff;
  pointer-events: none; }}
.fl-dot {{ display: inline-block; width: 5px; height: 5px; border-radius: 50%;
  background: {label}; margin-right: 3px; vertical-align: middle; }}
.fl-town {{ font-weight: 600; font-size: 12px; }}
.fl-village {{ font-size: 10px; color: #555; }}
.fl-oblast {{ font-style: italic; color: #6b6b6b; letter-spacing: 1px; font-size: 12px;
  transform: translate(-50%, -50%); }}
.fl-oblast .fl-dot {{ display: none; }}
.fl-country {{ font-weight: 700; color: #9a9a9a; letter-spacing: 4px; font-size: 15px;
  transform: translate(-50%, -50%); text-transform: uppercase; }}
.fl-country .fl-dot {{ display: none; }}
/* Labels follow the zoom (class flz-<zoom> on the map container). */
.flz-5 .fl-village, .flz-6 .fl-village, .flz-7 .fl-village, .flz-8 .fl-village,
.flz-9 .fl-village {{ display: none; }}
.flz-5 .fl-town, .flz-6 .fl-town, .flz-7 .fl-town {{ display: none; }}
.flz-5 .fl-oblast, .flz-6 .fl-oblast {{ display: none; }}
.flz-8 .fl-town {{ font-size: 10px; }}
.flz-11 .fl-town, .flz-12 .fl-town {{ font-size: 14px; }}
.flz-11 .fl-village, .flz-12 .fl-village {{ font-size: 12px; }}
.flz-13 .fl-town, .flz-14 .fl-town {{ font-size: 16px; }}
.flz-13 .fl-village, .flz-14 .fl-village {{ font-size: 13px; }}
.flz-11 .fl-oblast, .flz-12 .fl-oblast, .flz-13 .fl-oblast, .flz-14 .fl-oblast,
.flz-10 .fl-country, .flz-11 .fl-country, .flz-12 .fl-country, .flz-13 .fl-country,
.flz-14 .fl-country {{ display: none; }}
.fl-legend {{ background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 12px; line-height: 18px; color: #222; }}
.fl-legend-title {{ font-weight: 700; cursor: pointer; }}
.fl-legend[open] .fl-legend-title {{ margin-bottom: 2px; }}
.fl-legend-rows {{ max-height: 240px; overflow-y: auto; }}
.fl-legend-note {{ color: #666; font-size: 11px; margin-top: 2px; }}
.fl-swatch {{ display: inline-block; width: 14px; height: 11px; margin-right: 6px;
  vertical-align: middle; box-sizing: border-box; }}
.leaflet-tooltip {{ max-width: 360px; white-space: normal; }}
.fl-muted {{ color: #666; }}
.fl-history {{ font-size: 11px; border-collapse: collapse; margin-top: 4px; }}
</style>
""".format(bg=BASE_STYLE["background"], label=BASE_STYLE["label"])


def _display(frame: gpd.GeoDataFrame, tolerance_m: float, decimals: int = 4) -> gpd.GeoSeries:
    geoms = simplify_for_display(frame.geometry, tolerance_m)
    return gpd.GeoSeries(_round_coords(geoms.to_numpy(), decimals), crs=frame.crs)


def _plain_geojson(geoms: Sequence[BaseGeometry], props: Sequence[dict]) -> dict:
    feats = [{"type": "Feature", "id": f"b{n}", "properties": p,
              "geometry": json.loads(shapely.to_geojson(g))}
             for n, (g, p) in enumerate(zip(geoms, props, strict=True))
             if g is not None and not g.is_empty]
    return {"type": "FeatureCollection", "features": feats}


def _label_points(base: Any) -> list[list]:
    pts: list[list] = []
    for iso, name in (("RUS", "Russia"), ("UKR", "Ukraine")):
        rows = base.countries[base.countries["iso_a3"] == iso]
        if len(rows):
            # Label the country near the front, not at its far-away centroid.
            anchor = (51.9, 35.9) if iso == "RUS" else (50.55, 34.4)
            pts.append([anchor[0], anchor[1], name, "country"])
    for _, row in base.oblasts.iterrows():
        name = str(row.get("name", ""))
        if not name or name.startswith("("):
            continue
        p = row.geometry.representative_point()
        pts.append([round(p.y, 4), round(p.x, 4), name, "oblast"])
    settlements = base.settlements
    if len(settlements):
        kinds = settlements.get("kind", pd.Series(["village"] * len(settlements)))
        for (_, row), kind in zip(settlements.iterrows(), kinds, strict=True):
            kind = "town" if str(kind) in ("town", "city") else "village"
            # The population ranks labels of one kind when they collide (Sumy before its
            # own districts); 0 when unknown.
            pop = pd.to_numeric(row.get("population"), errors="coerce")
            pts.append([round(row.geometry.y, 5), round(row.geometry.x, 5),
                        map_label(row.get("name", "")), kind,
                        0 if pd.isna(pop) else int(pop)])
    return pts


def base_display(base: Any) -> dict:
    """Return the basemap's drawing data: simplified, rounded, small.

    Russia is the map's background colour, so only Ukraine is filled; oblast lines
    are drawn only where they are not the state border or the edge of the data.
    Everything is for drawing only (simplified by :func:`geo.simplify.simplify_for_display`).

    Returns
    -------
    dict
        ``countries``, ``oblasts``, ``border`` (GeoJSON dicts) and ``labels``.
    """
    ukr = base.countries[base.countries["iso_a3"] == "UKR"]
    countries = _display(ukr, BASE_TOLERANCE_M * 2, decimals=3)
    border = shapely.union_all(base.border.geometry.to_numpy())
    minx, miny, maxx, maxy = base.countries.total_bounds
    frame_edge = shapely.box(minx, miny, maxx, maxy).exterior
    # Simplify the oblasts as a coverage first: their shared edges stay shared, so the
    # union of the outlines merges into few long lines.
    polys = simplify_for_display(base.oblasts.geometry, BASE_TOLERANCE_M * 4)
    lines = shapely.line_merge(shapely.union_all(polys.boundary.to_numpy()))
    inner = shapely.line_merge(lines.difference(
        shapely.union_all([border.buffer(0.01), frame_edge.buffer(0.01)])))
    inner = _round_coords(np.array([inner]), 3)[0]
    oblasts = gpd.GeoSeries([inner], crs="EPSG:4326")
    border_d = _display(base.border, BASE_TOLERANCE_M)
    return {"countries": _plain_geojson(countries, [{}] * len(countries)),
            "oblasts": _plain_geojson(oblasts, [{}] * len(oblasts)),
            "border": _plain_geojson(border_d, [{}] * len(border_d)),
            "labels": _label_points(base)}


def _use_local_assets(element: Any, js: list, css: list) -> None:
    # Instance attributes: folium's add_js_link would mutate the class-level lists.
    element.default_js = list(js)
    element.default_css = list(css)


def base_map(base: Any, *, asset_base_url: str = assets.STREAMLIT_ASSET_BASE_URL,
             location: Sequence[float] | None = None, zoom_start: int | None = None,
             online_tiles: bool = True, draw: bool = True, display: dict | None = None,
             basemap_url: str | None = None) -> folium.Map:
    """Build the folium map that the timeline control (:mod:`views.timeline_control`) draws on.

    Only the basemap's data are loaded here (``window.FL_BASEMAP``, by URL or embedded):
    the timeline control draws the basemap, the date's layers, the legend and the
    settlement markers itself.

    Parameters
    ----------
    base : layers.BaseLayers or None
        Countries, border, oblasts, settlements (lon/lat); not read when ``display`` or
        ``basemap_url`` is given.
    asset_base_url : str
        Where ``static/vendor`` is served (Leaflet and Leaflet.draw load from there).
    location, zoom_start : optional
        Opening view (lat, lon) and zoom.
    online_tiles : bool
        Offer OpenStreetMap tiles as an overlay in the layer switcher, unticked:
        no tile is requested unless the user ticks it.
    draw : bool
        Add the Leaflet.draw toolbar (polyline and polygon) for measuring.
    display : dict, optional
        :func:`base_display` of ``base``, precomputed; embedded in the map's script.
    basemap_url : str, optional
        URL of a script made by :func:`basemap_js` (the dashboard serves it from
        ``static/``): the basemap's data are then loaded from there instead of being
        embedded, and ``display`` is not used. Leave None for a self-contained map
        (exports).

    Returns
    -------
    folium.Map
        With only local JS/CSS links.

    Examples
    --------
    >>> m = base_map(None, asset_base_url="/v", basemap_url="/c/basemap-x.js")
    >>> ("frontline_basemap", "/c/basemap-x.js") in m.default_js
    True
    """
    m = folium.Map(location=list(location or DEFAULT_CENTER),
                   zoom_start=zoom_start or DEFAULT_ZOOM, tiles=None, control_scale=False,
                   min_zoom=6, max_zoom=15, max_bounds=True, min_lat=48.8, max_lat=53.7,
                   min_lon=30.5, max_lon=40.5)
    _use_local_assets(m, assets.js_links(asset_base_url), assets.css_links(asset_base_url))
    m.get_root().header.add_child(Element(_CSS), name="frontline_css")

    if basemap_url:
        # The basemap data load by URL before the map script runs (a static file the
        # browser caches): the component's arguments stay small on every rerun.
        m.default_js = [*m.default_js, ("frontline_basemap", basemap_url)]
    else:
        _BasemapData(display or base_display(base)).add_to(m)
    if online_tiles:
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap tiles (online)", show=False, overlay=True,
            opacity=0.6,
        ).add_to(m)
        folium.LayerControl(position="topright", collapsed=True).add_to(m)
    if draw:
        tool = folium.plugins.Draw(
            export=False, position="topleft",
            draw_options={"polyline": {"shapeOptions": {"color": "#111", "weight": 3}},
                          "polygon": {"allowIntersection": False,
                                      "shapeOptions": {"color": "#111", "weight": 2}},
                          "rectangle": False, "circle": False, "marker": False,
                          "circlemarker": False},
            edit_options={"edit": False},
        )
        _use_local_assets(tool, assets.draw_js_links(asset_base_url),
                          assets.draw_css_links(asset_base_url))
        tool.add_to(m)
    _MapSetup().add_to(m)
    return m


def measure_labels(rows: Sequence[Mapping]) -> folium.FeatureGroup:
    """Label each measured shape on the map: ``line 1: 12.34 km``, ``polygon 2: 5.6 km²``.

    ``rows`` are the dashboard's measurements (``shape``, ``kind``, ``geometry``,
    ``area_km2``, ``length_km``); a label sits on the shape (a line's midpoint, a
    polygon's representative point).

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> g = measure_labels([{"shape": "line 1", "kind": "line", "length_km": 12.345,
    ...                      "area_km2": None, "geometry": LineString([(35, 51), (35.2, 51)])}])
    >>> len(g._children)
    1
    """
    group = folium.FeatureGroup(name="Measurements", control=False)
    for row in rows:
        geom = row["geometry"]
        if row["kind"] == "polygon":
            at = geom.representative_point()
            text = f"{row['shape']}: {row['area_km2']:,.2f} km²"
        else:
            at = geom.interpolate(0.5, normalized=True)
            text = f"{row['shape']}: {row['length_km']:,.2f} km"
        folium.CircleMarker([at.y, at.x], radius=2, color="#111", fill=True,
                            tooltip=folium.Tooltip(html.escape(text), permanent=True,
                                                   direction="right", class_name="fl-measure"),
                            ).add_to(group)
    return group
