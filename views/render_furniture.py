"""Map furniture of the static render: title, date, legend, scale bar, north arrow, sources.

The legend lists only what is drawn on the date (each area layer and status
with its geodesic area in km², point/line layers with their count), the
sources are cited as a reader would cite them (:func:`views.citation.cite`),
and the footer carries the basemap attribution (:data:`views.styles.ATTRIBUTION`)
on every render.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
from matplotlib.patches import FancyArrow, Rectangle
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Bbox

from geo.measurement import geodesic_area_km2
from layers.schema import LAYER_LABELS
from views.render_frame import (
    BORDER,
    FWD,
    GREY,
    INK,
    OBLAST,
    Layout,
    MapFrame,
    chosen_layers,
    dash,
    layer_style,
)
from views.styles import ATTRIBUTION, LEGEND

__all__ = [
    "ATTRIBUTION", "LegendEntry", "PROJECTION_NOTE", "TITLE", "draw_footer", "draw_header",
    "date_line", "draw_north_arrow", "draw_panel", "draw_scalebar", "format_area", "layer_areas",
    "legend_entries", "long_date", "reserved_boxes",
]

#: The map's title (the date follows on its own line).
TITLE = "Kursk incursion: the front line"
#: How the map is drawn, printed beside the attribution.
PROJECTION_NOTE = ("Map: transverse Mercator centred 35.2°E 51.2°N; areas geodesic on the "
                   "WGS84 ellipsoid")
_GEOD = pyproj.Geod(ellps="WGS84")


def long_date(day: dt.date) -> str:
    """Return ``1 September 2024``.

    Examples
    --------
    >>> long_date(dt.date(2024, 9, 1))
    '1 September 2024'
    """
    return f"{day.day} {day:%B %Y}"


def format_area(km2: float) -> str:
    """Return an area for the legend, with its unit.

    Examples
    --------
    >>> format_area(1234.4), format_area(5.07)
    ('1,234 km²', '5.1 km²')
    """
    return f"{km2:,.0f} km²" if km2 >= 10 else f"{km2:,.1f} km²"


def layer_areas(timeline: Any, on: str | dt.date, layers: Sequence[str] | None = None
                ) -> list[tuple[str, str, float]]:
    """Geodesic area (km², WGS84) of each (layer, status) present in the timeline on ``on``.

    Returns one row for every area layer and status the timeline knows, 0.0
    when nothing of it is in force on ``on``, in the canonical layer order.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="ukrainian_held", status="held",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=None,
    ...     geometry=box(35.0, 51.0, 35.1, 51.1))], crs="EPSG:4326"))
    >>> [(l, s, round(a, 2)) for l, s, a in layer_areas(tl, "2024-09-01")]
    [('ukrainian_held', 'held', 78.01)]
    """
    out = []
    for layer in timeline.area_layers:
        if layers is not None and layer not in layers:
            continue
        for status in timeline.statuses(layer):
            out.append((layer, status, geodesic_area_km2(timeline.geometry(layer, on, status))))
    return out


# --------------------------------------------------------------------------- legend


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: what is drawn, its label and its figure on the date."""

    layer: str
    status: str | None  # None for a point/line layer (events)
    label: str
    value: str


