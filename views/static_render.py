r"""Static cartographic render of one date (matplotlib, no browser).

A print-quality map drawn from the same layers and offline basemap as the app:
title and date, legend with each layer's geodesic area (km²) on that date,
scale bar (geodesic km), north arrow (true north), settlements with labels,
the sources of the features in force and the attribution line.

The drawing is in a local transverse Mercator projection centred on
35.2°E 51.2°N (:data:`MAP_PROJ`): conformal, so shapes and the north arrow are
true, and within 0.02 % of true scale over the whole map. Never plate carrée
degrees.

Layout sizes are fractions of the image in pixels, so a map looks the same at
any DPI; the DPI only sets the physical (print) size of PNG/SVG/PDF output.

Every string that comes from the data (names, sources) is drawn with
``parse_math=False`` and ``usetex`` off: ``$\frac{}{}$`` or ``<script>`` is
printed literally.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib
import numpy as np
import pyproj
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrow, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Bbox
from shapely.geometry.base import BaseGeometry

from geo.measurement import geodesic_area_km2
from layers.schema import AREA_LAYERS, LAYER_LABELS
from layers.timeline import to_date
from views.styles import ATTRIBUTION, BASE_STYLE, LEGEND, style_for

__all__ = [
    "ATTRIBUTION", "MAP_PROJ", "MapFrame", "MapRenderer", "layer_areas", "map_frame",
    "render_png", "sources_on",
]

#: The drawing projection: transverse Mercator centred on the Sudzha salient (metres).
MAP_PROJ = "+proj=tmerc +lat_0=51.2 +lon_0=35.2 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"
#: The licence line every export carries.
#: The view when the timeline has no features (lon/lat degrees: W, S, E, N).
DEFAULT_BOUNDS = (34.35, 50.85, 36.05, 51.65)
#: Output formats :func:`render_png` writes.
FORMATS = ("png", "svg", "pdf")

_RC = {
    "text.usetex": False,
    "svg.hashsalt": "kursk-frontline",  # stable SVG ids: the same input gives the same bytes
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
}
_FWD = pyproj.Transformer.from_crs("EPSG:4326", MAP_PROJ, always_xy=True)
_GEOD = pyproj.Geod(ellps="WGS84")

_INK = "#222222"
_GREY = "#6b6b6b"
_LAND_RU = BASE_STYLE["RUS"]["fill"]
_LAND_UA = BASE_STYLE["UKR"]["fill"]
_BORDER = BASE_STYLE["border_line"]
_OBLAST = BASE_STYLE["oblast_line"]
_PAPER = "#ffffff"


def _project_xy(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = _FWD.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


def _project(geom: BaseGeometry) -> BaseGeometry:
    def fn(xy: np.ndarray) -> np.ndarray:
        x, y = _FWD.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, fn)


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Layout:
    """Where things go, in figure fractions (0..1, origin bottom left)."""

    width_px: int
    height_px: int
    dpi: float
    map_box: tuple[float, float, float, float]  # left, bottom, width, height
    panel_box: tuple[float, float, float, float]
    header_top: float
    footer_top: float
    unit_px: float  # base text size in pixels

    def pt(self, scale: float = 1.0) -> float:
        """Return a font size in points that is ``scale`` base units tall in pixels."""
        return self.unit_px * scale * 72.0 / self.dpi


def _layout(width_px: int, height_px: int, dpi: float) -> _Layout:
    w, h = float(width_px), float(height_px)
    unit = max(9.0, min(w, h) / 62.0)
    margin = unit * 1.4
    header = unit * 5.2
    footer = unit * 4.6
    landscape = w >= 1.15 * h
    top = h - header
    bottom = footer
    if landscape:
        panel_w = max(unit * 17.0, w * 0.25)
        map_box = (margin, bottom, w - panel_w - 2 * margin, top - bottom)
        panel_box = (w - panel_w - margin * 0.5, bottom, panel_w, top - bottom)
    else:
        panel_h = max(unit * 14.0, h * 0.25)
        map_box = (margin, bottom + panel_h, w - 2 * margin, top - bottom - panel_h)
        panel_box = (margin, bottom, w - 2 * margin, panel_h - unit * 0.5)
    frac = lambda b: (b[0] / w, b[1] / h, b[2] / w, b[3] / h)  # noqa: E731
    return _Layout(int(width_px), int(height_px), float(dpi), frac(map_box), frac(panel_box),
                   1.0 - unit * 0.9 / h, footer / h, unit)


# --------------------------------------------------------------------------- the frame


@dataclass(frozen=True)
class MapFrame:
    """The map's placement: projected extent and its position in the image.

    Attributes
    ----------
    width_px, height_px : int
        Image size in pixels.
    axes_px : tuple of float
        The map area in image pixels: left, top, right, bottom (origin top left).
    extent : tuple of float
        The projected extent (metres in :data:`MAP_PROJ`): xmin, ymin, xmax, ymax.

    Examples
    --------
    >>> frame = map_frame(None, width_px=800, height_px=500)
    >>> col, row = frame.to_pixel(35.271, 51.191)
    >>> 0 < col < 800 and 0 < row < 500
    True
    """

    width_px: int
    height_px: int
    axes_px: tuple[float, float, float, float]
    extent: tuple[float, float, float, float]

    def to_pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """Image pixel (column, row; origin top left) of a lon/lat point (degrees)."""
        x, y = _project_xy(lon, lat)
        left, top, right, bottom = self.axes_px
        xmin, ymin, xmax, ymax = self.extent
        col = left + (float(x) - xmin) / (xmax - xmin) * (right - left)
        row = bottom - (float(y) - ymin) / (ymax - ymin) * (bottom - top)
        return float(col), float(row)


def _data_bounds(timeline: Any, layers: Sequence[str] | None) -> tuple[float, ...]:
    if timeline is None or not len(getattr(timeline, "features", ())):
        return DEFAULT_BOUNDS
    feats = timeline.features
    if layers is not None:
        feats = feats[feats["layer"].isin(list(layers))]
    feats = feats[feats["layer"].isin(AREA_LAYERS)] if feats["layer"].isin(AREA_LAYERS).any() \
        else feats
    if not len(feats):
        return DEFAULT_BOUNDS
    w, s, e, n = (float(v) for v in feats.total_bounds)
    # Never zoom in closer than ~60 km across: the reader needs the border and towns.
    cx, cy, half_w, half_h = (w + e) / 2, (s + n) / 2, max((e - w) / 2, 0.45), max((n - s) / 2,
                                                                                    0.28)
    pad = 1.18
    return (cx - half_w * pad, cy - half_h * pad, cx + half_w * pad, cy + half_h * pad)


def map_frame(timeline: Any, layers: Sequence[str] | None = None, *, width_px: int,
              height_px: int, dpi: float = 100.0) -> MapFrame:
    """Compute the frame :func:`render_png` uses for a timeline, layer choice and size.

    The extent covers every feature of the chosen layers on every date (so all
    frames of an animation share it), padded, in :data:`MAP_PROJ`, widened to
    the map area's aspect ratio.

    Parameters
    ----------
    timeline : layers.Timeline or None
        None gives :data:`DEFAULT_BOUNDS`.
    layers : sequence of str, optional
        Layer ids (default: all).
    width_px, height_px : int
        Image size.
    dpi : float, optional
        Does not change the frame (the layout is in pixels); accepted for symmetry.

    Returns
    -------
    MapFrame
    """
    lay = _layout(width_px, height_px, dpi)
    w, s, e, n = _data_bounds(timeline, layers)
    lons = np.array([w, e, e, w, (w + e) / 2, (w + e) / 2])
    lats = np.array([s, s, n, n, s, n])
    xs, ys = _project_xy(lons, lats)
    xmin, xmax, ymin, ymax = xs.min(), xs.max(), ys.min(), ys.max()
    left, bottom, mw, mh = lay.map_box
    box_w, box_h = mw * width_px, mh * height_px
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    dx, dy = xmax - xmin, ymax - ymin
    if dx / dy < box_w / box_h:
        dx = dy * box_w / box_h
    else:
        dy = dx * box_h / box_w
    extent = (cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2)
    axes_px = (left * width_px, (1 - bottom - mh) * height_px, (left + mw) * width_px,
               (1 - bottom) * height_px)
    return MapFrame(int(width_px), int(height_px), axes_px, extent)


# --------------------------------------------------------------------------- geometry -> artists


def _ring_codes(n: int) -> list[int]:
    return [MplPath.MOVETO] + [MplPath.LINETO] * (n - 2) + [MplPath.CLOSEPOLY]


def _polygon_path(geom: BaseGeometry) -> MplPath | None:
    """One compound path (holes included) for a projected (Multi)Polygon."""
    verts: list[np.ndarray] = []
    codes: list[int] = []
    for part in getattr(geom, "geoms", [geom]):
        if part.is_empty or part.geom_type != "Polygon":
            continue
        part = shapely.geometry.polygon.orient(part, 1.0)  # holes opposite: nonzero fill rule
        for ring in (part.exterior, *part.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 4:
                continue
            verts.append(xy)
            codes.extend(_ring_codes(len(xy)))
    if not verts:
        return None
    return MplPath(np.concatenate(verts), codes)


def _line_paths(geom: BaseGeometry) -> list[np.ndarray]:
    out = []
    for part in getattr(geom, "geoms", [geom]):
        if part.is_empty:
            continue
        if part.geom_type in ("LineString", "LinearRing"):
            out.append(np.asarray(part.coords)[:, :2])
        elif part.geom_type == "Polygon":
            out.append(np.asarray(part.exterior.coords)[:, :2])
        elif hasattr(part, "geoms"):
            out.extend(_line_paths(part))
    return out


def _dash(value: Any) -> Any:
    """Convert a Leaflet ``dashArray`` ("6 4", "6,4", [6, 4]) to a matplotlib linestyle."""
    if value in (None, "", "solid", False):
        return "solid"
    if isinstance(value, str):
        parts = [float(p) for p in value.replace(",", " ").split()]
    else:
        parts = [float(p) for p in value]
    if not parts or not any(parts):
        return "solid"
    if len(parts) % 2:
        parts = parts * 2
    return (0, tuple(p / 2.0 for p in parts))  # Leaflet px -> matplotlib points (~linewidth 2)


def _style(layer: str, status: str | None) -> dict:
    style = dict(style_for(layer, status))
    style.setdefault("fill", "#888888")
    style.setdefault("line", style["fill"])
    style.setdefault("fill_opacity", 0.4)
    style.setdefault("dash", None)
    return style


# --------------------------------------------------------------------------- data helpers


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


def sources_on(timeline: Any, on: str | dt.date, layers: Sequence[str] | None = None
               ) -> list[str]:
    """List the outlets (else claim makers) cited by the features in force on ``on``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="contested", status="contested",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=None, geometry=box(35, 51, 35.1, 51.1),
    ...     sources=[{"claim_maker": "ISW", "outlet": "ISW", "date": "2024-08-07"},
    ...              {"claim_maker": "x", "outlet": "Reuters", "date": "2024-08-08"}])],
    ...     crs="EPSG:4326"))
    >>> sources_on(tl, "2024-08-10")
    ['ISW', 'Reuters']
    """
    seen: dict[str, None] = {}
    for layer in _layers(timeline, layers):
        for srcs in timeline.state(layer, on).get("sources", []):
            for src in srcs if isinstance(srcs, list | tuple) else []:
                if not isinstance(src, dict):
                    continue
                name = str(src.get("outlet") or src.get("claim_maker") or "").strip()
                if name:
                    seen.setdefault(name, None)
    return list(seen)


def _layers(timeline: Any, layers: Sequence[str] | None) -> list[str]:
    present = list(timeline.layers)
    if layers is None:
        return present
    return [name for name in present if name in layers]


def _format_area(km2: float) -> str:
    return f"{km2:,.0f} km²" if km2 >= 10 else f"{km2:,.1f} km²"


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --------------------------------------------------------------------------- the renderer


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
    """

    def __init__(self, timeline: Any, base: Any, layers: Sequence[str] | None = None, *,
                 width_px: int = 1600, height_px: int = 1000, dpi: float = 150.0):
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
        self.layout = _layout(width_px, height_px, dpi)
        self.frame = map_frame(timeline, self.layers, width_px=width_px, height_px=height_px,
                               dpi=dpi)
        self._dynamic = _Dynamic()
        self._area_cache: dict = {}
        self._legend_rows: list[tuple[str, str]] = []
        self._background = None
        self._overlay = None
        with matplotlib.rc_context(_RC):
            self._build()

    # -- static parts -------------------------------------------------------------------

    def _build(self) -> None:
        lay = self.layout
        self.fig = Figure(figsize=(lay.width_px / lay.dpi, lay.height_px / lay.dpi),
                          dpi=lay.dpi, facecolor=_PAPER)
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
            spine.set_edgecolor(_INK)
            spine.set_linewidth(lay.unit_px * 0.08 * 72 / lay.dpi)
        self.ax = ax
        self.panel = self.fig.add_axes(lay.panel_box)
        self.panel.set_axis_off()
        self.panel.set_xlim(0, 1)
        self.panel.set_ylim(0, 1)
        self._view = shapely.box(*self.frame.extent)
        self._draw_base()
        self._draw_graticule()
        self._static_overlay = self._draw_base_lines_and_labels()
        before = set(map(id, self.ax.get_children()))
        self._draw_scalebar()
        self._draw_north_arrow()
        self._static_overlay += [a for a in self.ax.get_children() if id(a) not in before]
        self._draw_header()
        self._draw_legend_frame()

    def _clip(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.intersection(_project(geom), self._view.buffer(5_000))

    def _draw_base(self) -> None:
        base = self.base
        for _, row in base.countries.iterrows():
            iso = str(row.get("iso_a3", ""))
            colour = _LAND_RU if iso == "RUS" else _LAND_UA if iso == "UKR" else "#f0f0f0"
            path = _polygon_path(self._clip(row.geometry))
            if path is not None:
                self.ax.add_patch(PathPatch(path, facecolor=colour, edgecolor="none",
                                            zorder=0.5))

    def _draw_graticule(self) -> None:
        """Faint meridians every 0.5° and parallels every 0.25°, labelled at the frame edge."""
        lay = self.layout
        w, s, e, n = self._view_lonlat()
        style = {"color": "#b9c2c9", "linewidth": 0.5 * 72 / lay.dpi * lay.unit_px / 10,
                     "zorder": 0.8}
        small = {"fontsize": lay.pt(0.72), "color": _GREY, "parse_math": False, "zorder": 9,
                     "clip_on": False}
        xmin, ymin, xmax, ymax = self.frame.extent
        for lon in np.arange(np.ceil(w * 2) / 2, e, 0.5):
            lats = np.linspace(s - 0.2, n + 0.2, 40)
            xs, ys = _project_xy(np.full_like(lats, lon), lats)
            self.ax.plot(xs, ys, **style)
            x_at_bottom = float(np.interp(ymin, ys, xs))
            if xmin < x_at_bottom < xmax:
                self.ax.text(x_at_bottom, ymin, f"{lon:.1f}°E", ha="center", va="top",
                             **small)
        for lat in np.arange(np.ceil(s * 4) / 4, n, 0.25):
            lons = np.linspace(w - 0.3, e + 0.3, 40)
            xs, ys = _project_xy(lons, np.full_like(lons, lat))
            self.ax.plot(xs, ys, **style)
            y_at_left = float(np.interp(xmin, xs, ys))
            if ymin < y_at_left < ymax:
                self.ax.text(xmin, y_at_left, f"{lat:.2f}°N ", ha="right", va="center",
                             rotation=90, **small)

    def _view_lonlat(self) -> tuple[float, float, float, float]:
        xmin, ymin, xmax, ymax = self.frame.extent
        xs = np.array([xmin, xmax, xmax, xmin, (xmin + xmax) / 2, (xmin + xmax) / 2])
        ys = np.array([ymin, ymin, ymax, ymax, ymin, ymax])
        lon, lat = _FWD.transform(xs, ys, direction="INVERSE")
        return float(np.min(lon)), float(np.min(lat)), float(np.max(lon)), float(np.max(lat))

    def _draw_base_lines_and_labels(self) -> list:
        """Oblast lines, the border, country/oblast names, settlements (above the layers)."""
        lay = self.layout
        ax = self.ax
        u = lay.unit_px * 72 / lay.dpi  # one unit in points
        arts = []
        halo = [withStroke(linewidth=u * 0.32, foreground="white")]
        for geom in self.base.oblasts.geometry:
            for xy in _line_paths(self._clip(geom.boundary)):
                (line,) = ax.plot(xy[:, 0], xy[:, 1], color=_OBLAST, linewidth=u * 0.09,
                                  linestyle=(0, (4, 2)), zorder=6)
                arts.append(line)
        for geom in self.base.border.geometry:
            for xy in _line_paths(self._clip(geom)):
                (line,) = ax.plot(xy[:, 0], xy[:, 1], color="white", linewidth=u * 0.45,
                                  zorder=6.5, solid_capstyle="round")
                (line2,) = ax.plot(xy[:, 0], xy[:, 1], color=_BORDER, linewidth=u * 0.2,
                                   zorder=6.6, solid_capstyle="round")
                arts += [line, line2]
        self._placed: list = []
        renderer = self.canvas.get_renderer()
        self._reserved = self._reserved_boxes()
        # Country names in large spaced capitals, where there is room.
        for _, row in self.base.countries.iterrows():
            name = {"RUS": "R U S S I A", "UKR": "U K R A I N E"}.get(str(row.get("iso_a3")))
            if not name:
                continue
            spot = self._free_spot(row.geometry)
            if spot is not None:
                t = ax.text(*spot, name, fontsize=lay.pt(1.5), color="#9aa0a6",
                            fontweight="bold", ha="center", va="center", zorder=7,
                            parse_math=False, path_effects=halo)
                self._keep_if_free(t, renderer, arts, force=True)
        for _, row in self.base.oblasts.iterrows():
            name = str(row.get("name", ""))
            if not name or name.startswith("("):
                continue
            inside = shapely.intersection(_project(row.geometry), self._view.buffer(-8_000))
            if inside.is_empty or inside.area < 0.04 * self._view.area:
                continue
            pt = shapely.point_on_surface(inside)
            t = ax.text(pt.x, pt.y, name, fontsize=lay.pt(0.95), color="#7b7f84",
                        fontstyle="italic", ha="center", va="center", zorder=7,
                        parse_math=False, path_effects=halo)
            self._keep_if_free(t, renderer, arts)
        arts += self._draw_settlements(renderer, halo)
        return arts

    def _free_spot(self, country: BaseGeometry) -> tuple[float, float] | None:
        """Find a point well inside ``country`` and the view, far from every mapped feature."""
        inside = shapely.intersection(_project(country), self._view.buffer(-15_000))
        if inside.is_empty:
            return None
        feats = self.timeline.features if self.timeline is not None else None
        avoid = None
        if feats is not None and len(feats):
            avoid = _project(shapely.union_all(shapely.envelope(feats.geometry.to_numpy())))
        xmin, ymin, xmax, ymax = inside.bounds
        best, best_d = None, -1.0
        for fx in np.linspace(0.1, 0.9, 9):
            for fy in np.linspace(0.1, 0.9, 9):
                p = shapely.Point(xmin + fx * (xmax - xmin), ymin + fy * (ymax - ymin))
                if not inside.contains(p.buffer(12_000)):
                    continue
                d = 1e9 if avoid is None else avoid.distance(p)
                d = min(d, 60_000)  # far enough: then prefer the middle of the free space
                d -= 0.05 * p.distance(shapely.point_on_surface(inside))
                if d > best_d:
                    best, best_d = (p.x, p.y), d
        return best

    def _reserved_boxes(self) -> list:
        """Pixel boxes inside the map kept free of labels (scale bar, north arrow)."""
        bb = self.ax.get_window_extent()
        u = self.layout.unit_px
        return [
            Bbox.from_extents(bb.x0, bb.y0, bb.x0 + u * 17, bb.y0 + u * 4.2),   # scale bar
            Bbox.from_extents(bb.x1 - u * 5, bb.y1 - u * 7, bb.x1, bb.y1),      # north arrow
        ]

    def _keep_if_free(self, text, renderer, arts: list, force: bool = False) -> bool:
        box = text.get_window_extent(renderer).expanded(1.08, 1.15)
        axbox = self.ax.get_window_extent()
        inside = (box.x0 >= axbox.x0 and box.x1 <= axbox.x1 and box.y0 >= axbox.y0
                  and box.y1 <= axbox.y1)
        clash = any(box.overlaps(other) for other in self._placed + self._reserved)
        if force or (inside and not clash):
            self._placed.append(box)
            arts.append(text)
            return True
        text.remove()
        return False

    def _draw_settlements(self, renderer, halo) -> list:
        lay = self.layout
        ax = self.ax
        u = lay.unit_px * 72 / lay.dpi
        pts = self.base.settlements
        if not len(pts):
            return []
        xs, ys = _project_xy(pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy())
        xmin, ymin, xmax, ymax = self.frame.extent
        inside = (xs > xmin) & (xs < xmax) & (ys > ymin) & (ys < ymax)
        pop = pts.get("population")
        pop = (pop.astype("Float64").fillna(0).to_numpy(dtype=float) if pop is not None
               else np.zeros(len(pts)))
        kind = pts.get("kind", "").astype(str).to_numpy() if "kind" in pts else \
            np.array([""] * len(pts))
        town = kind == "town"
        order = sorted(np.flatnonzero(inside), key=lambda i: (not town[i], -pop[i]))
        # Dots and labels go together: a settlement whose label does not fit is left out,
        # so the map never shows an anonymous dot.
        arts = []
        dot_px = lay.unit_px * 0.45
        max_labels = int(40 * (lay.width_px * lay.height_px) / (1600 * 1000)) + 8
        big_xy: list[tuple[float, float]] = []
        for i in order:
            if len(arts) // 2 >= max_labels:
                break
            name = str(pts.iloc[i].get("name", "")).strip()
            if not name:
                continue
            big = town[i] and pop[i] >= 20_000
            size = lay.pt(1.05 if big else 0.85)
            # The dot must not sit on a label already placed (or be a suburb of a labelled
            # town: Sumy's districts crowd the city).
            cx, cy = ax.transData.transform((xs[i], ys[i]))
            r = dot_px * (2.2 if big else 1.6)
            dot_box = Bbox.from_extents(cx - r, cy - r, cx + r, cy + r)
            if any(dot_box.overlaps(other) for other in self._placed + self._reserved):
                continue
            if any(np.hypot(xs[i] - bx, ys[i] - by) < 6_000 for bx, by in big_xy):
                continue
            placed = False
            for dx, dy, ha, va in ((1, 0.3, "left", "center"), (-1, 0.3, "right", "center"),
                                   (0, 1.2, "center", "bottom"), (0, -1.2, "center", "top")):
                t = ax.annotate(name, (xs[i], ys[i]), xytext=(dx * dot_px * 1.6,
                                                              dy * dot_px * 1.6),
                                textcoords="offset pixels", ha=ha, va=va, fontsize=size,
                                color=_INK, fontweight="bold" if big else "normal",
                                zorder=8, annotation_clip=True, parse_math=False,
                                path_effects=halo)
                keep: list = []
                if self._keep_if_free(t, renderer, keep):
                    arts += keep
                    placed = True
                    break
            if placed:
                (dot,) = ax.plot(xs[i], ys[i], marker="o" if town[i] else "o",
                                 markersize=(dot_px * (1.25 if big else 0.9)) * 72 / lay.dpi,
                                 markerfacecolor=_INK if town[i] else "white",
                                 markeredgecolor=_INK, markeredgewidth=u * 0.08,
                                 linestyle="none", zorder=8)
                arts.append(dot)
                self._placed.append(dot_box)
                if big:
                    big_xy.append((xs[i], ys[i]))
        return arts

    def _draw_scalebar(self) -> None:
        """Draw a geodesically true scale bar (km) at the lower left of the map."""
        lay = self.layout
        ax = self.ax
        u = lay.unit_px
        xmin, ymin, xmax, ymax = self.frame.extent
        bb = ax.get_window_extent()
        mpp = (xmax - xmin) / bb.width  # projected metres per pixel
        x0 = xmin + u * 1.2 * mpp
        y0 = ymin + u * 1.6 * mpp
        lon0, lat0 = _FWD.transform(x0, y0, direction="INVERSE")
        # The geodesic length of ~12 units of bar, rounded to a nice number of km.
        lon1, lat1 = _FWD.transform(x0 + u * 12 * mpp, y0, direction="INVERSE")
        _, _, dist = _GEOD.inv(lon0, lat0, lon1, lat1)
        nice = [1, 2, 5, 10, 20, 25, 50, 100, 200]
        km = max([k for k in nice if k <= dist / 1000] or [1])
        lon_e, lat_e, _ = _GEOD.fwd(lon0, lat0, 90.0, km * 1000.0)
        xe, _ = _FWD.transform(lon_e, lat_e)
        height = u * 0.45 * mpp
        half = (xe - x0) / 2
        ax.add_patch(Rectangle((x0 - u * 0.7 * mpp, y0 - u * 1.25 * mpp),
                               (xe - x0) + u * 2.6 * mpp, u * 3.0 * mpp, facecolor="white",
                               edgecolor="none", alpha=0.8, zorder=9))
        for k, colour in enumerate((_INK, "white")):
            ax.add_patch(Rectangle((x0 + k * half, y0), half, height, facecolor=colour,
                                   edgecolor=_INK, linewidth=u * 0.06 * 72 / lay.dpi,
                                   zorder=10))
        txt = {"fontsize": lay.pt(0.8), "color": _INK, "ha": "center", "va": "bottom", "zorder": 10,
                   "parse_math": False}
        ax.text(x0, y0 + height * 1.3, "0", **txt)
        ax.text(x0 + half, y0 + height * 1.3, f"{km / 2:g}", **txt)
        ax.text(xe, y0 + height * 1.3, f"{km:g} km", **txt)
        ax.text(x0, y0 - height * 0.6, "geodesic distance, WGS84", fontsize=lay.pt(0.62),
                color=_GREY, ha="left", va="top", zorder=10, parse_math=False)
        self.scale_km = km

    def _draw_north_arrow(self) -> None:
        """Draw an arrow to true north (the grid converges slightly away from 35.2°E)."""
        lay = self.layout
        ax = self.ax
        u = lay.unit_px
        xmin, ymin, xmax, ymax = self.frame.extent
        mpp = (xmax - xmin) / ax.get_window_extent().width
        x = xmax - u * 2.5 * mpp
        y = ymax - u * 5.8 * mpp
        lon, lat = _FWD.transform(x, y, direction="INVERSE")
        xn, yn = _FWD.transform(lon, lat + 0.01)
        angle = np.arctan2(xn - x, yn - y)
        length = u * 3.2 * mpp
        dx, dy = length * np.sin(angle), length * np.cos(angle)
        ax.add_patch(FancyArrow(x, y, dx, dy, width=u * 0.35 * mpp, head_width=u * 1.3 * mpp,
                                head_length=u * 1.3 * mpp, length_includes_head=True,
                                facecolor=_INK, edgecolor="white",
                                linewidth=u * 0.05 * 72 / lay.dpi, zorder=10))
        ax.text(x + dx, y + dy + u * 0.3 * mpp, "N", fontsize=lay.pt(1.1), fontweight="bold",
                ha="center", va="bottom", color=_INK, zorder=10, parse_math=False,
                path_effects=[withStroke(linewidth=u * 0.3 * 72 / lay.dpi, foreground="white")])

    def _draw_header(self) -> None:
        lay = self.layout
        left = lay.map_box[0]
        self.fig.text(left, lay.header_top, "Kursk incursion: the front line",
                      fontsize=lay.pt(1.9), fontweight="bold", color=_INK, va="top",
                      parse_math=False)
        # Map furniture in the footer; the sources line changes per date (dynamic).
        self.fig.text(left, lay.footer_top * 0.22, ATTRIBUTION + "  ·  Map: transverse "
                      "Mercator centred 35.2°E 51.2°N; areas geodesic on the WGS84 ellipsoid",
                      fontsize=lay.pt(0.7), color=_GREY, va="bottom", parse_math=False)

    def _legend_entries(self) -> list[tuple[str, str | None, str]]:
        """(layer, status or None for point/line layers, label), grouped by layer.

        The shared :data:`views.styles.LEGEND` order and labels first; a status
        it does not list follows its layer's entry.
        """
        shown = _layers(self.timeline, self.layers)
        order = list(dict.fromkeys([la for _, la, _ in LEGEND if la in shown] + shown))
        entries = []
        for layer in order:
            area = layer in self.timeline.area_layers
            statuses = self.timeline.statuses(layer)
            listed = [(label, st) for label, la, st in LEGEND if la == layer]
            if not area:
                label = listed[0][0] if listed else LAYER_LABELS.get(layer, layer)
                entries.append((layer, None, label))
                continue
            for label, status in listed:
                if status in statuses:
                    entries.append((layer, status, label))
            for status in statuses:
                if status not in [st for _, st in listed]:
                    entries.append((layer, status,
                                    f"{LAYER_LABELS.get(layer, layer)} ({status})"))
        return entries

    def _draw_legend_frame(self) -> None:
        lay = self.layout
        p = self.panel
        u = lay.unit_px
        ph = lay.panel_box[3] * lay.height_px
        pw = lay.panel_box[2] * lay.width_px
        line_h = u * 1.9 / ph
        self._entries = self._legend_entries()
        y = 1.0 - u * 0.4 / ph
        p.text(0.0, y, "Legend", fontsize=lay.pt(1.15), fontweight="bold", va="top",
               color=_INK, parse_math=False)
        p.text(1.0, y, "area on date", fontsize=lay.pt(0.75), va="top", ha="right",
               color=_GREY, parse_math=False)
        y -= u * 2.0 / ph
        sw_w, sw_h = u * 1.8 / pw, u * 1.1 / ph
        self._entry_y: list[float] = []
        for layer, status, label in self._entries:
            style = _style(layer, status or "")
            if status is None:  # events
                p.plot([sw_w / 2], [y - sw_h / 2], marker="D", color=style["line"],
                       markersize=lay.pt(0.7), linestyle="none")
            else:
                p.add_patch(Rectangle((0, y - sw_h), sw_w, sw_h, facecolor=style["fill"],
                                      alpha=min(1.0, float(style["fill_opacity"]) + 0.1),
                                      edgecolor="none"))
                p.add_patch(Rectangle((0, y - sw_h), sw_w, sw_h, facecolor="none",
                                      edgecolor=style["line"], linewidth=u * 0.12 * 72 / lay.dpi,
                                      linestyle=_dash(style["dash"])))
            width = max(14, int(pw / (u * 0.56)) - 12)
            wrapped = textwrap.wrap(label, width) or [""]
            p.text(sw_w + u * 0.6 / pw, y - sw_h / 2, "\n".join(wrapped), fontsize=lay.pt(0.85),
                   va="center", ha="left", color=_INK, parse_math=False, linespacing=1.05)
            self._entry_y.append(y - sw_h / 2)
            y -= line_h * max(1, len(wrapped)) * (0.9 if len(wrapped) > 1 else 1.0)
        # Basemap key.
        y -= u * 0.6 / ph
        halo_len = sw_w
        p.plot([0, halo_len], [y, y], color=_BORDER, linewidth=u * 0.2 * 72 / lay.dpi)
        p.text(sw_w + u * 0.6 / pw, y, "State border (OSM)", fontsize=lay.pt(0.8),
               va="center", color=_INK, parse_math=False)
        y -= u * 1.5 / ph
        p.plot([0, halo_len], [y, y], color=_OBLAST, linewidth=u * 0.09 * 72 / lay.dpi,
               linestyle=(0, (4, 2)))
        p.text(sw_w + u * 0.6 / pw, y, "Oblast boundary", fontsize=lay.pt(0.8), va="center",
               color=_INK, parse_math=False)
        y -= u * 1.5 / ph
        p.plot([sw_w * 0.3], [y], marker="o", markerfacecolor=_INK, markeredgecolor=_INK,
               markersize=lay.pt(0.5), linestyle="none")
        p.plot([sw_w * 0.75], [y], marker="o", markerfacecolor="white", markeredgecolor=_INK,
               markersize=lay.pt(0.4), linestyle="none")
        p.text(sw_w + u * 0.6 / pw, y, "Town / village", fontsize=lay.pt(0.8), va="center",
               color=_INK, parse_math=False)
        self._panel_bottom_y = y - u * 1.2 / ph

    # -- one date -----------------------------------------------------------------------

    def draw(self, on: str | dt.date) -> None:
        """Replace the drawn date with ``on`` (the layers, areas, title date, sources)."""
        day = to_date(on)
        self._dynamic.clear()
        with matplotlib.rc_context(_RC):
            self._draw_layers(day)
            self._draw_date_text(day)

    def _draw_layers(self, day: dt.date) -> None:
        lay = self.layout
        u = lay.unit_px * 72 / lay.dpi
        ax = self.ax
        order = list(_layers(self.timeline, self.layers))
        # Claims under confirmed control: draw claimed, then contested, then held on top.
        rank = {"ukrainian_claimed": 0, "russian_claimed": 1, "sumy_security_zone": 2,
                "contested": 3, "ukrainian_held": 4, "sudzha_pocket": 5}
        order.sort(key=lambda name: rank.get(name, 6))
        for z, layer in enumerate(order):
            if layer in self.timeline.area_layers:
                for status in self.timeline.statuses(layer):
                    geom = self.timeline.geometry(layer, day, status)
                    if geom.is_empty:
                        continue
                    path = _polygon_path(self._clip(geom))
                    if path is None:
                        continue
                    style = _style(layer, status)
                    fill = PathPatch(path, facecolor=style["fill"],
                                     alpha=float(style["fill_opacity"]), edgecolor="none",
                                     zorder=2 + z * 0.1)
                    edge = PathPatch(path, facecolor="none", edgecolor=style["line"],
                                     linewidth=u * 0.14, linestyle=_dash(style["dash"]),
                                     zorder=5 + z * 0.01)
                    for patch in (fill, edge):
                        patch.set_transform(ax.transData)
                        patch.set_clip_path(ax.patch)
                        ax.add_artist(patch)  # add_patch would re-run autoscaling: slow
                    self._dynamic.artists += [fill, edge]
            else:
                self._draw_events(layer, day, u)

    def _draw_events(self, layer: str, day: dt.date, u: float) -> None:
        state = self.timeline.state(layer, day)
        if not len(state):
            return
        ax = self.ax
        pts_x, pts_y, colours = [], [], []
        for status, geom in zip(state["status"], state.geometry, strict=True):
            style = _style(layer, status)
            proj = self._clip(geom)
            if proj.is_empty:
                continue
            for part in getattr(proj, "geoms", [proj]):
                if part.geom_type == "Point":
                    pts_x.append(part.x)
                    pts_y.append(part.y)
                    colours.append(style["line"])
                else:
                    for xy in _line_paths(part):
                        (line,) = ax.plot(xy[:, 0], xy[:, 1], color=style["line"],
                                          linewidth=u * 0.18, linestyle=_dash(style["dash"]),
                                          zorder=7.5)
                        self._dynamic.artists.append(line)
        if pts_x:
            coll = ax.scatter(pts_x, pts_y, s=(u * 0.75) ** 2, c=colours, marker="D",
                              edgecolors="white", linewidths=u * 0.06, zorder=7.6)
            self._dynamic.artists.append(coll)

    def _draw_date_text(self, day: dt.date) -> None:
        lay = self.layout
        u = lay.unit_px
        left = lay.map_box[0]
        fig, p = self.fig, self.panel
        ph = lay.panel_box[3] * lay.height_px
        arts = self._dynamic.artists
        arts.append(fig.text(left, lay.header_top - u * 2.4 / lay.height_px,
                             f"{_long_date(day)}  ·  layers in force on {day.isoformat()}",
                             fontsize=lay.pt(1.25), color="#444444", va="top",
                             parse_math=False))
        # A big date stamp in the panel: legible on every GIF frame.
        arts.append(p.text(0.0, self._panel_bottom_y - u * 0.4 / ph, day.isoformat(),
                           fontsize=lay.pt(1.9), fontweight="bold", color=_INK, va="top",
                           parse_math=False))
        areas = {}
        for layer, status, _label in self._entries:
            if status is not None:
                geom = self.timeline.geometry(layer, day, status)
                key = (layer, status, self.timeline.segment_start(layer, day))
                if key not in self._area_cache:
                    self._area_cache[key] = geodesic_area_km2(geom)
                areas[(layer, status)] = self._area_cache[key]
        for (layer, status, _label), y in zip(self._entries, self._entry_y, strict=True):
            if status is None:
                n = len(self.timeline.state(layer, day))
                text = f"{n} in force"
            else:
                km2 = areas.get((layer, status), 0.0)
                text = _format_area(km2) if km2 > 0 else "–"
            arts.append(p.text(1.0, y, text, fontsize=lay.pt(0.85), va="center", ha="right",
                               color=_INK, fontweight="bold", parse_math=False))
        srcs = sources_on(self.timeline, day, self.layers)
        width_chars = int(lay.width_px * 0.96 / (lay.unit_px * 0.5))
        line = "Sources: " + ("; ".join(srcs) if srcs else "none for this date")
        lines = textwrap.wrap(line, width_chars)
        if len(lines) > 2:
            lines = textwrap.wrap(line, width_chars - 12)[:2]
            lines[-1] += f" … ({len(srcs)} outlets)"
        arts.append(fig.text(left, lay.footer_top * 0.5, "\n".join(lines),
                             fontsize=lay.pt(0.72), color=_INK, va="bottom",
                             parse_math=False, linespacing=1.15))

    # -- output -------------------------------------------------------------------------

    def to_bytes(self, fmt: str = "png") -> bytes:
        """Return the current figure as PNG, SVG or PDF bytes (reproducible: no timestamps)."""
        if fmt not in FORMATS:
            raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
        meta = {"png": {"Software": None},
                "svg": {"Date": None, "Creator": None},
                "pdf": {"CreationDate": None, "ModDate": None, "Creator": None,
                        "Producer": None}}[fmt]
        buf = io.BytesIO()
        with matplotlib.rc_context(_RC):
            self.fig.savefig(buf, format=fmt, dpi=self.layout.dpi, metadata=meta,
                             facecolor=self.fig.get_facecolor())
        return buf.getvalue()

    def frames(self, dates: Iterable[str | dt.date]):
        """Yield ``(date, rgb array)`` for each date, drawing the basemap only once.

        The layers go between two cached images: the basemap under them and the
        border, labels, scale bar and north arrow over them (blitting). Frames
        look the same as :meth:`to_rgb` after :meth:`draw`.
        """
        with matplotlib.rc_context(_RC):
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
                        (art.axes or self.fig).draw_artist(art) if art.axes else \
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
        with matplotlib.rc_context(_RC):
            self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())[..., :3].copy()


def render_png(timeline: Any, base: Any, on: str | dt.date, layers: Iterable[str] | None = None,
               *, width_px: int = 1600, height_px: int = 1000, dpi: float = 150.0,
               fmt: str = "png") -> bytes:
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

    Returns
    -------
    bytes

    Raises
    ------
    ValueError
        For an unknown format, or a size or dpi out of range.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    renderer = MapRenderer(timeline, base, None if layers is None else list(layers),
                           width_px=width_px, height_px=height_px, dpi=dpi)
    renderer.draw(on)
    return renderer.to_bytes(fmt)
