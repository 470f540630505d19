"""Settlements on the map, coloured by who controls them on the date, with their history.

Pure: takes the gazetteer places, the resolved controls of the day
(:func:`geo.control.resolve_on`) and the facts, returns GeoJSON and a folium group. Every
string from the data is HTML-escaped before it reaches the browser.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence

import folium

from views.folium_map import add_points

__all__ = ["CONTROL_STYLE", "control_legend_html", "marker_class", "settlement_popup_html",
           "settlements_geojson", "settlements_group"]

#: Marker colour (fill, line) and legend words per resolved control; None: no report.
CONTROL_STYLE: dict[str | None, tuple[str, str, str]] = {
    "ukrainian": ("#1f5fbf", "#0b2f73", "Ukrainian-held (facts)"),
    "russian": ("#b2182b", "#5e120c", "Russian-held (facts)"),
    "contested": ("#e69f00", "#7a5300", "contested (facts)"),
    "stale": ("#ffffff", "#777777", "stale report"),
    None: ("#d9d9d9", "#8d8d8d", "no report"),
}
#: The most facts listed in one popup (the latest ones; the CLI prints them all).
MAX_POPUP_FACTS = 25


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def settlement_popup_html(name: str, facts: Sequence, control, day: dt.date) -> str:
    """Popup of one settlement: its control on ``day`` and every fact up to it, cited.

    Parameters
    ----------
    name : str
    facts : sequence of layers.facts.Fact
        Every fact about the settlement, oldest first.
    control : geo.control.Control or None
        Its resolved control on ``day`` (None: no report).
    day : datetime.date

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> f = S(date=dt.date(2024, 8, 15), control="ukrainian", citation="Syrskyi, 15 Aug",
    ...       confidence="high", notes="<b>office</b>", fact_id="f1")
    >>> pop = settlement_popup_html("Sudzha", [f], S(status="ukrainian", rule="agree",
    ...                             confidence="high"), dt.date(2024, 8, 20))
    >>> "Ukrainian-held (facts)" in pop, "&lt;b&gt;office" in pop, "<b>office" in pop
    (True, True, False)
    """
    status = control.status if control is not None else None
    head = f"<b>{_e(name)}</b> on {day.isoformat()}: {_e(CONTROL_STYLE[status][2])}"
    if control is not None:
        head += f" <span style='color:#666'>(rule: {_e(control.rule)}, " \
                f"{_e(control.confidence)} confidence)</span>"
    shown = [f for f in facts if f.date <= day]
    later = len(facts) - len(shown)
    rows = []
    for f in shown[-MAX_POPUP_FACTS:][::-1]:
        rows.append(f"<tr><td>{f.date.isoformat()}</td><td>{_e(f.control)}</td>"
                    f"<td>{_e(f.citation)} <span style='color:#666'>[{_e(f.fact_id)}, "
                    f"{_e(f.confidence)}]</span><br><i>{_e(f.notes)}</i></td></tr>")
    body = head
    if rows:
        body += ("<table style='font-size:11px;border-collapse:collapse;margin-top:4px'>"
                 "<tr><th align=left>day</th><th align=left>says</th>"
                 "<th align=left>who, where</th></tr>" + "".join(rows) + "</table>")
    else:
        body += "<br>No statement about this place up to this day."
    if len(shown) > MAX_POPUP_FACTS:
        body += f"<br>… {len(shown) - MAX_POPUP_FACTS} earlier fact(s): " \
                f"<code>frontline settlement {_e(name)}</code>"
    if later:
        body += f"<br>{later} later fact(s) not shown (move the date)."
    return body


def settlements_geojson(places: Mapping, controls: Mapping, history: Mapping[str, Sequence],
                        day: dt.date, box: Sequence[float]) -> dict:
    """Point features of the gazetteer places inside ``box``, with control and popups.

    Parameters
    ----------
    places : mapping of str to an object with ``lon``, ``lat``
    controls : mapping of str to geo.control.Control
        The day's resolved controls.
    history : mapping of str to sequence of facts
        Every fact about each place, oldest first.
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
        facts = history.get(name, ())
        latest = [f for f in facts if f.date <= day]
        tip = f"<b>{_e(name)}</b>: {_e(CONTROL_STYLE[status][2])}"
        if latest:
            tip += f"<br>latest: {latest[-1].date.isoformat()}, {_e(latest[-1].citation)}" \
                   f" ({len(latest)} fact(s); click for all)"
        feats.append({"type": "Feature",
                      "geometry": {"type": "Point", "coordinates": [round(p.lon, 5),
                                                                    round(p.lat, 5)]},
                      "properties": {"name": name, "control": CONTROL_STYLE[status][2],
                                     "status": status or "none", "tip": tip,
                                     "popup": settlement_popup_html(name, facts, ctl, day)}})
    return {"type": "FeatureCollection", "features": feats}


def marker_class(name: str) -> str:
    """CSS class of one settlement's marker (tests and readers can find it by name).

    Examples
    --------
    >>> marker_class("Knyazhiy 1"), marker_class("Mar'ine <x>")
    ('fl-s-knyazhiy-1', 'fl-s-mar-ine-x')
    """
    slug = "".join(c if c.isalnum() else "-" for c in name.lower())
    return "fl-s-" + "-".join(p for p in slug.split("-") if p)


def settlements_group(fc: dict) -> folium.FeatureGroup:
    """Circle markers coloured by control; tooltip on hover, history on click."""
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

    add_points(group, fc, name="Settlements by control", style=style, popup_width=460,
               sticky=False)
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
