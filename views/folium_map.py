"""The folium map: an offline basemap plus the layers of one date.

Pure: takes frames and geometries (from ``layers/``), returns folium objects.
Never reads a file.

Two halves, so the dashboard can swap dates without remounting Leaflet:

- :func:`base_map` is the part that never changes while the user scrubs (the
  offline vector basemap, settlement labels, legend, draw tools, optional tile
  layers). Built identically on every run, so streamlit-folium sees the same
  script and keeps the mounted map (and the user's zoom and pan).
- :func:`date_feature_groups` returns the layers of one date as
  ``folium.FeatureGroup`` objects, sent through
  ``st_folium(..., feature_group_to_add=...)``.

:func:`build_map` puts both together: a complete map of one date (used by the
standalone HTML exporter, with its own ``asset_base_url``).

Every string from the data reaches the browser either HTML-escaped (tooltips,
popups) or through ``textContent`` (settlement labels): a name such as
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
    style_for,
)

__all__ = [
    "AREA_CLASS", "DEFAULT_CENTER", "DEFAULT_ZOOM", "area_group", "areas_group",
    "base_display", "base_map",
    "basemap_js", "build_map", "change_geojson", "change_group", "change_kinds",
    "date_feature_groups", "events_group", "fc_pairs", "feature_popup_html",
    "PointPopups", "add_points", "feature_tooltip_html", "layer_geojson", "layer_label",
    "legend_group", "legend_html", "measure_labels",
]

template_cache.install()

#: Centre (lat, lon) and zoom of the opening view: Sudzha and the Sumy border.
DEFAULT_CENTER = (51.25, 35.3)
DEFAULT_ZOOM = 9
#: CSS class on every SVG path of a dated area layer (tests and benchmarks count them).
AREA_CLASS = "fl-area"
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
    if layer.startswith("upload: "):
        return "upload: " + layer_label(layer[len("upload: "):])
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


def _path_style(style: Mapping, *, weight: float = 1.5, class_name: str | None = None
                ) -> dict:
    out = {"fillColor": style["fill"], "color": style["line"],
           "fillOpacity": style["fill_opacity"], "weight": weight, "opacity": 0.9}
    if style.get("dash"):
        out["dashArray"] = style["dash"]
    if class_name:
        out["className"] = class_name
    return out


def _css_token(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


# --------------------------------------------------------------------------- date layers

def area_group(layer: str, fc: dict, *, name: str | None = None) -> folium.FeatureGroup:
    """Return a FeatureGroup drawing one area layer's display FeatureCollection.

    Styled per feature by ``(layer, status)`` (:func:`views.styles.style_for`);
    every path gets the CSS classes ``fl-area fl-<layer>``. Tooltip and popup
    show the escaped ``tip``/``popup`` properties made by :func:`layer_geojson`.
    """
    return areas_group({layer: fc}, name=name or layer_label(layer))


def areas_group(fcs: Mapping[str, dict], *, name: str = "Areas") -> folium.FeatureGroup:
    """Return one FeatureGroup drawing several area layers' display FeatureCollections.

    The same drawing as one :func:`area_group` per layer (styles, ``fl-area fl-<layer>``
    classes, tooltips, popups) with one ``GeoJson`` instead of one per layer: folium
    renders far fewer templates per run, which matters when the date changes.
    """
    group = folium.FeatureGroup(name=name, control=False)
    feats = [{**f, "id": f"a{n}"}
             for n, f in enumerate(f for fc in fcs.values() for f in fc["features"])]
    if not feats:
        return group

    def style(feature: dict) -> dict:
        props = feature["properties"]
        cls = f"{AREA_CLASS} fl-{_css_token(props['layer'])}"
        return _path_style(style_for(props["layer"], props["status"]), class_name=cls)

    folium.GeoJson(
        {"type": "FeatureCollection", "features": feats}, name=name, style_function=style,
        highlight_function=lambda _f: {"weight": 3.5, "fillOpacity": 0.5},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=380),
        control=False, smooth_factor=0.5,
    ).add_to(group)
    return group


def events_group(fc: dict, on: dt.date | str | None = None) -> folium.FeatureGroup:
    """Dated events (points and lines); those that start on ``on`` are drawn larger."""
    group = folium.FeatureGroup(name="Dated events", control=False)
    if not fc["features"]:
        return group
    today = _date_text(on) if on is not None else ""

    def style(feature: dict) -> dict:
        props = feature["properties"]
        base = _path_style(style_for("events", props["status"]), weight=2.5,
                           class_name="fl-event")
        if props.get("day") == today:
            base.update(color="#d62728", weight=4, radius=9)
        else:
            base.update(radius=5)
        # Above the areas (see views.settlement_markers): a click must reach the event.
        base["pane"] = "markerPane"
        return base

    # Lines and points alike: each event gets its own popup (see PointPopups).
    add_points(group, fc, name="Dated events", style=style, popups=PointPopups("popup", 380))
    return group


def add_points(group: folium.FeatureGroup, fc: dict, *, name: str, style,
               popups: MacroElement, sticky: bool = True) -> folium.GeoJson:
    """Draw ``fc``'s points as circle markers (lines as lines) with tooltip and popups.

    The features carry an escaped ``tip``; ``popups`` binds each feature's popup (e.g.
    :class:`PointPopups`); ``style`` maps a feature to its Leaflet path options (put points
    in ``markerPane`` so clicks reach them).
    """
    geojson = folium.GeoJson(
        fc, name=name, style_function=style, marker=folium.CircleMarker(radius=6, fill=True),
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=sticky),
        control=False,
    ).add_to(group)
    popups.add_to(geojson)
    return geojson


def change_geojson(changes: Mapping[str, Any], *, tolerance_m: float = DISPLAY_TOLERANCE_M
                   ) -> dict:
    """Return gained and lost ground per layer (``{layer: geo.change.Change}``) for display.

    Simplified and rounded for drawing; the tooltip carries the geodesic km² of the
    unsimplified change.
    """
    feats = []
    for layer, change in changes.items():
        for kind in ("gained", "lost"):
            geom = getattr(change, kind)
            if geom is None or geom.is_empty:
                continue
            km2 = getattr(change, f"{kind}_km2", float("nan"))
            geom = simplify_for_display(gpd.GeoSeries([geom], crs="EPSG:4326"),
                                        tolerance_m).iloc[0]
            geom = _round_coords(np.array([geom]))[0]
            tip = (f"<b>{kind} since previous state</b><br>{_esc(layer_label(layer))}"
                   f"<br>{km2:,.1f} km² (geodesic)")
            feats.append({"type": "Feature", "id": f"{kind}{len(feats)}",
                          "properties": {"kind": kind, "tip": tip},
                          "geometry": json.loads(shapely.to_geojson(geom))})
    return {"type": "FeatureCollection", "features": feats}


def change_group(changes: Mapping[str, Any] | None = None, *,
                 tolerance_m: float = DISPLAY_TOLERANCE_M, fc: dict | None = None
                 ) -> folium.FeatureGroup:
    """Gained and lost ground per layer (``{layer: geo.change.Change}``), hatched on top.

    ``fc``: a precomputed :func:`change_geojson` (the app caches it) instead of ``changes``.
    """
    group = folium.FeatureGroup(name="Change since previous state", control=False)
    if fc is None:
        fc = change_geojson(changes or {}, tolerance_m=tolerance_m)
    if fc["features"]:
        folium.GeoJson(
            fc, name="Change",
            style_function=lambda f: _path_style(CHANGE_STYLE[f["properties"]["kind"]],
                                                 weight=2, class_name="fl-change"),
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
            control=False,
        ).add_to(group)
    return group


def date_feature_groups(timeline: Any, on: dt.date | str, layers: Iterable[str] | None = None,
                        *, change: Mapping[str, Any] | None = None) -> list[folium.FeatureGroup]:
    """Return the FeatureGroups of one date: each area layer, the events, the change overlay.

    The last group carries no shapes: it fills the legend with what is drawn.

    Parameters
    ----------
    timeline : layers.Timeline
    on : datetime.date or str
    layers : iterable of str, optional
        Layer ids to draw (default: all the timeline has).
    change : mapping, optional
        ``{layer: geo.change.Change}``; drawn as gained/lost when given.
    """
    wanted = list(timeline.layers if layers is None else layers)
    groups, pairs = [], set()
    for layer in timeline.layers:
        if layer not in wanted or layer == "events":
            continue
        fc = layer_geojson(timeline.state(layer, on))
        pairs |= fc_pairs(fc)
        groups.append(area_group(layer, fc))
    if "events" in wanted and timeline.has_layer("events"):
        fc = layer_geojson(timeline.state("events", on))
        pairs |= fc_pairs(fc)
        groups.append(events_group(fc, on))
    kinds: list[str] = []
    if change:
        fc = change_geojson(change)
        kinds = change_kinds(fc)
        groups.append(change_group(fc=fc))
    groups.append(legend_group(pairs, kinds))
    return groups


def change_kinds(fc: Mapping) -> list[str]:
    """Return which of ``gained``/``lost`` a :func:`change_geojson` collection draws.

    Examples
    --------
    >>> change_kinds({"features": [{"properties": {"kind": "lost"}}]})
    ['lost']
    """
    found = {f["properties"]["kind"] for f in fc.get("features", [])}
    return [kind for kind in ("gained", "lost") if kind in found]


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


class _Basemap(MacroElement):
    """The offline vector basemap (Ukraine fill, oblast lines, border) and its labels.

    Drawn from ``window.FL_BASEMAP``: embedded in the page (``display`` given, e.g.
    a standalone export) or loaded beforehand by URL (the dashboard). Names reach the
    page through ``textContent``: never parsed as HTML.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
{% if this.display is not none %}window.FL_BASEMAP = {{ this.display|tojson }};{% endif %}
(function () {
  var map = {{ this._parent.get_name() }};
  var d = window.FL_BASEMAP;
  if (!d) { return; }
  var st = {{ this.styles|tojson }};
  ["countries", "oblasts", "border"].forEach(function (k) {
    L.geoJson(d[k], {style: st[k], interactive: false}).addTo(map);
  });
  var group = L.layerGroup();
  d.labels.forEach(function (p) {
    var el = document.createElement("div");
    el.className = "fl-label fl-" + p[3];
    var dot = document.createElement("span");
    dot.className = "fl-dot";
    el.appendChild(dot);
    el.appendChild(document.createTextNode(p[2]));
    L.marker([p[0], p[1]], {
      icon: L.divIcon({className: "fl-label-icon", html: el, iconSize: null}),
      interactive: false, keyboard: false, pane: "markerPane"
    }).addTo(group);
  });
  group.addTo(map);
  function zoomClass() {
    var c = map.getContainer();
    c.className = c.className.replace(/\\bflz-\\d+\\b/g, "").trim();
    c.classList.add("flz-" + Math.round(map.getZoom()));
  }
  map.on("zoomend", zoomClass);
  zoomClass();
})();
{% endmacro %}
""")

    def __init__(self, display: dict | None):
        super().__init__()
        self._name = "Basemap"
        self.display = display
        self.styles = {
            "countries": {"fillColor": BASE_STYLE["UKR"]["fill"], "fillOpacity": 1.0,
                          "stroke": False},
            "oblasts": {"color": BASE_STYLE["oblast_line"], "weight": 1, "dashArray": "5 4",
                        "opacity": 0.9, "fill": False},
            "border": {"color": BASE_STYLE["border_line"], "weight": 2.5, "opacity": 0.9,
                       "fill": False},
        }


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


class _Legend(MacroElement):
    """A collapsible legend control (bottom right), empty until the date's layers fill it.

    :func:`legend_group` (sent with the date's layers) sets its rows, so it lists
    only what is on the map.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("details", "fl-legend");
    div.open = true;
    var summary = L.DomUtil.create("summary", "fl-legend-title", div);
    summary.textContent = "Legend";
    var rows = L.DomUtil.create("div", "fl-legend-rows", div);
    div.style.display = "none";
    window.flSetLegend = function (html) {
      rows.innerHTML = html;
      div.style.display = html ? "" : "none";
    };
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "Legend"


class _MapSetup(MacroElement):
    """Credit the basemap's sources, and let the first click on a small marker land on it.

    - The attribution control names OpenStreetMap (ODbL), Natural Earth and GeoNames.

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


class PointPopups(MacroElement):
    """Bind each point's popup (its escaped ``popup`` property) to the point itself.

    A ``GeoJsonPopup`` bound to a GeoJSON of circle markers never opens on a click in
    the dashboard (the group's popup opens when asked in script, but the marker's click
    does not reach it), so points get their own popups. Add it to the ``GeoJson``.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.eachLayer(function (layer) {
    layer.bindPopup(layer.feature.properties[{{ this.field|tojson }}],
                    {maxWidth: {{ this.max_width }}, maxHeight: {{ this.max_height }},
                     className: "foliumpopup"});
});
{% endmacro %}
""")

    def __init__(self, field: str = "popup", max_width: int = 380, max_height: int = 340):
        super().__init__()
        self._name = "PointPopups"
        self.field = field
        self.max_width = int(max_width)
        self.max_height = int(max_height)


class _LegendRows(MacroElement):
    """Sets the legend's rows (escaped HTML made by :func:`legend_html`)."""

    _template = Template("""
{% macro script(this, kwargs) %}
if (window.flSetLegend) { window.flSetLegend({{ this.html|tojson }}); }
{% endmacro %}
""")

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "LegendRows"
        self.html = html_text


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


def legend_group(pairs: Iterable[tuple[str, str]], change_kinds: Iterable[str] = (),
                 extra_rows: str = "") -> folium.FeatureGroup:
    """Return a FeatureGroup (no shapes) that fills the legend with :func:`legend_html`."""
    group = folium.FeatureGroup(name="Legend rows", control=False)
    _LegendRows(legend_html(pairs, change_kinds, extra_rows)).add_to(group)
    return group


_CSS = """
<style>
.leaflet-container {{ background: {bg}; font-family: "Source Sans Pro", "Helvetica Neue",
  Arial, sans-serif; }}
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
            pts.append([round(row.geometry.y, 5), round(row.geometry.x, 5),
                        str(row.get("name", "")), kind])
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
             basemap_url: str | None = None, history_url: str | None = None,
             timeline: bool = False) -> folium.Map:
    """Build the part of the map that stays while the date changes.

    Parameters
    ----------
    base : layers.BaseLayers
        Countries, border, oblasts, settlements (lon/lat).
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
        :func:`base_display` of ``base``, precomputed (the app caches it); embedded in
        the map's script.
    history_url : str, optional
        URL of a script defining the settlements' fact history
        (:func:`views.settlement_markers.history_js`), loaded once like the basemap.
    basemap_url : str, optional
        URL of a script made by :func:`basemap_js` (the dashboard serves it from
        ``static/``): the basemap is then loaded from there instead of being embedded,
        and ``display`` is not used. Leave None for a self-contained map (exports).
    timeline : bool
        The map gets a timeline control (:mod:`views.timeline_control`), which draws the
        basemap and the legend itself: only the basemap's data are loaded here.

    Returns
    -------
    folium.Map
        With only local JS/CSS links.
    """
    m = folium.Map(location=list(location or DEFAULT_CENTER),
                   zoom_start=zoom_start or DEFAULT_ZOOM, tiles=None, control_scale=True,
                   min_zoom=6, max_zoom=15, max_bounds=True, min_lat=48.8, max_lat=53.7,
                   min_lon=30.5, max_lon=40.5)
    _use_local_assets(m, assets.js_links(asset_base_url), assets.css_links(asset_base_url))
    m.get_root().header.add_child(Element(_CSS), name="frontline_css")

    if basemap_url:
        # The basemap data load by URL before the map script runs (a static file the
        # browser caches): the component's arguments stay small on every rerun.
        m.default_js = [*m.default_js, ("frontline_basemap", basemap_url)]
        if not timeline:
            _Basemap(None).add_to(m)
    elif timeline:
        _BasemapData(display or base_display(base)).add_to(m)
    else:
        _Basemap(display or base_display(base)).add_to(m)
    if history_url:
        m.default_js = [*m.default_js, ("frontline_history", history_url)]
    if not timeline:
        _Legend().add_to(m)
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


def build_map(timeline: Any, base: Any, on: dt.date | str, layers: Iterable[str] | None = None,
              *, asset_base_url: str, online_tiles: bool = False,
              change: Mapping[str, Any] | None = None, draw: bool = False) -> folium.Map:
    """Build a complete map of one date: :func:`base_map` plus :func:`date_feature_groups`.

    Parameters
    ----------
    timeline : layers.Timeline
    base : layers.BaseLayers
    on : datetime.date or str
    layers : iterable of str, optional
        Layer ids to draw (default: all).
    asset_base_url : str
        Prefix of the vendored assets' URLs (an exporter inlining them may pass
        anything and swap the links by name, see :func:`views.assets.asset_files`).
    online_tiles : bool
        Offer (unticked) OpenStreetMap tiles in a layer switcher.
    change : mapping, optional
        ``{layer: geo.change.Change}`` to draw gained/lost ground.
    draw : bool
        Add the measuring tools.

    Returns
    -------
    folium.Map
    """
    m = base_map(base, asset_base_url=asset_base_url, online_tiles=online_tiles, draw=draw)
    for group in date_feature_groups(timeline, on, layers, change=change):
        group.add_to(m)
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
