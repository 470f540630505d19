"""The closed set of quantities a published figure can measure, each computed from the map.

Pure. A claim names its quantity, the layers and statuses it covers, its date and (for
windows) a number of days; :func:`measure` returns the map's value of exactly that
quantity. A figure that is none of these (troops, a front's width) is ``context``:
shown, never computed.

Quantities (``layers`` joins layer ids with ``+``, a union; ``statuses`` likewise, empty
for every status):

- ``area``: geodesic km² of the layers on the date;
- ``peak_area``: the largest ``area`` on any change day up to the date;
- ``retaken_since_peak``: ``peak_area`` − ``area`` (km²);
- ``share_retaken``: ``retaken_since_peak`` / ``peak_area`` (percent);
- ``lost_in_window`` / ``gained_in_window``: km² of the layers' ground lost / gained in
  the ``window_days`` before the date;
- ``settlements_held``: settlements whose resolved control (the facts) puts them in the
  layers on the date;
- ``settlements_changed_in_window``: settlements that left ``ukrainian_held`` /
  joined ``sumy_security_zone`` in the window (the claimant's gains);
- ``depth_from_border``: how far the layers reach from the state border (km);
- ``route_length``: geodesic km of the layers' lines in force (e.g. the pipeline);
- ``context``: not computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import shapely
from shapely.geometry.base import BaseGeometry

from geo.layer_rules import CLAIMED, controls_of
from geo.measurement import geodesic_area_km2, geodesic_length_km, max_depth_km

__all__ = ["QUANTITIES", "UNITS", "MapView", "Measured", "Request", "map_view", "measure",
           "settlements_in", "with_contested"]

#: Every quantity a claim may name, with what it means (shown to readers).
QUANTITIES: dict[str, str] = {
    "area": "area of the layers on the date",
    "peak_area": "largest area of the layers up to the date",
    "retaken_since_peak": "area lost since the peak (peak − area on the date)",
    "share_retaken": "share of the peak lost by the date",
    "lost_in_window": "area lost in the days before the date",
    "gained_in_window": "area gained in the days before the date",
    "settlements_held": "settlements the facts put in the layers on the date",
    "settlements_changed_in_window": "settlements that changed hands in the days before",
    "depth_from_border": "how far the layers reach from the state border",
    "route_length": "length of the route in force",
    "context": "not measured by the map (shown for context)",
}
#: The unit of each computed quantity.
UNITS = {"area": "km2", "peak_area": "km2", "retaken_since_peak": "km2",
         "share_retaken": "percent", "lost_in_window": "km2", "gained_in_window": "km2",
         "settlements_held": "settlements", "settlements_changed_in_window": "settlements",
         "depth_from_border": "km", "route_length": "km", "context": ""}

#: The claimed layers: settlements a side says it holds while the facts resolve otherwise
#: (read backwards from the table the layers are drawn by, :mod:`geo.layer_rules`).
_LAYER_CLAIM = {layer: (iso, side) for (iso, side), (layer, _) in CLAIMED.items()
                if layer.endswith("_claimed")}


class TimelineLike(Protocol):
    """What the quantities need of a timeline (``layers.Timeline`` is one)."""

    def has_layer(self, layer: str) -> bool: ...  # noqa: D102

    def change_dates(self, layer: str) -> list[dt.date]: ...  # noqa: D102

    def geometry(self, layer: str, on: dt.date, status: str | None = None  # noqa: D102
                 ) -> BaseGeometry: ...


@dataclass(frozen=True)
class MapView:
    """Everything a quantity may read: the timeline, the border, the facts' controls.

    ``controls_on(day)`` returns each settlement's resolved control
    (:class:`geo.control.Control`) and ``places`` their country; both may be None when
    no fact base is loaded (settlement quantities are then not computed).
    """

    timeline: TimelineLike
    border: BaseGeometry | None = None
    controls_on: Callable[[dt.date], Mapping] | None = None
    places: Mapping | None = None
    #: Areas already measured, by (layers, statuses, day): a peak measures every change
    #: day, and many claims ask for the peak of the same layers.
    areas: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Request:
    """What one claim asks of the map."""

    quantity: str
    layers: tuple[str, ...]
    statuses: tuple[str, ...] = ()
    date: dt.date | None = None
    window_days: int | None = None


@dataclass(frozen=True)
class Measured:
    """The map's value of a request (NaN and a note when it cannot be computed)."""

    value: float
    unit: str
    note: str = ""


#: Quantities that can be read again with the contested ground added.
_WIDENABLE = ("area", "peak_area", "retaken_since_peak", "share_retaken", "settlements_held")


