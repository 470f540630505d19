"""The static map's frame and basemap: projection, page layout, extent, land and lines.

The drawing is in a local transverse Mercator projection centred on 35.2°E
51.2°N (:data:`MAP_PROJ`): conformal, so shapes and the north arrow are true,
and within 0.02 % of true scale over the whole map. Never plate carrée degrees.

Layout sizes are fractions of the image in pixels, so a map looks the same at
any DPI; the DPI only sets the physical (print) size of PNG/SVG/PDF output.

The extent (:func:`map_frame`) is, in order of precedence: the ``bbox`` asked
for (the dashboard's current view, ``frontline export --bbox``); else what is
drawn on the chosen date(s), padded, never smaller than :data:`MIN_SPAN_KM`;
else the fighting area :data:`FIGHTING_AREA`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely
from matplotlib.path import Path as MplPath
from shapely.geometry.base import BaseGeometry

from layers.timeline import to_date
from views.styles import BASE_STYLE, style_for

__all__ = [
    "BBOX_LIMITS", "FIGHTING_AREA", "MAP_PROJ", "MIN_SPAN_KM", "RC", "Layout", "MapFrame",
    "check_bbox", "drawn_bounds", "layout", "map_frame", "project", "project_xy",
    "view_bounds",
]

#: The drawing projection: transverse Mercator centred on the Sudzha salient (metres).
MAP_PROJ = "+proj=tmerc +lat_0=51.2 +lon_0=35.2 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"
#: The view when nothing is drawn (lon/lat degrees: W, S, E, N): the fighting area.
FIGHTING_AREA = (34.2, 50.9, 35.9, 51.75)
#: Where a ``bbox`` may lie (lon/lat degrees: W, S, E, N): Kursk, Sumy, Belgorod and around.
BBOX_LIMITS = (30.5, 48.8, 40.5, 53.7)
#: The smallest default view (km, width and height): a small area is shown with its
#: surroundings (the border, the nearest towns), not zoomed to a few hundred metres.
MIN_SPAN_KM = (48.0, 34.0)
#: Padding around what is drawn, as a fraction of its size on each side.
PAD = 0.12

#: matplotlib settings of every render: no TeX, stable SVG ids, fonts as paths.
RC = {
    "text.usetex": False,
    "svg.hashsalt": "kursk-frontline",  # stable SVG ids: the same input gives the same bytes
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
}
FWD = pyproj.Transformer.from_crs("EPSG:4326", MAP_PROJ, always_xy=True)

INK = "#222222"
GREY = "#6b6b6b"
PAPER = "#ffffff"
LAND_RU = BASE_STYLE["RUS"]["fill"]
LAND_UA = BASE_STYLE["UKR"]["fill"]
BORDER = BASE_STYLE["border_line"]
OBLAST = BASE_STYLE["oblast_line"]


def project_xy(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Project lon/lat degrees to :data:`MAP_PROJ` metres (arrays in, arrays out)."""
    x, y = FWD.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


