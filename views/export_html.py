"""The interactive map of one date as one standalone HTML file that works offline.

The map is the dashboard's own (:func:`views.timeline_control.timeline_map`) with a
timeline of one day: the same drawing, tooltips, legend, figures panel and attribution.
This module fits the view (``bbox``, else what is drawn on the date, as for the static
render), inlines every script and stylesheet, and adds what a published page needs: a
visible title block with the date, the sources as cited and the basemap attribution.
Every string from the data is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from layers.timeline import to_date
from views.citation import sources_on
from views.export_file import ATTRIBUTION, MIME, TITLE, Export, title_of
from views.render_frame import view_bounds
from views.render_furniture import long_date

__all__ = ["export_html", "title_block"]

_BLOCK_CSS = """
#frontline-title{position:absolute;top:10px;left:56px;z-index:1000;max-width:min(44em,60%);
background:rgba(255,255,255,.93);border:1px solid #bbb;border-radius:4px;padding:6px 10px;
font:13px/1.35 "DejaVu Sans",Arial,sans-serif;color:#222;box-shadow:0 1px 4px rgba(0,0,0,.2)}
#frontline-title h1{font-size:18px;margin:0 0 2px}
#frontline-title .date{font-size:15px;margin:0 0 4px;color:#444}
#frontline-title details{margin:2px 0}
#frontline-title ul{margin:2px 0 2px 1.2em;padding:0;max-height:14em;overflow:auto}
#frontline-title .credit{font-size:11px;color:#555;margin:4px 0 0}
"""


def title_block(day: dt.date, cited: Sequence[str]) -> str:
    """Return the visible title block: title, date, sources as cited (folded), attribution.

    Examples
    --------
    >>> block = title_block(dt.date(2024, 9, 1), ["<b>x</b>, 1 Sep 2024"])
    >>> "1 September 2024" in block and "&lt;b&gt;x&lt;/b&gt;" in block
    True
    """
    esc = htmllib.escape
    items = "".join(f"<li>{esc(c)}</li>" for c in cited)
    sources = (f"<details><summary>Sources ({len(cited)}, most-cited first)</summary>"
               f"<ul>{items}</ul></details>" if cited
               else "<p>Sources: none for this date</p>")
    return (f'<div id="frontline-title" role="region" aria-label="Map title">'
            f"<h1>{esc(TITLE)}</h1>"
            f'<p class="date"><time datetime="{day.isoformat()}">{esc(long_date(day))}'
            f"</time> · layers in force on {day.isoformat()}</p>{sources}"
            f'<p class="credit">Basemap: {esc(ATTRIBUTION)}</p></div>')


def export_html(timeline: Any, base: Any, on: str | dt.date,
                layers: Iterable[str] | None = None, *, online_tiles: bool = False,
                bbox: Sequence[float] | None = None,
                outlets: Mapping[str, str] | None = None) -> Export:
    """Export the interactive map of ``on`` as one standalone HTML file that works offline.

    Every Leaflet/plugin script and stylesheet the map links is replaced by its
    inlined content (CSS images as data: URIs), so the file opens from disk
    with no network.

    Parameters
    ----------
    timeline, base, on, layers
        The layers, the basemap, the date and the layer ids to draw (default: all).
    online_tiles : bool
        Offer (unticked) OpenStreetMap tiles: the only URLs the file may fetch.
    bbox : sequence of 4 float, optional
        ``(lon_min, lat_min, lon_max, lat_max)``: the view to open on (default:
        what is drawn on ``on``, see :func:`views.render_frame.view_bounds`).
    outlets : mapping, optional
        Outlet names for citing the sources (default: ``base.outlets``).

    Raises
    ------
    ValueError
        For a bad ``bbox``.
    RuntimeError
        If a script or stylesheet is still linked after inlining (a new
        folium plugin whose asset is not vendored): the export would not work
        offline.
    """
    from views.folium_map import base_display
    from views.timeline_control import INLINE_BASE, InitialState, standalone_html, timeline_map
    from views.timeline_data import TimelineData, timeline_data

    day = to_date(on)
    chosen = None if layers is None else list(layers)
    w, s, e, n = view_bounds(timeline, day, chosen, bbox=bbox)
    outlets = outlets if outlets is not None else (getattr(base, "outlets", None) or {})
    # The dashboard's own map, with a timeline of one day: the same drawing, tooltips,
    # legend, figures panel and attribution.
    payload = timeline_data(TimelineData(timeline, day, day))
    vendor, own = INLINE_BASE + "vendor", INLINE_BASE + "js"
    fmap = timeline_map(base, initial=InitialState(day.isoformat(), layers=chosen,
                                                   bounds=[[s, w], [n, e]]),
                        asset_base_url=vendor, own_base_url=own, payload=payload,
                        display=base_display(base), url_mode="none", title=title_of(day),
                        online_tiles=online_tiles)
    html = standalone_html(fmap, vendor_base=vendor, own_base=own)
    if not online_tiles and re.search(r"https?://[^\"']*\{z\}", html):
        raise RuntimeError("the standalone HTML requests map tiles although online tiles "
                           "were not asked for")
    head = f"<style>{_BLOCK_CSS}</style>"
    html = html.replace("<head>", "<head>\n    " + head, 1)
    block = title_block(day, sources_on(timeline, day, chosen, outlets))
    html = re.sub(r"<body>", lambda _m: "<body>\n    " + block, html, count=1)
    return Export(f"frontline_{day.isoformat()}.html", MIME["html"], html.encode("utf-8"))