def legend_entries(timeline: Any, on: dt.date, layers: Sequence[str] | None = None,
                   area_of: Any = None, visible: Any = None) -> list[LegendEntry]:
    """List exactly what is drawn on ``on``: each area layer and status with its area.

    The shared :data:`views.styles.LEGEND` order and labels first; a status it
    does not list follows its layer's entry. A layer (or status) with nothing
    in force on ``on``, or nothing inside the view, gets no row.

    Parameters
    ----------
    timeline : layers.Timeline
    on : datetime.date
    layers : sequence of str, optional
        Layer ids drawn (default: all).
    area_of : callable, optional
        ``area_of(layer, status, day) -> km²`` (a cache); default computes it.
    visible : callable, optional
        ``visible(geometry) -> bool``: whether it shows in the map's view (a
        ``bbox`` may leave a layer outside); default: everything in force shows.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id=i, layer=la, status="held",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=end, geometry=box(35.0, 51.0, 35.1, 51.1))
    ...     for i, la, end in [("a", "ukrainian_held", None),
    ...                        ("b", "sudzha_pocket", dt.date(2024, 8, 9))]],
    ...     crs="EPSG:4326"))
    >>> [(e.label, e.value) for e in legend_entries(tl, dt.date(2024, 9, 1))]
    [('Ukrainian-held (Kursk oblast)', '78 km²')]
    """
    def default_area(layer, status, day):
        return geodesic_area_km2(timeline.geometry(layer, day, status))

    area_of = area_of or default_area
    visible = visible or (lambda geom: not geom.is_empty)
    shown = chosen_layers(timeline, layers)
    order = list(dict.fromkeys([la for _, la, _ in LEGEND if la in shown] + shown))
    entries = []
    for layer in order:
        listed = [(label, st) for label, la, st in LEGEND if la == layer]
        if layer not in timeline.area_layers:
            n = len(timeline.state(layer, on))
            if n and visible(timeline.geometry(layer, on)):
                label = listed[0][0] if listed else LAYER_LABELS.get(layer, layer)
                entries.append(LegendEntry(layer, None, label, f"{n} in force"))
            continue
        statuses = timeline.statuses(layer)
        rows = [(label, st) for label, st in listed if st in statuses]
        rows += [(f"{LAYER_LABELS.get(layer, layer)} ({st})", st) for st in statuses
                 if st not in [s for _, s in listed]]
        for label, status in rows:
            geom = timeline.geometry(layer, on, status)
            if geom.is_empty or not visible(geom):
                continue
            entries.append(LegendEntry(layer, status, label,
                                       format_area(area_of(layer, status, on))))
    return entries


def _wrap(text: str, width_px: float, font_px: float) -> list[str]:
    """Lines of at most the width's characters, broken at spaces only.

    A citation such as "RBC-Ukraine" stays whole, so a reader can copy it.

    Examples
    --------
    >>> _wrap("drone battalion via RBC-Ukraine, 23 Aug 2025", 150, 10)
    ['drone battalion via', 'RBC-Ukraine, 23 Aug 2025']
    """
    chars = max(8, int(width_px / (font_px * 0.58)))
    return textwrap.wrap(text, chars, break_long_words=True, break_on_hyphens=False) or [""]


