"""The whole timeline in one self-contained HTML file: every state, a slider, play/pause.

The same map as the dashboard (:func:`views.timeline_control.timeline_map`), with the
states, the basemap, Leaflet and the timeline's own script inlined: the file opens from
disk or any static host with no network and no server of ours, and any number of readers
can scrub it. Its permalink is the page's own ``#date=…`` fragment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from views.export_file import MIME, Export
from views.folium_map import base_display
from views.timeline_control import INLINE_BASE, InitialState, standalone_html, timeline_map

__all__ = ["TIMELINE_TITLE", "export_timeline_html"]

#: Title of the exported page and of its figures panel.
TIMELINE_TITLE = "Kursk front line, 2024–2025"


def export_timeline_html(payload: Mapping, base: Any, *, initial: InitialState | None = None,
                         title: str = TIMELINE_TITLE) -> Export:
    """Return the timeline HTML (``frontline_timeline.html``) of a payload.

    Parameters
    ----------
    payload : mapping
        :func:`views.timeline_data.timeline_data` of the data.
    base : layers.BaseLayers
        The basemap (embedded, simplified).
    initial : InitialState, optional
        The day and layers it opens on (default: the last day, every layer).
    title : str
        Page title and the panel's heading.
    """
    if initial is None:
        last = payload["start"]
        if payload.get("n"):
            import datetime as dt

            last = (dt.date.fromisoformat(payload["start"])
                    + dt.timedelta(days=payload["n"] - 1)).isoformat()
        initial = InitialState(last)
    vendor, own = INLINE_BASE + "vendor", INLINE_BASE + "js"
    fmap = timeline_map(base, initial=initial, asset_base_url=vendor, own_base_url=own,
                        payload=payload, display=base_display(base), url_mode="hash",
                        title=title, draw=False, online_tiles=False)
    page = standalone_html(fmap, vendor_base=vendor, own_base=own)
    return Export("frontline_timeline.html", MIME["html"], page.encode("utf-8"))
