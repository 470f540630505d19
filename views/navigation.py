"""Date navigation and permalinks: snap, step, clamp, play and parse ``?date=…``. Pure.

The browser does the stepping (``static/js/frontline-timeline.js``, with the same rules on
the same list of change days); the dashboard's server parses the link a session opens
with, and tests check the script against these functions.

A permalink is ``?date=YYYY-MM-DD&layers=a,b&lat=&lon=&zoom=&compare=YYYY-MM-DD``
(``settlements=0`` hides the settlement markers). :func:`parse_permalink` accepts what it
can and names, in plain words, every parameter it had to ignore.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["BOUNDS", "Permalink", "clamp", "parse_permalink", "play_next", "snap",
           "step_change", "step_day"]

#: The view a permalink may ask for: lat, lon and zoom ranges of the map.
BOUNDS = {"lat": (48.8, 53.7), "lon": (30.5, 40.5), "zoom": (6, 15)}


def clamp(day: dt.date, start: dt.date, end: dt.date) -> dt.date:
    """Return ``day`` kept inside ``[start, end]``.

    Examples
    --------
    >>> clamp(dt.date(2030, 1, 1), dt.date(2024, 8, 6), dt.date(2025, 8, 31))
    datetime.date(2025, 8, 31)
    """
    return min(max(day, start), end)


def snap(day: dt.date, changes: Sequence[dt.date]) -> dt.date:
    """Return the change day in force on ``day``: the last one on or before it.

    Examples
    --------
    >>> ch = [dt.date(2024, 8, 6), dt.date(2024, 8, 10)]
    >>> snap(dt.date(2024, 8, 9), ch), snap(dt.date(2024, 8, 1), ch)
    (datetime.date(2024, 8, 6), datetime.date(2024, 8, 6))
    """
    k = bisect.bisect_right(changes, day) - 1
    return changes[max(k, 0)]


def step_day(day: dt.date, days: int, start: dt.date, end: dt.date) -> dt.date:
    """Return ``day`` moved by ``days`` (clamped): the « day / day » buttons.

    Examples
    --------
    >>> step_day(dt.date(2024, 8, 6), -1, dt.date(2024, 8, 6), dt.date(2025, 8, 31))
    datetime.date(2024, 8, 6)
    """
    return clamp(day + dt.timedelta(days=days), start, end)


def step_change(day: dt.date, changes: Sequence[dt.date], forward: bool) -> dt.date:
    """Return the next (or previous) change day from ``day``; ``day`` itself at either end.

    Examples
    --------
    >>> ch = [dt.date(2024, 8, 6), dt.date(2024, 8, 10), dt.date(2024, 8, 20)]
    >>> step_change(dt.date(2024, 8, 12), ch, True), step_change(dt.date(2024, 8, 12), ch, False)
    (datetime.date(2024, 8, 20), datetime.date(2024, 8, 10))
    >>> step_change(dt.date(2024, 8, 20), ch, True)
    datetime.date(2024, 8, 20)
    """
    if forward:
        k = bisect.bisect_right(changes, day)
        return changes[k] if k < len(changes) else day
    k = bisect.bisect_left(changes, day) - 1
    return changes[k] if k >= 0 else day


def play_next(day: dt.date, changes: Sequence[dt.date]) -> dt.date | None:
    """Return the day Play shows next (the next change day), None at the end.

    Examples
    --------
    >>> ch = [dt.date(2024, 8, 6), dt.date(2024, 8, 10)]
    >>> play_next(dt.date(2024, 8, 6), ch), play_next(dt.date(2024, 8, 10), ch)
    (datetime.date(2024, 8, 10), None)
    """
    nxt = step_change(day, changes, True)
    return nxt if nxt != day else None


@dataclass(frozen=True)
class Permalink:
    """What a link asks the map to show, with a warning per ignored parameter.

    Attributes
    ----------
    day, compare : datetime.date or None
    layers : tuple of str or None
        None: every layer.
    view : (lat, lon, zoom) or None
        None: fit the date's layers.
    settlements : bool
    warnings : tuple of str
    """

    day: dt.date | None = None
    compare: dt.date | None = None
    layers: tuple[str, ...] | None = None
    view: tuple[float, float, int] | None = None
    settlements: bool = True
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _day(name: str, text: str, start: dt.date, end: dt.date, warnings: list[str]
         ) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not start <= day <= end:
        warnings.append(f"Ignored {name} {text[:40]!r} from the link: expected YYYY-MM-DD "
                        f"between {start} and {end}.")
        return None
    return day


def parse_permalink(query: Mapping[str, str], layers: Sequence[str], start: dt.date,
                    end: dt.date) -> Permalink:
    """Read a dashboard link's parameters; every ignored one gets a warning.

    Parameters
    ----------
    query : mapping of str to str
        The link's query parameters.
    layers : sequence of str
        The layer ids loaded (others in ``layers=`` are ignored, with a warning).
    start, end : datetime.date
        The timeline's first and last day.

    Examples
    --------
    >>> s, e = dt.date(2024, 8, 6), dt.date(2025, 8, 31)
    >>> p = parse_permalink({"date": "2025-03-14", "layers": "contested,nope",
    ...                      "lat": "51.2", "lon": "35.2", "zoom": "10"}, ["contested"], s, e)
    >>> p.day, p.layers, p.view
    (datetime.date(2025, 3, 14), ('contested',), (51.2, 35.2, 10))
    >>> p.warnings
    ("Ignored layer 'nope' from the link: the layers are contested.",)
    >>> parse_permalink({"date": "2025-13-01", "zoom": "x"}, [], s, e).warnings[0][:31]
    "Ignored date '2025-13-01' from "
    """
    warnings: list[str] = []
    day = _day("date", str(query["date"]), start, end, warnings) if query.get("date") else None
    compare = (_day("compare", str(query["compare"]), start, end, warnings)
               if query.get("compare") else None)
    chosen = None
    if "layers" in query:
        asked = [x for x in str(query["layers"]).split(",") if x]
        unknown = [x for x in asked if x not in layers]
        for x in unknown:
            warnings.append(f"Ignored layer {x[:40]!r} from the link: the layers are "
                            f"{', '.join(layers) or 'none'}.")
        chosen = tuple(x for x in asked if x in layers)
        if asked and not chosen:
            chosen = None
            warnings.append("None of the link's layers is loaded: every layer is shown.")
    view = None
    keys = [k for k in ("lat", "lon", "zoom") if k in query]
    if keys:
        try:
            lat, lon, zoom = (float(query["lat"]), float(query["lon"]),
                              int(float(query["zoom"])))
            ok = all(lo <= v <= hi for v, (lo, hi) in
                     zip((lat, lon, zoom), BOUNDS.values(), strict=True))
            if not ok:
                raise ValueError
            view = (lat, lon, zoom)
        except (KeyError, ValueError):
            warnings.append("Ignored the link's view (lat, lon, zoom): expected all three, "
                            "inside lat 48.8–53.7, lon 30.5–40.5, zoom 6–15; the map opens "
                            "on the date's layers.")
    settlements = str(query.get("settlements", "1")) != "0"
    return Permalink(day, compare, chosen, view, settlements, tuple(warnings))
