"""Check that the derived layers agree with the facts they were derived from.

Pure. On every change day of a :class:`geo.derive.Derivation`, each settlement with a
resolved control must sit where its control says:

- in Russia: ``ukrainian`` inside ``ukrainian_held``; ``russian`` outside
  ``ukrainian_held`` and ``contested``; ``contested`` inside ``contested`` or within
  ``tolerance_km`` of the held line;
- in Ukraine, the same with ``sumy_security_zone`` (held / contested) and the sides
  swapped.

A breach is a :class:`Conflict` naming the day, the settlement and the fact rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.measurement import distance_km

__all__ = ["Conflict", "check_consistency", "state_on"]


@dataclass(frozen=True)
class Conflict:
    """A settlement on the wrong side of a derived line on a day."""

    day: dt.date
    settlement: str
    status: str
    problem: str
    fact_ids: tuple[str, ...]

    def __str__(self) -> str:
        return (f"{self.day}: {self.settlement} is {self.status} by facts "
                f"{', '.join(self.fact_ids)} but {self.problem}")


def state_on(states, layer: str, status: str, day: dt.date) -> BaseGeometry:
    """Geometry of ``layer``/``status`` in force on ``day`` (empty if none).

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> from shapely.geometry import box
    >>> st = [S(layer="x", status="held", valid_from=dt.date(2024, 8, 6), valid_to=None,
    ...         geometry=box(0, 0, 1, 1))]
    >>> state_on(st, "x", "held", dt.date(2025, 1, 1)).area
    1.0
    """
    for s in states:
        if s.layer == layer and s.status == status and s.valid_from <= day and \
                (s.valid_to is None or day < s.valid_to):
            return s.geometry
    return shapely.Polygon()


_RULES = {
    "RUS": (("ukrainian_held", "held"), ("contested", "contested"), "ukrainian", "russian"),
    "UKR": (("sumy_security_zone", "held"), ("sumy_security_zone", "contested"), "russian",
            "ukrainian"),
}


def check_consistency(derivation, places: Mapping, tolerance_km: float = 1.0
                      ) -> list[Conflict]:
    """Every breach of the rules above, over every change day.

    Parameters
    ----------
    derivation : geo.derive.Derivation
    places : mapping of str to geo.derive.PlaceLike
    tolerance_km : float
        How far from the held line a ``contested`` settlement may lie outside the
        contested area (km).

    Returns
    -------
    list of Conflict
        Empty when the layers follow the facts.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> from shapely.geometry import box
    >>> day = dt.date(2024, 8, 10)
    >>> ctl = {"A": S(status="russian", fact_ids=("f1",))}
    >>> held = S(layer="ukrainian_held", status="held", valid_from=day, valid_to=None,
    ...          geometry=box(34.9, 51.1, 35.1, 51.3))
    >>> d = S(states=[held], days=[day], controls={day: ctl})
    >>> [str(c) for c in check_consistency(d, {"A": S(lon=35.0, lat=51.2, country="RUS")})]
    ['2024-08-10: A is russian by facts f1 but lies inside ukrainian_held']
    """
    conflicts = []
    for day in derivation.days:
        shapes = {}
        for iso, (held_key, cont_key, own, other) in _RULES.items():
            held = state_on(derivation.states, *held_key, day)
            cont = state_on(derivation.states, *cont_key, day)
            shapes[iso] = (held, cont, own, other, held_key[0], cont_key[0])
        for name, ctl in sorted(derivation.controls[day].items()):
            place = places[name]
            held, cont, own, other, held_name, cont_name = shapes[place.country]
            point = Point(place.lon, place.lat)
            problem = None
            if ctl.status == own and not held.covers(point):
                problem = f"lies outside {held_name}"
            elif ctl.status == other and (held.covers(point) or cont.covers(point)):
                problem = f"lies inside {held_name if held.covers(point) else cont_name}"
            elif ctl.status == "contested" and not cont.covers(point):
                line = held.boundary if not held.is_empty else None
                off = distance_km(point, line) if line is not None else float("inf")
                if off > tolerance_km:
                    problem = (f"lies outside the contested area and {off:.1f} km from the "
                               "held line" if line is not None else
                               "lies outside the contested area and no held line exists")
            if problem:
                conflicts.append(Conflict(day, name, ctl.status, problem, ctl.fact_ids))
    return conflicts
