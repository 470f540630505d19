"""The area of every polygon layer on every date it changes, beside the published claims."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.measurement import fast_area_km2

__all__ = ["TABLE_COLUMNS", "CLAIM_MATCH_COLUMNS", "TimelineLike", "area_table", "as_date",
           "km2_claims", "nearest_claim"]

#: Columns of :func:`area_table` without claims.
TABLE_COLUMNS = ["date", "layer", "status", "area_km2", "change_km2"]
#: Columns :func:`area_table` adds when claims are given.
CLAIM_MATCH_COLUMNS = ["claim_id", "claim_date", "claim_maker", "claim_km2", "claim_diff_km2",
                       "claim_diff_pct"]


class TimelineLike(Protocol):
    """What geo/ needs from a timeline (``layers.Timeline`` has it; geo never imports it)."""

    @property
    def area_layers(self) -> list[str]: ...  # noqa: D102

    def change_dates(self, layer: str) -> list[dt.date]: ...  # noqa: D102

    def statuses(self, layer: str) -> list[str]: ...  # noqa: D102

    def geometry(self, layer: str, on: dt.date, status: str | None = None  # noqa: D102
                 ) -> BaseGeometry: ...


def as_date(value: Any) -> dt.date | None:
    """Return a :class:`datetime.date` from a date, datetime, Timestamp or ISO string.

    None or NaN give None.

    Examples
    --------
    >>> as_date("2024-08-06"), as_date(pd.Timestamp("2024-08-06 12:00")), as_date(None)
    (datetime.date(2024, 8, 6), datetime.date(2024, 8, 6), None)
    """
    if value is None or (not isinstance(value, str | dt.date) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):  # includes pandas.Timestamp
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _text(value: Any) -> str:
    """Return a claim's text cell as str ('' for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _prepared_claims(claims: pd.DataFrame | None) -> pd.DataFrame:
    """Keep the claims that measure an area, with a figure and a date, oldest first.

    A claim measures an area when its ``quantity`` is ``"area"`` (a peak, a loss in a
    window or a share is another quantity, compared by :mod:`geo.claims_check`). Adds
    ``_layer`` (the claim's ``layers``, ``+`` for a union), ``_status`` and ``_day``
    (ordinal) for cheap per-layer filtering.
    """
    if claims is None or not len(claims):
        return pd.DataFrame(columns=[*getattr(claims, "columns", []), "_layer", "_status",
                                     "_day"])
    unit = claims["unit"].map(_text).str.lower()
    quantity = claims["quantity"].map(_text) if "quantity" in claims else "area"
    keep = ((unit == "km2") & claims["figure"].notna()
            & (quantity == "area")).to_numpy(dtype=bool)
    out = claims.loc[keep].copy()
    out["date"] = out["date"].map(as_date)
    out = out[out["date"].notna()]
    out["_layer"] = out["layers"].map(_text)
    out["_status"] = out["statuses"].map(_text) if "statuses" in out else ""
    out["_day"] = np.array([d.toordinal() for d in out["date"]], dtype=np.int64)
    # Stable sort by date: among equally distant claims the earlier one comes first.
    return out.iloc[np.argsort(out["_day"].to_numpy(dtype=np.int64), kind="stable")]


def _select(prepared: pd.DataFrame, layer: str, status: str | None) -> pd.DataFrame:
    keep = prepared["_layer"].to_numpy(dtype=object) == layer
    if status is not None:
        sts = prepared["_status"].to_numpy(dtype=object)
        keep &= (sts == "") | (sts == status)
    return prepared[keep]


def km2_claims(claims: pd.DataFrame, layer: str, status: str | None = None) -> pd.DataFrame:
    """Area claims (``unit == "km2"``, with a figure) about ``layer``, oldest first.

    A claim with an empty status is about the whole layer and matches any
    ``status``; a claim with a status matches only that status. ``status=None``
    does not filter on status.

    Examples
    --------
    >>> claims = pd.DataFrame({"claim_id": ["a", "b", "c"], "unit": ["km2", "km2", "km"],
    ...     "layers": ["ukrainian_held"] * 3, "statuses": ["", "contested", ""],
    ...     "figure": [1000.0, 50.0, 40.0],
    ...     "date": [dt.date(2024, 8, 20), dt.date(2024, 8, 10), dt.date(2024, 8, 9)]})
    >>> list(km2_claims(claims, "ukrainian_held", "held")["claim_id"])
    ['a']
    >>> list(km2_claims(claims, "ukrainian_held")["claim_id"])
    ['b', 'a']
    """
    found = _select(_prepared_claims(claims), layer, status)
    return found.drop(columns=["_layer", "_status", "_day"])


