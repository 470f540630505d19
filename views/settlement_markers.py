"""Settlements on the map, coloured by who controls them on the date, with their history.

Pure: takes the gazetteer places, the resolved controls of the day
(:func:`geo.control.resolve_on`) and the facts, returns GeoJSON and a folium group. Every
string from the data is HTML-escaped before it reaches the browser.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Mapping, Sequence

import folium
from branca.element import MacroElement
from jinja2 import Template

from views.folium_map import add_points

__all__ = ["CONTROL_STYLE", "HISTORY_GLOBAL", "HistoryPopups", "control_legend_html",
           "history_js", "marker_class", "settlements_geojson", "settlements_group"]

#: Marker colour (fill, line) and legend words per resolved control; None: no report.
CONTROL_STYLE: dict[str | None, tuple[str, str, str]] = {
    "ukrainian": ("#1f5fbf", "#0b2f73", "Ukrainian-held (facts)"),
    "russian": ("#b2182b", "#5e120c", "Russian-held (facts)"),
    "contested": ("#e69f00", "#7a5300", "contested (facts)"),
    "stale": ("#ffffff", "#777777", "stale report"),
    None: ("#d9d9d9", "#8d8d8d", "no report"),
}
#: The most facts listed in one popup (the latest ones; the CLI prints them all).
MAX_POPUP_FACTS = 12
#: How many of the latest facts show their notes (the rest: date, control and source only,
#: which keeps every date change's payload small).
NOTED_FACTS = 3


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


#: The global holding every settlement's facts in the browser (see :func:`history_js`).
HISTORY_GLOBAL = "FL_HISTORY"


def history_js(history: Mapping[str, Sequence]) -> str:
    """Return a script defining ``window.FL_HISTORY``: every fact of every settlement.

    One row per fact, oldest first: ``[date, control, citation, fact_id, confidence,
    notes]``. The dashboard serves it as a static file loaded once (like the basemap), so
    a date change sends only each marker's name and control; the popup filters the rows
    to the date in the browser and shows every one of them. Text reaches the page through
    ``textContent`` only.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> f = S(date=dt.date(2024, 8, 15), control="ukrainian", citation="Syrskyi, 15 Aug 2024",
    ...       fact_id="f1", confidence="high", notes="</script>")
    >>> js = history_js({"Sudzha": [f]})
    >>> js.startswith('window.FL_HISTORY={"Sudzha":[["2024-08-15","ukrainian",'), "</" in js
    (True, False)
    """
    rows = {name: [[f.date.isoformat(), f.control, f.citation, f.fact_id, f.confidence,
                    f.notes] for f in facts] for name, facts in sorted(history.items())}
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.{HISTORY_GLOBAL}={text};"


def settlements_geojson(places: Mapping, controls: Mapping, history: Mapping[str, Sequence],
                        day: dt.date, box: Sequence[float]) -> dict:
    """Point features of the gazetteer places inside ``box``: name, control on ``day``.

    Parameters
    ----------
    places : mapping of str to an object with ``lon``, ``lat``
    controls : mapping of str to geo.control.Control
        The day's resolved controls.
    history : mapping of str to sequence of facts
        Every fact about each place, oldest first (for the tooltip's latest fact).
    day : datetime.date
    box : (lon_min, lat_min, lon_max, lat_max)

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> fc = settlements_geojson({"A": S(lon=35.0, lat=51.2), "Far": S(lon=30.0, lat=50.0)},
    ...                          {}, {}, dt.date(2024, 8, 20), (34, 50.9, 36, 51.7))
    >>> [(f["properties"]["name"], f["properties"]["control"]) for f in fc["features"]]
    [('A', 'no report')]
    """
    lon0, lat0, lon1, lat1 = box
    feats = []
    for name in sorted(places):
        p = places[name]
        if not (lon0 <= p.lon <= lon1 and lat0 <= p.lat <= lat1):
            continue
        ctl = controls.get(name)
        status = ctl.status if ctl is not None else None
        latest = [f for f in history.get(name, ()) if f.date <= day]
        tip = f"<b>{_e(name)}</b>: {_e(CONTROL_STYLE[status][2])}"
        if latest:
            tip += f"<br>latest: {latest[-1].date.isoformat()}, {_e(latest[-1].citation)}" \
                   f" ({len(latest)} fact{'s' if len(latest) != 1 else ''}; click for all)"
        feats.append({"type": "Feature",
                      "geometry": {"type": "Point", "coordinates": [round(p.lon, 5),
                                                                    round(p.lat, 5)]},
                      "properties": {"name": name, "control": CONTROL_STYLE[status][2],
                                     "status": status or "none", "tip": tip,
                                     "day": day.isoformat(),
                                     "rule": ctl.rule if ctl is not None else "",
                                     "confidence": ctl.confidence if ctl is not None else ""}})
    return {"type": "FeatureCollection", "features": feats}


class HistoryPopups(MacroElement):
    """Each settlement's popup: its control on the day and every fact up to it, cited.

    Built in the browser from ``window.FL_HISTORY`` (:func:`history_js`), with
    ``textContent`` only: no fact's text is ever parsed as HTML. ``history`` given (an
    export), the facts are embedded in the page instead of loaded by URL.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
{% if this.history is not none %}{{ this.history }}{% endif %}
window.flHistoryPopup = window.flHistoryPopup || function (p) {
    var div = document.createElement("div"), head = document.createElement("div");
    var b = document.createElement("b");
    b.textContent = p.name;
    head.appendChild(b);
    head.appendChild(document.createTextNode(" on " + p.day + ": " + p.control));
    if (p.rule) {
        var r = document.createElement("span");
        r.className = "fl-muted";
        r.textContent = " (rule: " + p.rule + ", " + p.confidence + " confidence)";
        head.appendChild(r);
    }
    div.appendChild(head);
    var all = (window.{{ this.global_name }} || {})[p.name] || [];
    var rows = all.filter(function (f) { return f[0] <= p.day; }).reverse();
    if (!rows.length) {
        div.appendChild(document.createTextNode("No statement about this place up to this day."));
        return div;
    }
    var t = document.createElement("table");
    t.className = "fl-history";
    var tr = t.insertRow();
    ["day", "says", "who, where"].forEach(function (h) {
        var th = document.createElement("th"); th.align = "left"; th.textContent = h;
        tr.appendChild(th);
    });
    rows.forEach(function (f) {
        var row = t.insertRow();
        row.insertCell().textContent = f[0];
        row.insertCell().textContent = f[1];
        var c = row.insertCell();
        c.appendChild(document.createTextNode(f[2] + " "));
        var m = document.createElement("span");
        m.className = "fl-muted"; m.textContent = "[" + f[3] + ", " + f[4] + "]";
        c.appendChild(m);
        if (f[5]) {
            c.appendChild(document.createElement("br"));
            var i = document.createElement("i"); i.textContent = f[5]; c.appendChild(i);
        }
    });
    div.appendChild(t);
    var later = all.length - rows.length;
    if (later) {
        div.appendChild(document.createTextNode(
            later + " later fact(s) not shown (move the date)."));
    }
    return div;
};
{{ this._parent.get_name() }}.eachLayer(function (layer) {
    layer.bindPopup(function (l) { return window.flHistoryPopup(l.feature.properties); },
                    {maxWidth: 460, maxHeight: 340, className: "foliumpopup"});
});
{% endmacro %}
""")

    def __init__(self, history: str | None = None):
        super().__init__()
        self._name = "HistoryPopups"
        self.history = history
        self.global_name = HISTORY_GLOBAL


def marker_class(name: str) -> str:
    """CSS class of one settlement's marker (tests and readers can find it by name).

    Examples
    --------
    >>> marker_class("Knyazhiy 1"), marker_class("Mar'ine <x>")
    ('fl-s-knyazhiy-1', 'fl-s-mar-ine-x')
    """
    slug = "".join(c if c.isalnum() else "-" for c in name.lower())
    return "fl-s-" + "-".join(p for p in slug.split("-") if p)


def settlements_group(fc: dict, history: str | None = None) -> folium.FeatureGroup:
    """Circle markers coloured by control; tooltip on hover, history on click.

    ``history`` (a :func:`history_js` script) embeds the facts in the page, for a
    standalone map; the dashboard loads them once by URL instead.
    """
    group = folium.FeatureGroup(name="Settlements by control", control=False)
    if not fc["features"]:
        return group
    colours = {("none" if k is None else k): v for k, v in CONTROL_STYLE.items()}

    def style(feature: dict) -> dict:
        fill, line, _ = colours[feature["properties"]["status"]]
        none = feature["properties"]["status"] == "none"
        return {"fillColor": fill, "color": line, "weight": 1.5, "fillOpacity": 0.95,
                "radius": 3.5 if none else 5.5,
                # Above the areas, in their own SVG: a press on a marker must not end on
                # an area path brought to the front under it (the click is then lost).
                "pane": "markerPane",
                "className": f"fl-settlement {marker_class(feature['properties']['name'])}"}

    add_points(group, fc, name="Settlements by control", style=style,
               popups=HistoryPopups(history), sticky=False)
    return group


def control_legend_html(statuses: Iterable[str | None]) -> str:
    """Legend rows for the settlement statuses drawn (round swatches).

    Examples
    --------
    >>> "no report" in control_legend_html([None]), control_legend_html([])
    (True, '')
    """
    rows = []
    for status in CONTROL_STYLE:
        if status in set(statuses):
            fill, line, label = CONTROL_STYLE[status]
            rows.append(f"<div><span class='fl-swatch' style='border-radius:50%;width:11px;"
                        f"background:{fill};border:2px solid {line}'></span>"
                        f"settlement: {_e(label)}</div>")
    return "".join(rows)
