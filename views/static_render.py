r"""Static cartographic render of one date (matplotlib, no browser).

A print-quality map drawn from the same layers and offline basemap as the app.
This module assembles the parts, each in the module named for its job:

- :mod:`views.render_frame`: projection, page layout, extent (``bbox`` or what
  is drawn on the date), basemap land, graticule and lines;
- :mod:`views.render_labels`: place names, decluttered by rank;
- :mod:`views.render_furniture`: title, date, legend of what is drawn, scale
  bar, north arrow, sources as cited, attribution.

Every string that comes from the data (names, sources) is drawn with
``parse_math=False`` and ``usetex`` off: ``$\frac{}{}$`` or ``<script>`` is
printed literally.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

from geo.measurement import geodesic_area_km2
from layers.timeline import to_date
from views import render_furniture as furniture
from views.citation import sources_on
from views.render_frame import (
    INK,
    PAPER,
    RC,
    Basemap,
    as_dates,
    chosen_layers,
    dash,
    layer_style,
    layout,
    line_paths,
    map_frame,
    polygon_path,
    project,
)
from views.render_labels import BIG_TOWN, Labeller
from views.styles import BASE_STYLE

__all__ = ["FORMATS", "MapRenderer", "render_png"]

#: Output formats :func:`render_png` writes.
FORMATS = ("png", "svg", "pdf")
#: Drawing order of the area layers: claims under confirmed control, held on top.
_RANK = {"ukrainian_claimed": 0, "russian_claimed": 1, "sumy_security_zone": 2,
         "contested": 3, "ukrainian_held": 4, "sudzha_pocket": 5}


@dataclass
class _Dynamic:
    artists: list = field(default_factory=list)

    def clear(self) -> None:
        for art in self.artists:
            art.remove()
        self.artists.clear()


class MapRenderer:
    """A figure with the basemap drawn once; :meth:`draw` adds one date's layers.

    Reusing one renderer for many dates (an animation) skips rebuilding the
    basemap, labels and decorations for every frame.

    Parameters
    ----------
    timeline : layers.Timeline
    base : layers.BaseLayers
    layers : sequence of str, optional
        Layer ids to draw (default: every loaded layer).
    width_px, height_px : int
        Image size in pixels.
    dpi : float
        Dots per inch of the output (physical size = pixels / dpi).
    on : date or sequence of dates, optional
        The date(s) the extent is fitted to (see :func:`views.render_frame.map_frame`).
    bbox : sequence of 4 float, optional
        ``(lon_min, lat_min, lon_max, lat_max)`` to show instead.

    Raises
    ------
    ValueError
        For a size or dpi out of range, or a bad ``bbox``.
    """

    def __init__(self, timeline: Any, base: Any, layers: Sequence[str] | None = None, *,
                 width_px: int = 1600, height_px: int = 1000, dpi: float = 150.0,
                 on: Any = None, bbox: Sequence[float] | None = None):
        if width_px < 300 or height_px < 200:
            raise ValueError(f"image size {width_px}x{height_px} px is too small to draw a "
                             "legible map: use at least 300x200 px")
        if not 20 <= dpi <= 1200:
            raise ValueError(f"dpi {dpi} is out of range: use 20..1200")
        if width_px * height_px > 40_000_000:
            raise ValueError(f"image size {width_px}x{height_px} px is too large: keep it under "
                             "40 megapixels")
        self.timeline = timeline
        self.base = base
        self.layers = None if layers is None else list(layers)
        self.outlets = getattr(base, "outlets", None) or {}
        self.layout = layout(width_px, height_px, dpi)
        self._fit_dates = as_dates(on)
        self.frame = map_frame(timeline, self.layers, width_px=width_px, height_px=height_px,
                               dpi=dpi, on=on, bbox=bbox)
        self._dynamic = _Dynamic()
        self._area_cache: dict = {}
        self._visible_cache: dict = {}  # id(geometry) -> (geometry kept alive, shown)
        self._blit = False
        self.day: dt.date | None = None
        with matplotlib.rc_context(RC):
            self._build()

    # -- static parts -------------------------------------------------------------------

    def _build(self) -> None:
        lay = self.layout
        self.fig = Figure(figsize=(lay.width_px / lay.dpi, lay.height_px / lay.dpi),
                          dpi=lay.dpi, facecolor=PAPER)
        self.canvas = FigureCanvasAgg(self.fig)
        ax = self.fig.add_axes(lay.map_box)
        xmin, ymin, xmax, ymax = self.frame.extent
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor(BASE_STYLE["background"])
        for spine in ax.spines.values():
            spine.set_edgecolor(INK)
            spine.set_linewidth(lay.lw(0.08))
        self.ax = ax
        self.panel = self.fig.add_axes(lay.panel_box)
        self.panel.set_axis_off()
        self.panel.set_xlim(0, 1)
        self.panel.set_ylim(0, 1)
        self.basemap = Basemap(ax, self.frame, lay)
        self.basemap.draw_land(self.base)
        self.basemap.draw_graticule()
        overlay = self.basemap.draw_lines(self.base)
        self.labeller = Labeller(ax, self.canvas.get_renderer(), self.basemap, lay,
                                 furniture.reserved_boxes(ax, lay))
        # By rank: big towns, country names, oblast names, then the other settlements.
        overlay += self.labeller.settlements(self.base.settlements, min_population=BIG_TOWN)
        overlay += self.labeller.countries(self.base, self._features_outline())
        overlay += self.labeller.oblasts(self.base)
        overlay += self.labeller.settlements(self.base.settlements)
        before = set(map(id, ax.get_children()))
        self.scale_km = furniture.draw_scalebar(ax, self.frame, lay)
        furniture.draw_north_arrow(ax, self.frame, lay)
        overlay += [a for a in ax.get_children() if id(a) not in before]
        self._static_overlay = overlay
        furniture.draw_header(self.fig, lay)
        furniture.draw_footer(self.fig, lay)

    def _features_outline(self):
        """Return what is drawn on the fitted date(s), for the country names to avoid."""
        if self.timeline is None:
            return None
        geoms: dict[int, Any] = {}
        for day in self._fit_dates:
            for layer in chosen_layers(self.timeline, self.layers):
                geom = self.timeline.geometry(layer, day)
                if not geom.is_empty:
                    geoms.setdefault(id(geom), geom)
        if not geoms:
            return None
        return self.basemap.clip(shapely.union_all(list(geoms.values())))

    # -- one date -----------------------------------------------------------------------

    def draw(self, on: str | dt.date) -> None:
        """Replace the drawn date with ``on`` (the layers, legend, areas, date, sources)."""
        day = to_date(on)
        self.day = day
        self._dynamic.clear()
        with matplotlib.rc_context(RC):
            self._draw_layers(day)
            self._draw_date_text(day)

    def _area(self, layer: str, status: str, day: dt.date) -> float:
        key = (layer, status, self.timeline.segment_start(layer, day))
        if key not in self._area_cache:
            self._area_cache[key] = geodesic_area_km2(self.timeline.geometry(layer, day,
                                                                             status))
        return self._area_cache[key]

    def _draw_layers(self, day: dt.date) -> None:
        lay = self.layout
        ax = self.ax
        order = chosen_layers(self.timeline, self.layers)
        order.sort(key=lambda name: _RANK.get(name, 6))
        for z, layer in enumerate(order):
            if layer not in self.timeline.area_layers:
                self._draw_events(layer, day)
                continue
            for status in self.timeline.statuses(layer):
                geom = self.timeline.geometry(layer, day, status)
                if geom.is_empty:
                    continue
                path = polygon_path(self.basemap.clip(geom))
                if path is None:
                    continue
                style = layer_style(layer, status)
                fill = PathPatch(path, facecolor=style["fill"],
                                 alpha=float(style["fill_opacity"]), edgecolor="none",
                                 zorder=2 + z * 0.1)
                edge = PathPatch(path, facecolor="none", edgecolor=style["line"],
                                 linewidth=lay.lw(0.14), linestyle=dash(style["dash"]),
                                 zorder=5 + z * 0.01)
                for patch in (fill, edge):
                    patch.set_transform(ax.transData)
                    patch.set_clip_path(ax.patch)
                    ax.add_artist(patch)  # add_patch would re-run autoscaling: slow
                self._dynamic.artists += [fill, edge]

    def _draw_events(self, layer: str, day: dt.date) -> None:
        state = self.timeline.state(layer, day)
        if not len(state):
            return
        lay = self.layout
        ax = self.ax
        pts_x, pts_y, colours = [], [], []
        for status, geom in zip(state["status"], state.geometry, strict=True):
            style = layer_style(layer, status)
            proj = self.basemap.clip(geom)
            if proj.is_empty:
                continue
            for part in getattr(proj, "geoms", [proj]):
                if part.geom_type == "Point":
                    pts_x.append(part.x)
                    pts_y.append(part.y)
                    colours.append(style["line"])
                else:
                    for xy in line_paths(part):
                        (line,) = ax.plot(xy[:, 0], xy[:, 1], color=style["line"],
                                          linewidth=lay.lw(0.18),
                                          linestyle=dash(style["dash"]), zorder=7.5)
                        self._dynamic.artists.append(line)
        if pts_x:
            u = lay.lw(1.0)
            coll = ax.scatter(pts_x, pts_y, s=(u * 0.75) ** 2, c=colours, marker="D",
                              edgecolors="white", linewidths=u * 0.06, zorder=7.6)
            self._dynamic.artists.append(coll)

    def legend(self, on: str | dt.date) -> list[furniture.LegendEntry]:
        """Return the legend rows of ``on``: exactly the layers (and statuses) drawn."""
        return furniture.legend_entries(self.timeline, to_date(on), self.layers,
                                        area_of=self._area, visible=self._visible)

    def _visible(self, geom) -> bool:
        """Whether ``geom`` (lon/lat) shows inside the map's view."""
        key = id(geom)
        if key not in self._visible_cache:
            self._visible_cache[key] = (geom, bool(shapely.intersects(project(geom),
                                                                      self.basemap.view)))
        return self._visible_cache[key][1]

    def sources(self, on: str | dt.date) -> list[str]:
        """Return the sources of the layers in view on ``on`` as a reader cites them.

        Most-cited first; only the layers the legend lists (drawn and in view).
        """
        shown = list(dict.fromkeys(e.layer for e in self.legend(on)))
        return sources_on(self.timeline, to_date(on), shown, self.outlets)

    def _draw_date_text(self, day: dt.date) -> None:
        arts = self._dynamic.artists
        arts.append(furniture.date_line(self.fig, self.layout, day))
        arts += furniture.draw_panel(self.panel, self.layout, self.legend(day), day,
                                     self.sources(day))

    # -- output -------------------------------------------------------------------------

    def texts(self) -> list[str]:
        """Every text drawn on the figure now (title, legend, labels, sources, credits)."""
        out = []
        for artist in self.fig.findobj(matplotlib.text.Text):
            if artist.get_visible() and artist.get_text():
                out.append(artist.get_text())
        return out

    def to_bytes(self, fmt: str = "png") -> bytes:
        """Return the current figure as PNG, SVG or PDF bytes (reproducible: no timestamps).

        The file's own metadata carries the title with the date and the basemap
        attribution (PNG ``Title``/``Copyright``, plus ``Extent``: the lon/lat box
        shown; SVG ``Title``/``Rights``; PDF ``Title``/``Subject``).
        """
        if fmt not in FORMATS:
            raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
        title = furniture.TITLE + (f", {furniture.long_date(self.day)}" if self.day else "")
        extent = ",".join(f"{v:.5f}" for v in self.frame.lonlat_bounds())
        meta = {"png": {"Software": None, "Title": title, "Copyright": furniture.ATTRIBUTION,
                        "Extent": extent},
                "svg": {"Date": None, "Creator": None, "Title": title,
                        "Rights": furniture.ATTRIBUTION},
                "pdf": {"CreationDate": None, "ModDate": None, "Creator": None,
                        "Producer": None, "Title": title,
                        "Subject": furniture.ATTRIBUTION}}[fmt]
        buf = io.BytesIO()
        with matplotlib.rc_context(RC):
            self.fig.savefig(buf, format=fmt, dpi=self.layout.dpi, metadata=meta,
                             facecolor=self.fig.get_facecolor())
        return buf.getvalue()

    def frames(self, dates: Iterable[str | dt.date]):
        """Yield ``(date, rgb array)`` for each date, drawing the basemap only once.

        The layers go between two cached images: the basemap under them and the
        border, labels, scale bar and north arrow over them (blitting). Frames
        look the same as :meth:`to_rgb` after :meth:`draw`.
        """
        with matplotlib.rc_context(RC):
            for art in self._static_overlay:
                art.set_animated(True)
            self._dynamic.clear()
            self._blit = True
            try:
                self.canvas.draw()  # the basemap and decorations without the overlay
                background = self.canvas.copy_from_bbox(self.fig.bbox)
                renderer = self.canvas.get_renderer()
                renderer.clear()
                for art in sorted(self._static_overlay, key=lambda a: a.get_zorder()):
                    art.axes.draw_artist(art)
                # The overlay lives inside the map frame: composite only that window.
                left, top, right, bottom = (int(round(v)) for v in self.frame.axes_px)
                win = (slice(max(top - 2, 0), bottom + 2), slice(max(left - 2, 0), right + 2))
                overlay = np.asarray(self.canvas.buffer_rgba())[win].astype(np.float32)
                alpha = overlay[..., 3:4] / 255.0
                over_rgb = overlay[..., :3] * alpha + 0.5
                keep = 1.0 - alpha
                for day in dates:
                    self._dynamic.clear()
                    self.draw(day)
                    self.canvas.restore_region(background)
                    arts = sorted(self._dynamic.artists, key=lambda a: a.get_zorder())
                    for art in arts:
                        art.set_animated(True)
                        if art.axes:
                            art.axes.draw_artist(art)
                        else:
                            art.draw(renderer)
                    rgb = np.asarray(self.canvas.buffer_rgba())[..., :3].copy()
                    under = rgb[win].astype(np.float32)
                    rgb[win] = np.minimum(over_rgb + under * keep, 255.0).astype(np.uint8)
                    yield to_date(day), rgb
            finally:
                self._blit = False
                for art in self._static_overlay:
                    art.set_animated(False)
                for art in self._dynamic.artists:
                    art.set_animated(False)

    def to_rgb(self) -> np.ndarray:
        """Return the current figure as an ``(height, width, 3)`` uint8 array."""
        with matplotlib.rc_context(RC):
            self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())[..., :3].copy()