def _nearest_positions(claim_days: np.ndarray, row_days: np.ndarray) -> np.ndarray:
    """For each row day, the position of the nearest claim day (ties: the earlier claim).

    ``claim_days`` must be sorted ascending.
    """
    right = np.searchsorted(claim_days, row_days, side="left")
    right = np.clip(right, 0, len(claim_days) - 1)
    left = np.clip(right - 1, 0, len(claim_days) - 1)
    # The earliest claim on the left candidate's day (several claims may share it).
    left = np.searchsorted(claim_days, claim_days[left], side="left")
    pick_left = np.abs(row_days - claim_days[left]) <= np.abs(claim_days[right] - row_days)
    return np.where(pick_left, left, right)


def nearest_claim(claims: pd.DataFrame, layer: str, on: dt.date | str,
                  status: str | None = None) -> pd.Series | None:
    """Find the area claim about ``layer`` whose date is closest to ``on`` (ties: the earlier).

    Parameters
    ----------
    claims : pandas.DataFrame
        Columns as ``layers.claims.CLAIM_COLUMNS`` (``date``, ``unit``, ``layer``,
        ``status``, ``figure``, ...).
    layer : str
        Layer id.
    on : datetime.date or str
        The date to match.
    status : str, optional
        See :func:`km2_claims` for how statuses match.

    Returns
    -------
    pandas.Series or None
        The claim's row, or None if there is no km² claim about ``layer``.

    Examples
    --------
    >>> claims = pd.DataFrame({"claim_id": ["a", "b"], "unit": ["km2", "km2"],
    ...     "layers": ["ukrainian_held"] * 2, "statuses": ["", ""], "figure": [1000.0, 1200.0],
    ...     "date": [dt.date(2024, 8, 10), dt.date(2024, 8, 20)]})
    >>> nearest_claim(claims, "ukrainian_held", "2024-08-15")["claim_id"]  # a tie
    'a'
    >>> nearest_claim(claims, "contested", "2024-08-15") is None
    True
    """
    found = km2_claims(claims, layer, status)
    if not len(found):
        return None
    days = np.array([d.toordinal() for d in found["date"]], dtype=np.int64)
    pos = _nearest_positions(days, np.array([as_date(on).toordinal()], dtype=np.int64))[0]
    return found.iloc[int(pos)]