def with_contested(req: Request) -> Request | None:
    """Return the same request with the contested ground added (None if that means nothing).

    A tracker's figure counts held ground (``ukrainian_held``, or the Sumy zone's ``held``
    part); the map splits the ground the sources disagree about into ``contested``. The
    widened request lets a reader see whether a figure differs from the map in how it
    classes that ground (the figure lies between the two values) or in extent (it lies
    outside both). Requests that already cover the contested ground, windows, depths and
    routes give None.

    Examples
    --------
    >>> with_contested(Request("area", ("ukrainian_held",))).layers
    ('ukrainian_held', 'contested')
    >>> with_contested(Request("area", ("sumy_security_zone",), ("held",))).statuses
    ('held', 'contested')
    >>> with_contested(Request("area", ("ukrainian_held", "contested"))) is None
    True
    >>> with_contested(Request("lost_in_window", ("ukrainian_held",), window_days=5)) is None
    True
    """
    if req.quantity not in _WIDENABLE:
        return None
    if req.layers == ("ukrainian_held",) and not req.statuses:
        return replace(req, layers=("ukrainian_held", "contested"))
    if req.layers == ("sumy_security_zone",) and req.statuses == ("held",):
        return replace(req, statuses=("held", "contested"))
    return None


def _union(view: MapView, layers: Sequence[str], statuses: Sequence[str], day: dt.date
           ) -> BaseGeometry:
    parts = []
    for layer in layers:
        if not view.timeline.has_layer(layer):
            continue
        if statuses:
            parts += [view.timeline.geometry(layer, day, s) for s in statuses]
        else:
            parts.append(view.timeline.geometry(layer, day))
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _area(view, req, day) -> float:
    key = (req.layers, req.statuses, day)
    if key not in view.areas:
        view.areas[key] = geodesic_area_km2(_union(view, req.layers, req.statuses, day))
    return view.areas[key]


def _peak(view: MapView, req: Request) -> float:
    days = {d for layer in req.layers if view.timeline.has_layer(layer)
            for d in view.timeline.change_dates(layer) if d <= req.date}
    return max((_area(view, req, d) for d in days), default=0.0)


def settlements_in(controls: Mapping, places: Mapping, layers: Sequence[str],
                   statuses: Sequence[str] = ()) -> list[str]:
    """Names of the settlements whose control puts them in ``layers`` (and ``statuses``).

    Each layer holds the settlements whose resolved control it is drawn from
    (:func:`geo.layer_rules.controls_of`); ``statuses``, if given, narrows every layer to
    those statuses. A claimed layer (``ukrainian_claimed``) holds the settlements that side
    claims while the facts resolve them otherwise, as its polygons do.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> ctl = {"A": S(status="ukrainian", claimed_by=()),
    ...        "B": S(status="russian", claimed_by=("ukrainian",)),
    ...        "C": S(status="russian", claimed_by=())}
    >>> pl = {"A": S(country="RUS"), "B": S(country="RUS"), "C": S(country="UKR")}
    >>> settlements_in(ctl, pl, ["ukrainian_held"]), settlements_in(
    ...     ctl, pl, ["sumy_security_zone"], ["held"])
    (['A'], ['C'])
    >>> settlements_in(ctl, pl, ["ukrainian_held", "ukrainian_claimed"])
    ['A', 'B']
    """
    out = []
    for name in sorted(controls):
        control = controls[name]
        for layer in layers:
            if layer in _LAYER_CLAIM:
                iso, side = _LAYER_CLAIM[layer]
                inside = side in control.claimed_by
            else:
                iso, wanted = controls_of(layer, statuses)
                inside = control.status in wanted
            if inside and places[name].country == iso:
                out.append(name)
                break
    return out


def _missing(view: MapView, req: Request) -> str:
    if req.quantity not in QUANTITIES:
        return f"quantity {req.quantity!r} is not one of {', '.join(QUANTITIES)}"
    if req.quantity == "context":
        return "context: not measured by the map"
    if req.date is None:
        return "no date: cannot pick the map's state"
    if not req.layers:
        return "no layer given"
    if not any(view.timeline.has_layer(x) for x in req.layers) and \
            not req.quantity.startswith("settlements"):
        return f"layer {req.layers[0]!r} is not in the timeline"
    if req.quantity.endswith("_in_window") and not req.window_days:
        return "a window quantity needs window_days"
    if req.quantity.startswith("settlements") and view.controls_on is None:
        return "no fact base loaded: settlement counts come from the facts"
    if req.quantity == "depth_from_border" and view.border is None:
        return "no border given"
    return ""