def render_png(timeline: Any, base: Any, on: str | dt.date, layers: Iterable[str] | None = None,
               *, width_px: int = 1600, height_px: int = 1000, dpi: float = 150.0,
               fmt: str = "png", bbox: Sequence[float] | None = None) -> bytes:
    """Render the map of ``on`` as PNG (or SVG/PDF) bytes.

    Parameters
    ----------
    timeline : layers.Timeline
    base : layers.BaseLayers
    on : str or datetime.date
        The date (ISO ``YYYY-MM-DD``).
    layers : iterable of str, optional
        Layer ids to draw (default: every loaded layer).
    width_px, height_px : int
        Image size in pixels (PNG is exactly this size).
    dpi : float
        Dots per inch: sets the physical size (``width_px / dpi`` inches).
    fmt : {"png", "svg", "pdf"}
    bbox : sequence of 4 float, optional
        ``(lon_min, lat_min, lon_max, lat_max)`` to show; default: fitted to
        what is drawn on ``on``.

    Returns
    -------
    bytes

    Raises
    ------
    ValueError
        For an unknown format, a size or dpi out of range, or a bad ``bbox``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    renderer = MapRenderer(timeline, base, None if layers is None else list(layers),
                           width_px=width_px, height_px=height_px, dpi=dpi, on=on, bbox=bbox)
    renderer.draw(on)
    return renderer.to_bytes(fmt)
