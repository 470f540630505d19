"""What changed between two states of an area: gained, lost and kept ground."""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely
import shapely.errors
from shapely.geometry.base import BaseGeometry

from geo.measurement import geodesic_area_km2

__all__ = ["Change", "diff_states"]


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry:
    """``geom`` reduced to its polygonal parts (empty Polygon for None/empty)."""
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    if not geom.is_valid:
        try:
            geom = shapely.make_valid(geom)
        except shapely.errors.GEOSException:
            # GEOS 3.14's default 'linework' repair raises "Overlay input is
            # mixed-dimension" on some collapsed rings; 'structure' repairs them.
            geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


#: Snap-rounding grid (degrees, ~1 mm) used only when GEOS's floating overlay fails.
_GRID_DEG = 1e-8


def _overlay(op, a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """Run a GEOS set operation; on a robustness failure, retry with snap rounding."""
    try:
        return op(a, b)
    except shapely.errors.GEOSException:
        # Nearly coincident edges can defeat floating-point overlay ("TopologyException");
        # snapping to a 1 mm grid is the documented remedy and changes areas by << 1 m².
        return op(a, b, grid_size=_GRID_DEG)


@dataclass(frozen=True)
class Change:
    """The change from an old to a new state of an area (lon/lat, EPSG:4326).

    ``kept`` and ``gained`` are disjoint and make up the new state; ``kept``
    and ``lost`` are disjoint and make up the old one. Areas are geodesic km²
    (:func:`geo.measurement.geodesic_area_km2`), computed once on construction.

    Attributes
    ----------
    gained : shapely geometry
        ``new - old``.
    lost : shapely geometry
        ``old - new``.
    kept : shapely geometry
        ``old ∩ new``.
    old_km2, new_km2 : float
        Areas of the two states (default: ``kept + lost`` and ``kept + gained``).
    gained_km2, lost_km2, kept_km2 : float
        Areas of the three parts.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> c = Change(gained=box(35.1, 51, 35.2, 51.1), lost=box(34.9, 51, 35, 51.1),
    ...            kept=box(35, 51, 35.1, 51.1))
    >>> round(c.net_km2, 6) == round(c.gained_km2 - c.lost_km2, 6)
    True
    """

    gained: BaseGeometry
    lost: BaseGeometry
    kept: BaseGeometry
    old_km2: float | None = None
    new_km2: float | None = None
    gained_km2: float = field(init=False)
    lost_km2: float = field(init=False)
    kept_km2: float = field(init=False)

    def __post_init__(self) -> None:
        # frozen dataclass: set the derived fields through object.__setattr__.
        for name in ("gained", "lost", "kept"):
            object.__setattr__(self, f"{name}_km2", geodesic_area_km2(getattr(self, name)))
        if self.old_km2 is None:
            object.__setattr__(self, "old_km2", self.kept_km2 + self.lost_km2)
        if self.new_km2 is None:
            object.__setattr__(self, "new_km2", self.kept_km2 + self.gained_km2)

    @property
    def net_km2(self) -> float:
        """``new_km2 - old_km2``: positive when the area grew."""
        return float(self.new_km2) - float(self.old_km2)

    @property
    def is_unchanged(self) -> bool:
        """True when nothing was gained or lost."""
        return self.gained.is_empty and self.lost.is_empty


def diff_states(old: BaseGeometry | None, new: BaseGeometry | None) -> Change:
    """Split two states of an area into gained, lost and kept ground.

    Parameters
    ----------
    old, new : shapely geometry or None
        Lon/lat degrees. Only polygonal parts count; None or empty means no area.
        Invalid geometry is repaired with :func:`shapely.make_valid` first.

    Returns
    -------
    Change
        ``gained = new - old``, ``lost = old - new``, ``kept = old ∩ new``;
        ``old_km2`` and ``new_km2`` measured on the inputs themselves.

    Notes
    -----
    The set operations run in the lon/lat plane (GEOS) while areas treat edges
    as geodesics, so cutting a long edge changes its area slightly (a 0.5°
    edge at 51°N: ~4e-6 of the area). With edges of a few hundred metres, as
    in digitised data, kept + gained equals new to ~1e-9; densify coarse
    shapes first (``shapely.segmentize``) if that matters.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> c = diff_states(box(35.0, 51.0, 35.2, 51.1), box(35.1, 51.0, 35.3, 51.1))
    >>> round(c.gained_km2, 1), round(c.lost_km2, 1), round(c.kept_km2, 1)
    (78.0, 78.0, 78.0)
    >>> diff_states(None, box(35.0, 51.0, 35.1, 51.1)).lost.is_empty
    True
    """
    old_p, new_p = _polygonal(old), _polygonal(new)
    if old_p.is_empty or new_p.is_empty:
        empty = shapely.Polygon()
        gained, lost, kept = new_p, old_p, empty
    elif old_p.equals_exact(new_p, 0.0):
        gained, lost, kept = shapely.Polygon(), shapely.Polygon(), new_p
    else:
        gained = _polygonal(_overlay(shapely.difference, new_p, old_p))
        lost = _polygonal(_overlay(shapely.difference, old_p, new_p))
        kept = _polygonal(_overlay(shapely.intersection, old_p, new_p))
    return Change(gained=gained, lost=lost, kept=kept,
                  old_km2=geodesic_area_km2(old_p), new_km2=geodesic_area_km2(new_p))
