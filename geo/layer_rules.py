"""Which layer and status a settlement's resolved control is drawn as: one table.

:mod:`geo.derive` draws each country's cells by these tables, and :mod:`geo.quantities`
counts a layer's settlements by the same tables read backwards, so the two cannot drift.

Examples
--------
>>> DRAWN[("UKR", "russian")]
('sumy_security_zone', 'held')
>>> iso, controls = controls_of("sumy_security_zone")
>>> iso, sorted(controls)
('UKR', ['contested', 'russian'])
>>> controls_of("sumy_security_zone", ["held"])
('UKR', {'russian'})
>>> CLAIMED[("RUS", "russian")]
('russian_claimed', 'claimed')
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["CLAIMED", "DRAWN", "POCKET", "controls_of"]

#: (country ISO, resolved control) -> (layer, status) of the ground its cells are drawn as.
DRAWN: dict[tuple[str, str], tuple[str, str]] = {
    ("RUS", "ukrainian"): ("ukrainian_held", "held"),
    ("RUS", "contested"): ("contested", "contested"),
    ("UKR", "russian"): ("sumy_security_zone", "held"),
    ("UKR", "contested"): ("sumy_security_zone", "contested"),
}
#: (country ISO, claimant) -> (layer, status) of the ground a side claims beyond the facts.
CLAIMED: dict[tuple[str, str], tuple[str, str]] = {
    ("RUS", "russian"): ("russian_claimed", "claimed"),
    ("RUS", "ukrainian"): ("ukrainian_claimed", "claimed"),
    ("UKR", "russian"): ("sumy_security_zone", "claimed"),
}
#: The Sudzha pocket: the held and contested ground connected to its anchor.
POCKET = ("sudzha_pocket", "RUS", {"ukrainian", "contested"})


def controls_of(layer: str, statuses: Iterable[str] | None = None
                ) -> tuple[str | None, set[str]]:
    """Return the country and the resolved controls whose settlements ``layer`` holds.

    ``statuses`` narrows it to those statuses of the layer (all drawn statuses if None or
    empty); a layer no control is drawn as gives ``(None, set())``.
    """
    if layer == POCKET[0]:
        return POCKET[1], set(POCKET[2])
    wanted = set(statuses or ())
    iso, controls = None, set()
    for (country, control), (name, status) in DRAWN.items():
        if name == layer and (not wanted or status in wanted):
            iso = country
            controls.add(control)
    if iso is None:
        iso = next((c for (c, _), (name, _) in DRAWN.items() if name == layer), None)
    return iso, controls
