"""Small statistics for the benchmarks and the load test: percentiles, memory levelling off."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

__all__ = ["RSS_GROWTH_LIMIT", "levels_off", "percentile", "summary"]

#: "Memory levels off": mean RSS of the last third ≤ this × mean of the middle third.
RSS_GROWTH_LIMIT = 1.2


def percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q`` quantile (0-1) of ``values``, linearly interpolated (numpy's default).

    Raises
    ------
    ValueError
        ``values`` is empty.

    Examples
    --------
    >>> percentile([1, 2, 3, 4, 5], 0.5), percentile([1, 2, 3, 4, 5], 0.95)
    (3, 4.8)
    """
    if not values:
        raise ValueError("percentile of no values")
    xs = sorted(values)
    k = (len(xs) - 1) * q
    lo, hi = math.floor(k), min(math.floor(k) + 1, len(xs) - 1)
    if k == lo:
        return xs[lo]
    return round(xs[lo] + (xs[hi] - xs[lo]) * (k - lo), 9)


def summary(values: Sequence[float]) -> dict:
    """Return ``n``, median, p95 and max of ``values`` (None for an empty list).

    Examples
    --------
    >>> summary([10, 20, 30])
    {'n': 3, 'median': 20, 'p95': 29.0, 'max': 30}
    >>> summary([])
    {'n': 0, 'median': None, 'p95': None, 'max': None}
    """
    if not values:
        return {"n": 0, "median": None, "p95": None, "max": None}
    return {"n": len(values), "median": statistics.median(values),
            "p95": percentile(values, 0.95), "max": max(values)}


def levels_off(samples: Sequence[float], limit: float = RSS_GROWTH_LIMIT) -> tuple[bool, float]:
    """Return whether the last third's mean is at most ``limit`` × the middle third's mean.

    Fewer than three samples is not a pass.

    Examples
    --------
    >>> levels_off([100, 110, 120, 121, 122, 121, 122, 121, 122])
    (True, 1.003)
    >>> levels_off([100, 100, 100, 200, 200, 200, 300, 300, 300])
    (False, 1.5)
    >>> levels_off([1, 2])
    (False, nan)
    """
    n = len(samples) // 3
    if n == 0:
        return False, float("nan")
    middle = statistics.mean(samples[n:2 * n])
    last = statistics.mean(samples[-n:])
    ratio = round(last / middle, 3)
    return ratio <= limit, ratio