def unproject_xy(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Invert :func:`project_xy`: metres to lon/lat degrees."""
    lon, lat = FWD.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float),
                             direction="INVERSE")
    return np.asarray(lon), np.asarray(lat)


def project(geom: BaseGeometry) -> BaseGeometry:
    """Project a lon/lat geometry to :data:`MAP_PROJ` metres, valid for set operations.

    Two parts of a valid lon/lat outline that touch within a few centimetres can cross
    once projected (GEOS then refuses to clip the union); such a result is repaired.

    Examples
    --------
    >>> g = project(shapely.box(35.0, 51.0, 35.1, 51.1))
    >>> g.is_valid, round(g.area / 1e6)
    (True, 78)
    """
    def fn(xy: np.ndarray) -> np.ndarray:
        x, y = FWD.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    out = shapely.transform(geom, fn)
    return out if out.is_valid else shapely.make_valid(out)


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Layout:
    """Where things go, in figure fractions (0..1, origin bottom left)."""

    width_px: int
    height_px: int
    dpi: float
    map_box: tuple[float, float, float, float]  # left, bottom, width, height
    panel_box: tuple[float, float, float, float]
    header_top: float
    footer_top: float
    unit_px: float  # base text size in pixels
    landscape: bool

    def pt(self, scale: float = 1.0) -> float:
        """Return a font size in points that is ``scale`` base units tall in pixels."""
        return self.unit_px * scale * 72.0 / self.dpi

    def lw(self, scale: float) -> float:
        """Return a line width in points that is ``scale`` base units wide."""
        return self.unit_px * scale * 72.0 / self.dpi


def layout(width_px: int, height_px: int, dpi: float) -> Layout:
    """Lay out the page: header, map, legend panel (right, or below when portrait), footer.

    Examples
    --------
    >>> lay = layout(1600, 1000, 150)
    >>> lay.landscape, round(lay.unit_px, 1)
    (True, 16.1)
    """
    w, h = float(width_px), float(height_px)
    unit = max(9.0, min(w, h) / 62.0)
    margin = unit * 1.4
    header = unit * 5.2
    footer = unit * 3.4
    landscape = w >= 1.15 * h
    top = h - header
    bottom = footer
    if landscape:
        panel_w = max(unit * 17.0, w * 0.25)
        map_box = (margin, bottom, w - panel_w - 2 * margin, top - bottom)
        panel_box = (w - panel_w - margin * 0.5, bottom, panel_w, top - bottom)
    else:
        panel_h = max(unit * 16.0, h * 0.27)
        map_box = (margin, bottom + panel_h, w - 2 * margin, top - bottom - panel_h)
        panel_box = (margin, bottom, w - 2 * margin, panel_h - unit * 0.8)

    def frac(b):
        return (b[0] / w, b[1] / h, b[2] / w, b[3] / h)

    return Layout(int(width_px), int(height_px), float(dpi), frac(map_box), frac(panel_box),
                  1.0 - unit * 0.9 / h, footer / h, unit, landscape)


# --------------------------------------------------------------------------- extent


def check_bbox(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """Check a view box ``(lon_min, lat_min, lon_max, lat_max)`` in degrees; return it.

    Raises
    ------
    ValueError
        If it is not four finite numbers, if a minimum is not below its
        maximum, or if it lies outside :data:`BBOX_LIMITS`; a box given as
        lat/lon instead of lon/lat is named as such.

    Examples
    --------
    >>> check_bbox([34.5, 51.0, 35.5, 51.5])
    (34.5, 51.0, 35.5, 51.5)
    >>> check_bbox([51.0, 34.5, 51.5, 35.5])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: bbox 51.0,34.5,51.5,35.5 looks like lat,lon order: ... i.e. 34.5,51.0,35.5,51.5
    """
    try:
        values = [float(v) for v in bbox]
    except (TypeError, ValueError):
        raise ValueError(f"bbox {bbox!r} must be four numbers: lon_min,lat_min,lon_max,"
                         "lat_max (degrees)") from None
    if len(values) != 4 or not all(np.isfinite(values)):
        raise ValueError(f"bbox {bbox!r} must be four finite numbers: lon_min,lat_min,"
                         "lon_max,lat_max (degrees)")
    w, s, e, n = values
    text = ",".join(f"{v:g}" if v != int(v) else f"{v:.1f}" for v in values)
    lw, ls, le, ln = BBOX_LIMITS

    def inside(w_, s_, e_, n_):
        return lw <= min(w_, e_) and max(w_, e_) <= le and ls <= min(s_, n_) \
            and max(s_, n_) <= ln

    if not inside(w, s, e, n) and inside(s, w, n, e):
        swapped = ",".join(f"{v:g}" if v != int(v) else f"{v:.1f}" for v in (s, w, n, e))
        raise ValueError(f"bbox {text} looks like lat,lon order: give lon_min,lat_min,"
                         f"lon_max,lat_max, i.e. {swapped}")
    if not w < e:
        raise ValueError(f"bbox {text}: lon_min {w:g} must be less than lon_max {e:g}")
    if not s < n:
        raise ValueError(f"bbox {text}: lat_min {s:g} must be less than lat_max {n:g}")
    if not inside(w, s, e, n):
        raise ValueError(f"bbox {text} is outside the mapped region: keep longitudes in "
                         f"{lw:g}..{le:g} and latitudes in {ls:g}..{ln:g} (degrees)")
    return (w, s, e, n)


def _dates(on: Any) -> list[dt.date]:
    if on is None:
        return []
    if isinstance(on, str | dt.date):
        return [to_date(on)]
    return [to_date(d) for d in on]


def drawn_bounds(timeline: Any, on: Any, layers: Sequence[str] | None = None
                 ) -> tuple[float, float, float, float] | None:
    """Lon/lat bounds (W, S, E, N) of everything drawn on the date(s) ``on``; None if nothing.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="ukrainian_held", status="held",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=dt.date(2024, 9, 1),
    ...     geometry=box(35.0, 51.0, 35.1, 51.1))], crs="EPSG:4326"))
    >>> drawn_bounds(tl, "2024-08-20")
    (35.0, 51.0, 35.1, 51.1)
    >>> drawn_bounds(tl, "2025-01-01") is None
    True
    """
    if timeline is None:
        return None
    chosen = [name for name in timeline.layers if layers is None or name in layers]
    boxes = []
    for day in _dates(on):
        for layer in chosen:
            if layer in timeline.area_layers:
                geom = timeline.geometry(layer, day)
                if not geom.is_empty:
                    boxes.append(geom.bounds)
            else:
                state = timeline.state(layer, day)
                if len(state):
                    boxes.append(tuple(state.total_bounds))
    if not boxes:
        return None
    arr = np.array(boxes, dtype=float)
    return (float(arr[:, 0].min()), float(arr[:, 1].min()), float(arr[:, 2].max()),
            float(arr[:, 3].max()))


def _projected_box(w: float, s: float, e: float, n: float) -> tuple[float, ...]:
    """Projected bounds of a lon/lat box (its edges densified: they curve in tmerc)."""
    t = np.linspace(0.0, 1.0, 17)
    lons = np.concatenate([w + (e - w) * t, np.full_like(t, e), e - (e - w) * t,
                           np.full_like(t, w)])
    lats = np.concatenate([np.full_like(t, s), s + (n - s) * t, np.full_like(t, n),
                           n - (n - s) * t])
    xs, ys = project_xy(lons, lats)
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


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
    source : str
        Why this extent: ``"bbox"``, ``"drawn"`` (fitted to the date's layers) or
        ``"fighting area"`` (nothing drawn).

    Examples
    --------
    >>> frame = map_frame(None, width_px=800, height_px=500)
    >>> col, row = frame.to_pixel(35.271, 51.191)
    >>> 0 < col < 800 and 0 < row < 500, frame.source
    (True, 'fighting area')
    """

    width_px: int
    height_px: int
    axes_px: tuple[float, float, float, float]
    extent: tuple[float, float, float, float]
    source: str = "drawn"

    def to_pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """Image pixel (column, row; origin top left) of a lon/lat point (degrees)."""
        x, y = project_xy(lon, lat)
        left, top, right, bottom = self.axes_px
        xmin, ymin, xmax, ymax = self.extent
        col = left + (float(x) - xmin) / (xmax - xmin) * (right - left)
        row = bottom - (float(y) - ymin) / (ymax - ymin) * (bottom - top)
        return float(col), float(row)

    def lonlat_bounds(self) -> tuple[float, float, float, float]:
        """Return the lon/lat box (W, S, E, N, degrees) the extent covers."""
        xmin, ymin, xmax, ymax = self.extent
        t = np.linspace(0.0, 1.0, 17)
        xs = np.concatenate([xmin + (xmax - xmin) * t, np.full_like(t, xmax),
                             xmin + (xmax - xmin) * t, np.full_like(t, xmin)])
        ys = np.concatenate([np.full_like(t, ymin), ymin + (ymax - ymin) * t,
                             np.full_like(t, ymax), ymin + (ymax - ymin) * t])
        lon, lat = unproject_xy(xs, ys)
        return float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())