def area_table(timeline: TimelineLike, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Area (km²) of every polygon layer and status on each date the layer changes.

    Parameters
    ----------
    timeline : TimelineLike
        Anything with ``area_layers``, ``change_dates(layer)``, ``statuses(layer)``
        and ``geometry(layer, date, status)`` — e.g. ``layers.Timeline``.
    claims : pandas.DataFrame, optional
        The claims table (``layers.read_claims``); adds the nearest area claim.

    Returns
    -------
    pandas.DataFrame
        One row per (change date, layer, status), sorted by layer, status, date.
        Columns :data:`TABLE_COLUMNS`: ``date`` (datetime.date), ``layer``,
        ``status``, ``area_km2``, ``change_km2`` (against the previous row of the
        same layer and status, NaN for the first). With ``claims``, also
        :data:`CLAIM_MATCH_COLUMNS`: the claim nearest in date for that layer
        (and status, see :func:`km2_claims`), ``claim_diff_km2`` = computed - claim
        and ``claim_diff_pct`` relative to the claim; NaN/None where no claim matches.

    Notes
    -----
    Areas come from :func:`geo.measurement.fast_area_km2` (all geometries in one
    vectorised pass; within a few m² of :func:`geo.measurement.geodesic_area_km2`).
    When the timeline exposes ``features`` and ``state_ids`` (``layers.Timeline``
    does), a state made of a single feature is measured directly, once per
    feature, instead of through ``timeline.geometry`` (a GEOS union per state,
    ~20 ms for a 10,000-vertex MultiPolygon). That is exact for valid geometry,
    which ``layers/`` guarantees (it rejects invalid features on load). States
    of several features use the timeline's cached union.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> rows = [dict(id="a", layer="ukrainian_held", status="held",
    ...              valid_from=dt.date(2024, 8, 6), valid_to=dt.date(2024, 8, 10),
    ...              geometry=box(35.0, 51.0, 35.1, 51.1)),
    ...         dict(id="b", layer="ukrainian_held", status="held",
    ...              valid_from=dt.date(2024, 8, 10), valid_to=None,
    ...              geometry=box(35.0, 51.0, 35.2, 51.1))]
    >>> table = area_table(Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326")))
    >>> print(table[["date", "area_km2", "change_km2"]].round(1).to_string(index=False))
          date  area_km2  change_km2
    2024-08-06      78.0         NaN
    2024-08-10     156.0        78.0
    """
    keys: list[tuple[dt.date, str, str]] = []
    geom_pos: list[int] = []
    unique: dict[tuple[str, int], int] = {}
    geoms: list[BaseGeometry | None] = []

    def measure(key: tuple[str, int], geom: BaseGeometry | None) -> int:
        pos = unique.setdefault(key, len(geoms))
        if pos == len(geoms):
            geoms.append(geom)
        return pos

    direct = _feature_arrays(timeline)
    for layer in timeline.area_layers:
        dates = timeline.change_dates(layer)
        for status in timeline.statuses(layer):
            for day in dates:
                ids = None
                if direct is not None:
                    ids = timeline.state_ids(layer, day)
                    ids = ids[direct[1][ids] == status]
                if ids is not None and len(ids) <= 1:
                    # One valid feature is its own union: measure it once, however
                    # many dates it stays in force (skips a GEOS union per state).
                    pos = (measure(("feature", int(ids[0])), direct[0][ids[0]]) if len(ids)
                           else measure(("empty", 0), None))
                else:
                    geom = timeline.geometry(layer, day, status)
                    # id() is safe: every geometry stays referenced in `geoms`.
                    pos = measure(("union", id(geom)), geom)
                keys.append((day, str(layer), str(status)))
                geom_pos.append(pos)
    areas = fast_area_km2(geoms)[np.asarray(geom_pos, dtype=np.int64)] if keys else []
    table = pd.DataFrame(keys, columns=["date", "layer", "status"])
    table["date"] = table["date"].astype(object)
    table["area_km2"] = np.asarray(areas, dtype=float)
    table = table.sort_values(["layer", "status", "date"], kind="stable").reset_index(drop=True)
    table["change_km2"] = table.groupby(["layer", "status"], sort=False)["area_km2"].diff()
    if claims is not None:
        table = _add_claims(table, claims)
    return table


@runtime_checkable
class FeatureTimeline(Protocol):
    """A timeline that also exposes its feature rows (``layers.Timeline`` does).

    ``features`` is a GeoDataFrame with ``geometry`` and ``status``; ``state_ids`` gives
    the row positions of a layer's state on a day. It lets the area table measure a
    one-feature state directly instead of through a union.
    """

    features: Any

    def state_ids(self, layer: str, on: dt.date) -> np.ndarray: ...  # noqa: D102


def _feature_arrays(timeline: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """(geometries, statuses) of the timeline's features, if it is a FeatureTimeline.

    A bare :class:`TimelineLike` is not, and then every state goes through
    ``timeline.geometry``.
    """
    if not isinstance(timeline, FeatureTimeline) or timeline.features is None:
        return None
    features = timeline.features
    try:
        geoms = np.asarray(features.geometry.to_numpy(), dtype=object)
        statuses = features["status"].astype(str).to_numpy(dtype=object)
    except (AttributeError, KeyError):
        return None
    return geoms, statuses


def _add_claims(table: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    n = len(table)
    cid = np.full(n, None, dtype=object)
    cdate = np.full(n, None, dtype=object)
    maker = np.full(n, None, dtype=object)
    figure = np.full(n, np.nan)
    prepared = _prepared_claims(claims)
    for (layer, status), rows in table.groupby(["layer", "status"], sort=False).indices.items():
        found = _select(prepared, layer, status)
        if not len(found):
            continue
        days = found["_day"].to_numpy(dtype=np.int64)
        row_days = np.array([d.toordinal() for d in table["date"].to_numpy()[rows]],
                            dtype=np.int64)
        pick = _nearest_positions(days, row_days)
        cid[rows] = found["claim_id"].to_numpy()[pick]
        cdate[rows] = found["date"].to_numpy()[pick]
        maker[rows] = found["claim_maker"].to_numpy()[pick]
        figure[rows] = found["figure"].to_numpy(dtype=float)[pick]
    table["claim_id"] = cid
    table["claim_date"] = cdate
    table["claim_maker"] = maker
    table["claim_km2"] = figure
    table["claim_diff_km2"] = table["area_km2"] - figure
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(figure != 0, 100.0 * (table["area_km2"].to_numpy() - figure) / figure,
                       np.nan)
    table["claim_diff_pct"] = pct
    return table
