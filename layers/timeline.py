"""The timeline: which features of a layer are in force on a given day.

The state of layer ``L`` on date ``D`` is the union of its features with
``valid_from <= D < valid_to`` (``valid_to`` null: still in force). Lookups go
through a sorted index of the dates where something changes (a binary search,
not a scan of the features).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from layers.errors import UnknownLayerError
from layers.schema import AREA_LAYERS, KNOWN_LAYERS, TIMELINE_END, TIMELINE_START

__all__ = ["Timeline", "to_date"]


def to_date(value: str | dt.date | dt.datetime) -> dt.date:
    """Coerce an ISO string, a date or a datetime to a :class:`datetime.date`.

    Examples
    --------
    >>> to_date("2025-02-15")
    datetime.date(2025, 2, 15)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class _LayerIndex:
    """Segments of constant state for one layer."""

    def __init__(self, rows: np.ndarray, starts: list[dt.date], ends: list[dt.date | None]):
        far = dt.date.max
        bounds = sorted({*starts, *(e for e in ends if e is not None)})
        self.bounds = bounds
        members: list[list[int]] = [[] for _ in bounds]
        for row, start, end in zip(rows, starts, ends, strict=True):
            first = bisect.bisect_left(bounds, start)
            last = bisect.bisect_left(bounds, end or far)
            for seg in range(first, last):
                members[seg].append(int(row))
        self.members = [np.asarray(m, dtype=np.int64) for m in members]

    def segment(self, day: dt.date) -> int:
        return bisect.bisect_right(self.bounds, day) - 1


class Timeline:
    """Dated features, indexed for "the state of layer L on date D".

    Parameters
    ----------
    features : geopandas.GeoDataFrame
        Rows as returned by :func:`layers.read.load_layer_dir` (columns ``id``,
        ``layer``, ``status``, ``valid_from``, ``valid_to``, ..., ``geometry``).
    start, end : datetime.date, optional
        The span the timeline covers (defaults: the project's whole span).

    Examples
    --------
    >>> import datetime as dt, geopandas as gpd
    >>> from shapely.geometry import box
    >>> rows = [
    ...     dict(id="a", layer="ukrainian_held", status="held", valid_from=dt.date(2024, 8, 6),
    ...          valid_to=dt.date(2024, 8, 10), geometry=box(35, 51, 35.1, 51.1)),
    ...     dict(id="b", layer="ukrainian_held", status="held", valid_from=dt.date(2024, 8, 10),
    ...          valid_to=None, geometry=box(35, 51, 35.2, 51.1)),
    ... ]
    >>> tl = Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326"))
    >>> list(tl.state("ukrainian_held", "2024-08-09")["id"])
    ['a']
    >>> list(tl.state("ukrainian_held", "2024-08-10")["id"])
    ['b']
    >>> [d.isoformat() for d in tl.change_dates("ukrainian_held")]
    ['2024-08-06', '2024-08-10']
    """

    def __init__(self, features: gpd.GeoDataFrame, *, start: dt.date = TIMELINE_START,
                 end: dt.date = TIMELINE_END):
        self.features = features.reset_index(drop=True)
        self.start = start
        self.end = end
        self._index: dict[str, _LayerIndex] = {}
        self._unions: dict[tuple[str, int, str | None], BaseGeometry] = {}
        self._states: dict[tuple[str, int], gpd.GeoDataFrame] = {}
        if len(self.features):
            for layer, group in self.features.groupby("layer", sort=True):
                self._index[str(layer)] = _LayerIndex(
                    group.index.to_numpy(), list(group["valid_from"]), list(group["valid_to"])
                )

    @property
    def layers(self) -> list[str]:
        """Layer ids present, in the project's canonical order, then the rest."""
        known = [name for name in KNOWN_LAYERS if name in self._index]
        return known + sorted(set(self._index) - set(known))

    @property
    def area_layers(self) -> list[str]:
        """The polygon layers present."""
        return [name for name in self.layers if name not in ("events",)
                and (name in AREA_LAYERS or self._is_polygonal(name))]

    def _is_polygonal(self, layer: str) -> bool:
        geoms = self.features.geometry[self.features["layer"] == layer]
        return bool(len(geoms)) and bool(geoms.geom_type.isin(["Polygon", "MultiPolygon"]).all())

    def _layer(self, layer: str) -> _LayerIndex:
        try:
            return self._index[layer]
        except KeyError:
            raise UnknownLayerError(
                f"no layer {layer!r}; loaded layers: {', '.join(self.layers) or 'none'}"
            ) from None

    def has_layer(self, layer: str) -> bool:
        """Whether any loaded feature belongs to ``layer``."""
        return layer in self._index

    def change_dates(self, layer: str | None = None) -> list[dt.date]:
        """Dates (inside the span) on which ``layer`` (or any layer) changes.

        Returns
        -------
        list of datetime.date
            Sorted, unique.
        """
        names: Iterable[str] = [layer] if layer else list(self._index)
        out: set[dt.date] = set()
        for name in names:
            out.update(b for b in self._layer(name).bounds if self.start <= b <= self.end)
        return sorted(out)

    def state_ids(self, layer: str, on: str | dt.date) -> np.ndarray:
        """Row positions (into :attr:`features`) of ``layer``'s features in force on ``on``."""
        index = self._layer(layer)
        seg = index.segment(to_date(on))
        if seg < 0:
            return np.empty(0, dtype=np.int64)
        return index.members[seg]

    def state(self, layer: str, on: str | dt.date) -> gpd.GeoDataFrame:
        """Return the features of ``layer`` in force on ``on``, as a GeoDataFrame (EPSG:4326).

        The frame is built once per stretch of unchanged state and shared
        afterwards: treat it as read-only (``.copy()`` before changing it).
        """
        index = self._layer(layer)
        seg = index.segment(to_date(on))
        key = (layer, seg)
        if key not in self._states:
            rows = index.members[seg] if seg >= 0 else np.empty(0, dtype=np.int64)
            self._states[key] = self.features.iloc[rows]
        return self._states[key]

    def segment_start(self, layer: str, on: str | dt.date) -> dt.date | None:
        """Return the first day of the unchanged stretch of ``layer`` that contains ``on``."""
        index = self._layer(layer)
        seg = index.segment(to_date(on))
        return None if seg < 0 else index.bounds[seg]

    def previous_change(self, layer: str, on: str | dt.date) -> dt.date | None:
        """Return the start of the stretch before the one containing ``on`` (None if none)."""
        index = self._layer(layer)
        seg = index.segment(to_date(on))
        return index.bounds[seg - 1] if seg >= 1 else None

    def geometry(self, layer: str, on: str | dt.date, status: str | None = None
                 ) -> BaseGeometry:
        """Union of ``layer``'s features in force on ``on`` (optionally one status).

        The union is cached per stretch of unchanged state, so scrubbing the
        same stretch again costs one dictionary lookup.
        """
        index = self._layer(layer)
        seg = index.segment(to_date(on))
        key = (layer, seg, status)
        if key not in self._unions:
            if seg < 0:
                geom = shapely.Polygon()
            else:
                rows = self.features.iloc[index.members[seg]]
                if status is not None:
                    rows = rows[rows["status"] == status]
                geom = shapely.union_all(rows.geometry.to_numpy()) if len(rows) else (
                    shapely.Polygon())
            self._unions[key] = geom
        return self._unions[key]

    def statuses(self, layer: str) -> list[str]:
        """Return the statuses used by ``layer``'s features."""
        return sorted(self.features.loc[self.features["layer"] == layer, "status"].unique())