def _view_extent(timeline: Any, on: Any, layers: Sequence[str] | None,
                 bbox: Sequence[float] | None) -> tuple[tuple[float, ...], str]:
    """Return the projected box to show (before fitting the page's aspect) and why."""
    if bbox is not None:
        return _projected_box(*check_bbox(bbox)), "bbox"
    drawn = drawn_bounds(timeline, on, layers)
    if not drawn:
        return _projected_box(*FIGHTING_AREA), "fighting area"
    xmin, ymin, xmax, ymax = _projected_box(*drawn)
    pad_x, pad_y = (xmax - xmin) * PAD, (ymax - ymin) * PAD
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    half_w = max((xmax - xmin) / 2 + pad_x, MIN_SPAN_KM[0] * 500.0)
    half_h = max((ymax - ymin) / 2 + pad_y, MIN_SPAN_KM[1] * 500.0)
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h), "drawn"


def view_bounds(timeline: Any, on: Any = None, layers: Sequence[str] | None = None, *,
                bbox: Sequence[float] | None = None) -> tuple[float, float, float, float]:
    """Return the lon/lat box (W, S, E, N) a map of ``on`` shows by default, or ``bbox``.

    The same rule as :func:`map_frame` (without fitting a page's aspect
    ratio): the interactive HTML export fits its view to it.

    Examples
    --------
    >>> view_bounds(None)
    (34.2, 50.9, 35.9, 51.75)
    >>> view_bounds(None, bbox=(35.0, 51.0, 35.5, 51.3))
    (35.0, 51.0, 35.5, 51.3)
    """
    if bbox is not None:
        return check_bbox(bbox)
    (xmin, ymin, xmax, ymax), source = _view_extent(timeline, on, layers, None)
    if source == "fighting area":
        return FIGHTING_AREA
    return MapFrame(0, 0, (0, 0, 0, 0), (xmin, ymin, xmax, ymax)).lonlat_bounds()