def draw_panel(panel: Any, lay: Layout, entries: list[LegendEntry], day: dt.date,
               cited: list[str]) -> list:
    """Draw the legend, the date stamp and the sources in the side (or bottom) panel.

    Landscape pages stack them in one column; portrait pages put the date and
    sources in a second column. Sources that do not fit end with "… and N
    more". Returns every artist drawn (they change with the date).
    """
    u = lay.unit_px
    pw = lay.panel_box[2] * lay.width_px
    ph = lay.panel_box[3] * lay.height_px
    arts: list = []
    cols = [(0.0, 1.0)] if lay.landscape else [(0.0, 0.47), (0.53, 1.0)]
    x0, x1 = cols[0]
    col_px = (x1 - x0) * pw

    def text(x, y, s, **kw):
        kw.setdefault("color", INK)
        t = panel.text(x, y, s, parse_math=False, **kw)
        arts.append(t)
        return t

    def line_y(px: float) -> float:
        return px / ph

    y = 1.0 - line_y(u * 0.4)
    text(x0, y, "Legend", fontsize=lay.pt(1.15), fontweight="bold", va="top")
    text(x1, y, "area on date", fontsize=lay.pt(0.75), va="top", ha="right", color=GREY)
    y -= line_y(u * 2.0)
    sw_w, sw_h = u * 1.8 / pw, u * 1.1 / ph
    label_x = x0 + sw_w + u * 0.6 / pw
    if not entries:
        text(x0, y - sw_h / 2, "No layer in force on this date", fontsize=lay.pt(0.85),
             va="center", color=GREY, fontstyle="italic")
        y -= line_y(u * 1.9)
    for entry in entries:
        style = layer_style(entry.layer, entry.status)
        if entry.status is None:  # events
            (mark,) = panel.plot([x0 + sw_w / 2], [y - sw_h / 2], marker="D",
                                 color=style["line"], markersize=lay.pt(0.7),
                                 linestyle="none")
            arts.append(mark)
        else:
            for patch in (
                Rectangle((x0, y - sw_h), sw_w, sw_h, facecolor=style["fill"],
                          alpha=min(1.0, float(style["fill_opacity"]) + 0.1),
                          edgecolor="none"),
                Rectangle((x0, y - sw_h), sw_w, sw_h, facecolor="none",
                          edgecolor=style["line"], linewidth=lay.lw(0.12),
                          linestyle=dash(style["dash"])),
            ):
                panel.add_patch(patch)
                arts.append(patch)
        value_px = len(entry.value) * u * 0.85 * 0.62 + u
        wrapped = _wrap(entry.label, col_px - (label_x - x0) * pw - value_px, u * 0.85)
        text(label_x, y - sw_h / 2, "\n".join(wrapped), fontsize=lay.pt(0.85),
             va="center", ha="left", linespacing=1.05)
        text(x1, y - sw_h / 2, entry.value, fontsize=lay.pt(0.85), va="center", ha="right",
             fontweight="bold")
        y -= line_y(u * (1.9 if len(wrapped) == 1 else 1.05 * len(wrapped) + 0.75))
    # Basemap key.
    y -= line_y(u * 0.6)
    for kind, label in (("border", "State border (OpenStreetMap)"),
                        ("oblast", "Oblast boundary"), ("places", "Town / village")):
        if kind == "border":
            (a,) = panel.plot([x0, x0 + sw_w], [y, y], color=BORDER, linewidth=lay.lw(0.2))
            arts.append(a)
        elif kind == "oblast":
            (a,) = panel.plot([x0, x0 + sw_w], [y, y], color=OBLAST, linewidth=lay.lw(0.09),
                              linestyle=(0, (4, 2)))
            arts.append(a)
        else:
            for fx, face, size in ((0.3, INK, 0.5), (0.75, "white", 0.4)):
                (a,) = panel.plot([x0 + sw_w * fx], [y], marker="o", markerfacecolor=face,
                                  markeredgecolor=INK, markersize=lay.pt(size),
                                  linestyle="none")
                arts.append(a)
        text(label_x, y, label, fontsize=lay.pt(0.8), va="center")
        y -= line_y(u * 1.5)
    # Date stamp and sources: below the legend, or in the second column.
    if len(cols) > 1:
        x0, x1 = cols[1]
        col_px = (x1 - x0) * pw
        y = 1.0 - line_y(u * 0.4)
    else:
        y += line_y(u * 0.3)
    text(x0, y, day.isoformat(), fontsize=lay.pt(1.9), fontweight="bold", va="top")
    y -= line_y(u * 3.0)
    text(x0, y, "Sources (most-cited first)" if cited else "Sources: none for this date",
         fontsize=lay.pt(0.85), fontweight="bold", va="top")
    y -= line_y(u * 1.35)
    font_px = u * 0.72
    step = line_y(font_px * 1.25)
    bottom = line_y(u * 0.2)
    shown = 0
    for n, cite in enumerate(cited):
        lines = _wrap(cite, col_px - u * 0.6, font_px)
        rest = len(cited) - n - 1
        need = step * (len(lines) + (1 if rest else 0))
        if y - need < bottom:
            break
        text(x0, y, "\n".join(["· " + lines[0]] + ["  " + ln for ln in lines[1:]]),
             fontsize=lay.pt(0.72), va="top", linespacing=1.1)
        y -= step * len(lines) + line_y(font_px * 0.15)
        shown += 1
    if shown < len(cited):
        more = len(cited) - shown
        note = f"… and {more} more source{'s' if more > 1 else ''} (every one is in the " \
               "GeoJSON export)"
        text(x0, y, "\n".join(_wrap(note, col_px, font_px)), fontsize=lay.pt(0.72),
             va="top", color=GREY, fontstyle="italic", linespacing=1.1)
    return arts


# --------------------------------------------------------------------------- on the map


def reserved_boxes(ax: Any, lay: Layout) -> list:
    """Pixel boxes inside the map kept free of labels (scale bar, north arrow)."""
    bb = ax.get_window_extent()
    u = lay.unit_px
    return [
        Bbox.from_extents(bb.x0, bb.y0, bb.x0 + u * 17, bb.y0 + u * 4.2),   # scale bar
        Bbox.from_extents(bb.x1 - u * 5, bb.y1 - u * 7, bb.x1, bb.y1),      # north arrow
    ]


