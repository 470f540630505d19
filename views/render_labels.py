"""Place-name labels of the static map, decluttered by rank.

Labels are placed most important first: big towns, country names, oblast names,
then the other settlements (towns before villages, each by population). A label whose
box (in image pixels, with a small margin) overlaps one already placed, a
settlement dot, or a reserved box (scale bar, north arrow) is tried at the
next of four positions around its dot, then dropped together with its dot, so
the map never shows overlapping names or an anonymous dot.

Every name comes from the data and is drawn with ``parse_math=False``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Bbox
from shapely.geometry.base import BaseGeometry

from views.render_frame import INK, Basemap, Layout, project, project_xy
from views.text import map_label

__all__ = ["Labeller", "settlement_rank"]

#: Within this distance (m) of a labelled big town, smaller places are its suburbs: skipped.
SUBURB_M = 6_000
#: A town of at least this population gets the big, bold label.
BIG_TOWN = 20_000


def settlement_rank(kind: Any, population: Any) -> tuple[bool, float]:
    """Sort key of a settlement: towns before villages, then by population (largest first).

    Examples
    --------
    >>> sorted([("v", "village", 900), ("t", "town", 300), ("T", "town", 9000)],
    ...        key=lambda r: settlement_rank(r[1], r[2]))
    [('T', 'town', 9000), ('t', 'town', 300), ('v', 'village', 900)]
    """
    try:
        pop = float(population)
    except (TypeError, ValueError):
        pop = 0.0
    if pop != pop:  # NaN
        pop = 0.0
    return (str(kind) != "town", -pop)


class Labeller:
    """Places labels on a map axes, keeping every label's box clear of the others.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map.
    renderer : matplotlib renderer
        To measure text.
    basemap : views.render_frame.Basemap
        The frame's projection and clip.
    lay : views.render_frame.Layout
    reserved : list of matplotlib.transforms.Bbox
        Pixel boxes no label may cover (scale bar, north arrow).

    Attributes
    ----------
    placed : list of Bbox
        The pixel box of every label and settlement dot placed so far.
    labels : list of matplotlib.text.Text
        Every label placed, in rank order.
    """

    def __init__(self, ax: Any, renderer: Any, basemap: Basemap, lay: Layout,
                 reserved: list):
        self.ax = ax
        self.renderer = renderer
        self.basemap = basemap
        self.layout = lay
        self.reserved = list(reserved)
        self.placed: list = []
        self.labels: list = []
        self._done: set = set()
        self._big_xy: list[tuple[float, float]] = []
        self._n_labels = 0
        self.halo = [withStroke(linewidth=lay.lw(0.32), foreground="white")]

    # -- the rule -------------------------------------------------------------------------

    def _box(self, text: Any) -> Bbox:
        return text.get_window_extent(self.renderer).expanded(1.08, 1.15)

    def keep_if_free(self, text: Any, arts: list, force: bool = False) -> bool:
        """Keep ``text`` if its box is inside the map and clear of every box placed."""
        box = self._box(text)
        axbox = self.ax.get_window_extent()
        inside = (box.x0 >= axbox.x0 and box.x1 <= axbox.x1 and box.y0 >= axbox.y0
                  and box.y1 <= axbox.y1)
        clash = any(box.overlaps(other) for other in self.placed + self.reserved)
        if (force and inside) or (inside and not clash):
            self.placed.append(box)
            self.labels.append(text)
            arts.append(text)
            return True
        text.remove()
        return False

    # -- countries and oblasts ------------------------------------------------------------

    def _free_spot(self, country: BaseGeometry, avoid: BaseGeometry | None
                   ) -> tuple[float, float] | None:
        """Find a point well inside ``country`` and the view, far from the mapped features."""
        view = self.basemap.view
        inside = shapely.intersection(project(country), view.buffer(-0.06 * min(
            view.bounds[2] - view.bounds[0], view.bounds[3] - view.bounds[1])))
        if inside.is_empty:
            return None
        margin = 0.05 * (view.bounds[2] - view.bounds[0])
        xmin, ymin, xmax, ymax = inside.bounds
        best, best_d = None, -1e18
        centre = shapely.point_on_surface(inside)
        for fx in np.linspace(0.1, 0.9, 9):
            for fy in np.linspace(0.1, 0.9, 9):
                p = shapely.Point(xmin + fx * (xmax - xmin), ymin + fy * (ymax - ymin))
                if not inside.contains(p.buffer(margin)):
                    continue
                d = 1e9 if avoid is None else avoid.distance(p)
                if d < 4_000:  # never on (or hard against) a mapped area
                    continue
                d = min(d, 60_000)  # far enough: then prefer the middle of the free space
                d -= 0.05 * p.distance(centre)
                if d > best_d:
                    best, best_d = (p.x, p.y), d
        return best

    def countries(self, base: Any, avoid: BaseGeometry | None) -> list:
        """Label Russia and Ukraine in spaced capitals where there is room."""
        lay = self.layout
        arts: list = []
        for _, row in base.countries.iterrows():
            name = {"RUS": "R U S S I A", "UKR": "U K R A I N E"}.get(str(row.get("iso_a3")))
            if not name:
                continue
            spot = self._free_spot(row.geometry, avoid)
            if spot is None:
                continue
            t = self.ax.text(*spot, name, fontsize=lay.pt(1.5), color="#9aa0a6",
                             fontweight="bold", ha="center", va="center", zorder=7,
                             parse_math=False, path_effects=self.halo)
            self.keep_if_free(t, arts)
        return arts

    def oblasts(self, base: Any) -> list:
        """Label each oblast that covers a good part of the view."""
        lay = self.layout
        view = self.basemap.view
        arts: list = []
        for _, row in base.oblasts.iterrows():
            name = str(row.get("name", ""))
            if not name or name.startswith("("):
                continue
            inside = shapely.intersection(project(row.geometry), view.buffer(
                -0.03 * (view.bounds[2] - view.bounds[0])))
            if inside.is_empty or inside.area < 0.04 * view.area:
                continue
            # Where the label fits: the middle of the oblast's part of the view, else the
            # points of a grid over it (towns are placed first and win).
            pt = shapely.point_on_surface(inside)
            xmin, ymin, xmax, ymax = inside.bounds
            spots = [(pt.x, pt.y)] + [
                (xmin + fx * (xmax - xmin), ymin + fy * (ymax - ymin))
                for fy in (0.5, 0.3, 0.7, 0.15, 0.85) for fx in (0.5, 0.3, 0.7, 0.15, 0.85)]
            for x, y in spots:
                if not inside.contains(shapely.Point(x, y)):
                    continue
                t = self.ax.text(x, y, name, fontsize=lay.pt(0.95), color="#7b7f84",
                                 fontstyle="italic", ha="center", va="center", zorder=7,
                                 parse_math=False, path_effects=self.halo)
                if self.keep_if_free(t, arts):
                    break
        return arts

    # -- settlements ----------------------------------------------------------------------

    def settlements(self, pts: Any, min_population: float = 0.0) -> list:
        """Label settlements by rank; a settlement whose label does not fit is left out.

        With ``min_population``, only the places at least that big (the big towns,
        placed before the oblast names); a later call labels the rest.
        """
        lay = self.layout
        ax = self.ax
        if not len(pts):
            return []
        xs, ys = project_xy(pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy())
        xmin, ymin, xmax, ymax = self.basemap.frame.extent
        inside = (xs > xmin) & (xs < xmax) & (ys > ymin) & (ys < ymax)
        pop = pts.get("population")
        pop = (pop.astype("Float64").fillna(0).to_numpy(dtype=float) if pop is not None
               else np.zeros(len(pts)))
        kind = (pts["kind"].astype(str).to_numpy() if "kind" in pts
                else np.array([""] * len(pts)))
        names = (pts["name"].astype(str).to_numpy() if "name" in pts
                 else np.array([""] * len(pts)))
        town = kind == "town"
        order = sorted(np.flatnonzero(inside & (pop >= min_population)),
                       key=lambda i: settlement_rank(kind[i], pop[i]))
        order = [i for i in order if i not in self._done]
        arts: list = []
        dot_px = lay.unit_px * 0.45
        max_labels = int(40 * (lay.width_px * lay.height_px) / (1600 * 1000)) + 8
        big_xy = self._big_xy
        for i in order:
            if self._n_labels >= max_labels:
                break
            self._done.add(i)
            name = map_label(names[i]).strip()
            if not name:
                continue
            big = bool(town[i] and pop[i] >= BIG_TOWN)
            size = lay.pt(1.05 if big else 0.85)
            # The dot must not sit on a label already placed (or be a suburb of a labelled
            # town: Sumy's districts crowd the city).
            cx, cy = ax.transData.transform((xs[i], ys[i]))
            r = dot_px * (2.2 if big else 1.6)
            dot_box = Bbox.from_extents(cx - r, cy - r, cx + r, cy + r)
            axbox = ax.get_window_extent()
            if (dot_box.x0 < axbox.x0 or dot_box.x1 > axbox.x1 or dot_box.y0 < axbox.y0
                    or dot_box.y1 > axbox.y1):
                continue  # a dot cut by the frame
            if any(dot_box.overlaps(other) for other in self.placed + self.reserved):
                continue
            if any(np.hypot(xs[i] - bx, ys[i] - by) < SUBURB_M for bx, by in big_xy):
                continue
            own_dot = Bbox.from_extents(cx - r * 0.5, cy - r * 0.5, cx + r * 0.5, cy + r * 0.5)
            placed = False
            for dx, dy, ha, va in ((1, 0.3, "left", "center"), (-1, 0.3, "right", "center"),
                                   (0, 1.2, "center", "bottom"), (0, -1.2, "center", "top")):
                t = ax.annotate(name, (xs[i], ys[i]), xytext=(dx * dot_px * 1.6,
                                                              dy * dot_px * 1.6),
                                textcoords="offset pixels", ha=ha, va=va, fontsize=size,
                                color=INK, fontweight="bold" if big else "normal",
                                zorder=8, annotation_clip=True, parse_math=False,
                                path_effects=self.halo)
                # The label's box must not cover this settlement's own dot either.
                if self._box(t).overlaps(own_dot):
                    t.remove()
                    continue
                if self.keep_if_free(t, arts):
                    placed = True
                    break
            if placed:
                self._n_labels += 1
                (dot,) = ax.plot(xs[i], ys[i], marker="o",
                                 markersize=(dot_px * (1.25 if big else 0.9)) * 72 / lay.dpi,
                                 markerfacecolor=INK if town[i] else "white",
                                 markeredgecolor=INK, markeredgewidth=lay.lw(0.08),
                                 linestyle="none", zorder=8)
                arts.append(dot)
                self.placed.append(dot_box)
                if big:
                    big_xy.append((xs[i], ys[i]))
        return arts