def map_frame(timeline: Any, layers: Sequence[str] | None = None, *, width_px: int,
              height_px: int, dpi: float = 100.0, on: Any = None,
              bbox: Sequence[float] | None = None) -> MapFrame:
    """Compute the frame a render uses: the extent, widened to the map area's aspect ratio.

    Parameters
    ----------
    timeline : layers.Timeline or None
    layers : sequence of str, optional
        Layer ids drawn (default: all).
    width_px, height_px : int
        Image size.
    dpi : float, optional
        Does not change the frame (the layout is in pixels); accepted for symmetry.
    on : date or sequence of dates, optional
        Fit what is drawn on this date (an animation: on all its dates, so the
        frames share one extent), padded by :data:`PAD` and at least
        :data:`MIN_SPAN_KM`. Nothing drawn (or no date): :data:`FIGHTING_AREA`.
    bbox : sequence of 4 float, optional
        ``(lon_min, lat_min, lon_max, lat_max)``: show exactly this box (checked
        by :func:`check_bbox`); overrides ``on``.

    Returns
    -------
    MapFrame

    Raises
    ------
    ValueError
        For a bad ``bbox`` (see :func:`check_bbox`).
    """
    lay = layout(width_px, height_px, dpi)
    left, bottom, mw, mh = lay.map_box
    box_w, box_h = mw * width_px, mh * height_px
    (xmin, ymin, xmax, ymax), source = _view_extent(timeline, on, layers, bbox)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    dx, dy = xmax - xmin, ymax - ymin
    if dx / dy < box_w / box_h:
        dx = dy * box_w / box_h
    else:
        dy = dx * box_h / box_w
    extent = (cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2)
    axes_px = (left * width_px, (1 - bottom - mh) * height_px, (left + mw) * width_px,
               (1 - bottom) * height_px)
    return MapFrame(int(width_px), int(height_px), axes_px, extent, source)


# --------------------------------------------------------------------------- geometry -> paths


def _ring_codes(n: int) -> list[int]:
    return [MplPath.MOVETO] + [MplPath.LINETO] * (n - 2) + [MplPath.CLOSEPOLY]


def polygon_path(geom: BaseGeometry) -> MplPath | None:
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


def line_paths(geom: BaseGeometry) -> list[np.ndarray]:
    """Return the coordinate arrays of every line (or polygon outline) of a projected geometry."""
    out = []
    for part in getattr(geom, "geoms", [geom]):
        if part.is_empty:
            continue
        if part.geom_type in ("LineString", "LinearRing"):
            out.append(np.asarray(part.coords)[:, :2])
        elif part.geom_type == "Polygon":
            out.append(np.asarray(part.exterior.coords)[:, :2])
        elif hasattr(part, "geoms"):
            out.extend(line_paths(part))
    return out


def dash(value: Any) -> Any:
    """Convert a Leaflet ``dashArray`` ("6 4", "6,4", [6, 4]) to a matplotlib linestyle.

    Examples
    --------
    >>> dash("6 4"), dash(None)
    ((0, (3.0, 2.0)), 'solid')
    """
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


def layer_style(layer: str, status: str | None) -> dict:
    """Return the shared style of ``(layer, status)`` with every key the renderer reads."""
    style = dict(style_for(layer, status or ""))
    style.setdefault("fill", "#888888")
    style.setdefault("line", style["fill"])
    style.setdefault("fill_opacity", 0.4)
    style.setdefault("dash", None)
    return style


# --------------------------------------------------------------------------- basemap