def measure(view: MapView, req: Request) -> Measured:
    """Compute the map's value of the quantity ``req`` names.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> d = dt.date
    >>> rows = [dict(id="a", layer="ukrainian_held", status="held", valid_from=d(2024, 8, 6),
    ...              valid_to=d(2024, 9, 1), geometry=box(35.0, 51.0, 35.2, 51.1)),
    ...         dict(id="b", layer="ukrainian_held", status="held", valid_from=d(2024, 9, 1),
    ...              valid_to=None, geometry=box(35.0, 51.0, 35.1, 51.1))]
    >>> view = MapView(Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326")))
    >>> def m(q, **kw):
    ...     r = measure(view, Request(q, ("ukrainian_held",), date=d(2024, 9, 3), **kw))
    ...     return round(r.value, 1), r.unit
    >>> m("area"), m("peak_area"), m("retaken_since_peak"), m("share_retaken")
    ((78.0, 'km2'), (156.0, 'km2'), (78.0, 'km2'), (50.0, 'percent'))
    >>> m("lost_in_window", window_days=5), m("lost_in_window", window_days=1)
    ((78.0, 'km2'), (0.0, 'km2'))
    >>> measure(view, Request("context", ("ukrainian_held",))).note
    'context: not measured by the map'
    """
    unit = UNITS.get(req.quantity, "")
    if note := _missing(view, req):
        return Measured(float("nan"), unit, note)
    q, day = req.quantity, req.date
    if q == "area":
        return Measured(_area(view, req, day), unit)
    if q in ("peak_area", "retaken_since_peak", "share_retaken"):
        peak = _peak(view, req)
        if q == "peak_area":
            return Measured(peak, unit)
        lost = max(peak - _area(view, req, day), 0.0)
        if q == "retaken_since_peak":
            return Measured(lost, unit)
        return Measured(100.0 * lost / peak if peak else float("nan"), unit,
                        "" if peak else "no area before the date")
    if q in ("lost_in_window", "gained_in_window"):
        before = _union(view, req.layers, req.statuses, day - dt.timedelta(days=req.window_days))
        after = _union(view, req.layers, req.statuses, day)
        moved = before.difference(after) if q == "lost_in_window" else after.difference(before)
        return Measured(geodesic_area_km2(moved), unit)
    if q == "settlements_held":
        names = settlements_in(view.controls_on(day), view.places, req.layers, req.statuses)
        return Measured(float(len(names)), unit)
    if q == "settlements_changed_in_window":
        start = day - dt.timedelta(days=req.window_days)
        then = set(settlements_in(view.controls_on(start), view.places, req.layers,
                                  req.statuses))
        now = set(settlements_in(view.controls_on(day), view.places, req.layers,
                                 req.statuses))
        # Ukraine's ground in Kursk shrinks (places leave it); the Sumy zone grows.
        changed = (then - now) if "sumy_security_zone" not in req.layers else (now - then)
        return Measured(float(len(changed)), unit)
    geom = _union(view, req.layers, req.statuses, day)
    if q == "depth_from_border":
        if geom.is_empty:
            return Measured(float("nan"), unit, "nothing drawn on the date")
        return Measured(max_depth_km(geom, _near(view.border, geom)), unit)
    lines = [g for g in shapely.get_parts(geom)
             if g.geom_type in ("LineString", "MultiLineString")]
    if not lines:
        return Measured(float("nan"), unit, "no route in force on the date")
    return Measured(sum(geodesic_length_km(g) for g in lines), unit)


def _near(border: BaseGeometry, area: BaseGeometry, margin: float = 1.0) -> BaseGeometry:
    """Return the part of ``border`` within ``margin`` degrees of ``area`` (depth is local)."""
    minx, miny, maxx, maxy = area.bounds
    near = shapely.clip_by_rect(border, minx - margin, miny - margin, maxx + margin,
                                maxy + margin)
    return near if not near.is_empty else border


def map_view(dataset) -> MapView:
    """Return the :class:`MapView` of a loaded data folder (``layers.Dataset``, duck-typed).

    Settlement quantities resolve the fact base's controls on demand (cached per day).
    """
    from functools import lru_cache

    from geo.control import resolve_on

    fb = dataset.factbase
    if fb is None:
        return MapView(dataset.timeline, dataset.border)

    @lru_cache(maxsize=512)
    def controls_on(day: dt.date) -> Mapping:
        return resolve_on(fb.facts, day, fb.method, fb.places)

    return MapView(dataset.timeline, dataset.border, controls_on, fb.places)