def draw_scalebar(ax: Any, frame: MapFrame, lay: Layout) -> float:
    """Draw a geodesically true scale bar (km) at the lower left; return its length in km."""
    u = lay.unit_px
    xmin, ymin, xmax, ymax = frame.extent
    bb = ax.get_window_extent()
    mpp = (xmax - xmin) / bb.width  # projected metres per pixel
    x0 = xmin + u * 1.2 * mpp
    y0 = ymin + u * 1.6 * mpp
    lon0, lat0 = FWD.transform(x0, y0, direction="INVERSE")
    # The geodesic length of ~12 units of bar, rounded to a nice number of km.
    lon1, lat1 = FWD.transform(x0 + u * 12 * mpp, y0, direction="INVERSE")
    _, _, dist = _GEOD.inv(lon0, lat0, lon1, lat1)
    nice = [0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200]
    km = max([k for k in nice if k <= dist / 1000] or [0.5])
    lon_e, lat_e, _ = _GEOD.fwd(lon0, lat0, 90.0, km * 1000.0)
    xe, _ = FWD.transform(lon_e, lat_e)
    height = u * 0.45 * mpp
    half = (xe - x0) / 2
    ax.add_patch(Rectangle((x0 - u * 0.7 * mpp, y0 - u * 1.25 * mpp),
                           (xe - x0) + u * 2.6 * mpp, u * 3.0 * mpp, facecolor="white",
                           edgecolor="none", alpha=0.8, zorder=9))
    for k, colour in enumerate((INK, "white")):
        ax.add_patch(Rectangle((x0 + k * half, y0), half, height, facecolor=colour,
                               edgecolor=INK, linewidth=lay.lw(0.06), zorder=10))
    txt = {"fontsize": lay.pt(0.8), "color": INK, "ha": "center", "va": "bottom",
           "zorder": 10, "parse_math": False}
    ax.text(x0, y0 + height * 1.3, "0", **txt)
    ax.text(x0 + half, y0 + height * 1.3, f"{km / 2:g}", **txt)
    ax.text(xe, y0 + height * 1.3, f"{km:g} km", **txt)
    ax.text(x0, y0 - height * 0.6, "geodesic distance, WGS84", fontsize=lay.pt(0.62),
            color=GREY, ha="left", va="top", zorder=10, parse_math=False)
    return km


def draw_north_arrow(ax: Any, frame: MapFrame, lay: Layout) -> None:
    """Draw an arrow to true north (the grid converges slightly away from 35.2°E)."""
    u = lay.unit_px
    xmin, ymin, xmax, ymax = frame.extent
    mpp = (xmax - xmin) / ax.get_window_extent().width
    x = xmax - u * 2.5 * mpp
    y = ymax - u * 5.8 * mpp
    lon, lat = FWD.transform(x, y, direction="INVERSE")
    xn, yn = FWD.transform(lon, lat + 0.01)
    angle = np.arctan2(xn - x, yn - y)
    length = u * 3.2 * mpp
    dx, dy = length * np.sin(angle), length * np.cos(angle)
    ax.add_patch(FancyArrow(x, y, dx, dy, width=u * 0.35 * mpp, head_width=u * 1.3 * mpp,
                            head_length=u * 1.3 * mpp, length_includes_head=True,
                            facecolor=INK, edgecolor="white", linewidth=lay.lw(0.05),
                            zorder=10))
    ax.text(x + dx, y + dy + u * 0.3 * mpp, "N", fontsize=lay.pt(1.1), fontweight="bold",
            ha="center", va="bottom", color=INK, zorder=10, parse_math=False,
            path_effects=[withStroke(linewidth=lay.lw(0.3), foreground="white")])


# --------------------------------------------------------------------------- page


def draw_header(fig: Any, lay: Layout) -> None:
    """Draw the title (the date line is drawn per date by :func:`date_line`)."""
    fig.text(lay.map_box[0], lay.header_top, TITLE, fontsize=lay.pt(1.9), fontweight="bold",
             color=INK, va="top", parse_math=False)


def date_line(fig: Any, lay: Layout, day: dt.date) -> Any:
    """Draw the date under the title; return the text artist."""
    return fig.text(lay.map_box[0], lay.header_top - lay.unit_px * 2.4 / lay.height_px,
                    f"{long_date(day)}  ·  layers in force on {day.isoformat()}",
                    fontsize=lay.pt(1.25), color="#444444", va="top", parse_math=False)


def draw_footer(fig: Any, lay: Layout) -> Any:
    """Draw the attribution and projection note under the map, wrapped to the page."""
    font_px = lay.unit_px * 0.7
    width = lay.width_px * (1 - 2 * lay.map_box[0])
    lines = _wrap(ATTRIBUTION + "  ·  " + PROJECTION_NOTE, width, font_px)
    if len(lines) > 2:  # a very narrow page: the attribution always, the note if it fits
        lines = _wrap(ATTRIBUTION, width, font_px)
    return fig.text(lay.map_box[0], lay.footer_top * 0.18, "\n".join(lines),
                    fontsize=lay.pt(0.7), color=GREY, va="bottom", parse_math=False,
                    linespacing=1.1)
