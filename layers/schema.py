"""The contract every layer file follows: field names, allowed values, limits.

A single place for the vocabulary shared by the validator, the loader, the
map builder and the exporters.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "AREA_LAYERS", "CLAIM_COMPARISONS", "CONFIDENCE", "EVENT_KINDS", "EVENT_LAYERS",
    "KNOWN_LAYERS", "QUANTITY_NAMES",
    "MAX_FILE_BYTES", "REQUIRED_PROPERTIES", "SOURCE_FIELDS", "STATUSES",
    "TIMELINE_END", "TIMELINE_START", "LAYER_LABELS",
]

#: First and last day the timeline covers (inclusive).
TIMELINE_START = dt.date(2024, 8, 6)
TIMELINE_END = dt.date(2025, 8, 31)

#: Polygon layers: the state of a layer on a date is the union of its features.
AREA_LAYERS = (
    "ukrainian_held",      # Ukrainian-held area inside Russia (Kursk oblast)
    "sudzha_pocket",       # the remnant around Sudzha, Feb-Mar 2025
    "contested",           # grey zone: neither side's control confirmed
    "russian_claimed",     # area Russia claimed to hold or have cleared beyond what is confirmed
    "ukrainian_claimed",   # area Kyiv claimed beyond what independent mappers confirmed
    "sumy_security_zone",  # Russian-held zone inside Ukraine's Sumy oblast
)
#: Point and line layers (dated events, routes).
EVENT_LAYERS = ("events",)
KNOWN_LAYERS = AREA_LAYERS + EVENT_LAYERS

LAYER_LABELS = {
    "ukrainian_held": "Ukrainian-held (Kursk oblast)",
    "sudzha_pocket": "Sudzha pocket",
    "contested": "Contested / grey zone",
    "russian_claimed": "Claimed by Russia",
    "ukrainian_claimed": "Claimed by Ukraine",
    "sumy_security_zone": "Russian 'security zone' (Sumy oblast)",
    "events": "Dated events",
}

STATUSES = ("held", "contested", "claimed")
#: The quantities a published figure can measure (computed by geo.quantities).
QUANTITY_NAMES = ("area", "peak_area", "retaken_since_peak", "share_retaken",
                  "lost_in_window", "gained_in_window", "settlements_held",
                  "settlements_changed_in_window", "depth_from_border", "route_length",
                  "context")
#: How a figure is compared with the map: about it, or a bound ("more than", "less than").
CLAIM_COMPARISONS = ("about", "more_than", "less_than")
CONFIDENCE = ("high", "medium", "low")
EVENT_KINDS = ("crossing", "capture", "loss", "route", "claim", "attack", "other")

#: Properties every feature must have.
REQUIRED_PROPERTIES = ("id", "layer", "valid_from", "valid_to", "status", "sources",
                       "confidence", "notes")
#: Fields every entry of ``sources`` must have (``figure`` may be null).
SOURCE_FIELDS = ("claim_maker", "outlet", "date", "figure")

#: A layer file larger than this is refused before it is parsed.
MAX_FILE_BYTES = 20 * 1024 * 1024