class Basemap:
    """Draws the land, graticule, oblast lines and border of one frame onto ``ax``."""

    def __init__(self, ax: Any, frame: MapFrame, lay: Layout):
        self.ax = ax
        self.frame = frame
        self.layout = lay
        self.view = shapely.box(*frame.extent)
        self._clip_box = self.view.buffer(5_000)

    def clip(self, geom: BaseGeometry) -> BaseGeometry:
        """Project ``geom`` and clip it to the view (plus 5 km, so edges are not drawn)."""
        return shapely.intersection(project(geom), self._clip_box)

    def view_lonlat(self) -> tuple[float, float, float, float]:
        """Return the lon/lat box the view covers."""
        return self.frame.lonlat_bounds()

    def draw_land(self, base: Any) -> None:
        """Fill Russia and Ukraine (and any other country) in their basemap colours."""
        from matplotlib.patches import PathPatch

        for _, row in base.countries.iterrows():
            iso = str(row.get("iso_a3", ""))
            colour = LAND_RU if iso == "RUS" else LAND_UA if iso == "UKR" else "#f0f0f0"
            path = polygon_path(self.clip(row.geometry))
            if path is not None:
                self.ax.add_patch(PathPatch(path, facecolor=colour, edgecolor="none",
                                            zorder=0.5))

    def draw_graticule(self) -> None:
        """Faint meridians and parallels, labelled at the frame edge (steps fit the view)."""
        lay = self.layout
        w, s, e, n = self.view_lonlat()
        lon_step = 0.5 if e - w > 1.2 else 0.25 if e - w > 0.5 else 0.1
        lat_step = 0.25 if n - s > 0.6 else 0.1 if n - s > 0.25 else 0.05
        style = {"color": "#b9c2c9", "linewidth": lay.lw(0.05), "zorder": 0.8}
        small = {"fontsize": lay.pt(0.72), "color": GREY, "parse_math": False, "zorder": 9,
                 "clip_on": False}
        xmin, ymin, xmax, ymax = self.frame.extent
        # Labels stay clear of the frame's corners (they would run into the header).
        mpp = (xmax - xmin) / max(self.ax.get_window_extent().width, 1.0)
        edge = lay.unit_px * 3.0 * mpp
        digits = 1 if lon_step in (0.5, 0.1) else 2
        for lon in np.arange(np.ceil(w / lon_step) * lon_step, e, lon_step):
            lats = np.linspace(s - 0.2, n + 0.2, 40)
            xs, ys = project_xy(np.full_like(lats, lon), lats)
            self.ax.plot(xs, ys, **style)
            x_at_bottom = float(np.interp(ymin, ys, xs))
            if xmin + edge < x_at_bottom < xmax - edge:
                self.ax.text(x_at_bottom, ymin, f"{lon:.{digits}f}°E", ha="center", va="top",
                             **small)
        for lat in np.arange(np.ceil(s / lat_step) * lat_step, n, lat_step):
            lons = np.linspace(w - 0.3, e + 0.3, 40)
            xs, ys = project_xy(lons, np.full_like(lons, lat))
            self.ax.plot(xs, ys, **style)
            y_at_left = float(np.interp(xmin, xs, ys))
            if ymin + edge < y_at_left < ymax - edge:
                self.ax.text(xmin, y_at_left, f"{lat:.2f}°N ", ha="right", va="center",
                             rotation=90, **small)

    def draw_lines(self, base: Any) -> list:
        """Draw the oblast boundaries and the state border (above the layers); return them."""
        lay = self.layout
        ax = self.ax
        arts = []
        for geom in base.oblasts.geometry:
            for xy in line_paths(self.clip(geom.boundary)):
                (line,) = ax.plot(xy[:, 0], xy[:, 1], color=OBLAST, linewidth=lay.lw(0.09),
                                  linestyle=(0, (4, 2)), zorder=6)
                arts.append(line)
        for geom in base.border.geometry:
            for xy in line_paths(self.clip(geom)):
                (line,) = ax.plot(xy[:, 0], xy[:, 1], color="white", linewidth=lay.lw(0.45),
                                  zorder=6.5, solid_capstyle="round")
                (line2,) = ax.plot(xy[:, 0], xy[:, 1], color=BORDER, linewidth=lay.lw(0.2),
                                   zorder=6.6, solid_capstyle="round")
                arts += [line, line2]
        return arts


def as_dates(on: Any) -> list[dt.date]:
    """Return a date or an iterable of dates as a list of :class:`datetime.date`."""
    return _dates(on)


def chosen_layers(timeline: Any, layers: Iterable[str] | None) -> list[str]:
    """Return the timeline's layers that are chosen (all when ``layers`` is None), in its order."""
    present = list(timeline.layers)
    if layers is None:
        return present
    wanted = list(layers)
    return [name for name in present if name in wanted]
