"""Colours per layer and status, shared by the folium map and the static renderer.

One palette for every output, so a screenshot of the dashboard, a static PNG
and an exported HTML map read the same. Colours are colour-blind-safe pairs
(blue for Ukrainian-held ground, red for Russian-held/claimed, amber for the
grey zone); *claimed* areas are lighter and dashed so they never read as
confirmed control.
"""

from __future__ import annotations

__all__ = ["BASE_STYLE", "CHANGE_STYLE", "LEGEND", "STYLE", "STATUS_LABELS", "style_for"]

#: Style of each (layer, status) pair: fill and line colour (#rrggbb), fill
#: opacity (0-1) and an SVG dash pattern (None: solid).
STYLE: dict[tuple[str, str], dict] = {
    ("ukrainian_held", "held"): dict(fill="#1f5fbf", line="#123f85", fill_opacity=0.38,
                                     dash=None),
    ("ukrainian_held", "contested"): dict(fill="#e69f00", line="#1f5fbf", fill_opacity=0.30,
                                          dash="6 4"),
    ("ukrainian_held", "claimed"): dict(fill="#7fa7e0", line="#1f5fbf", fill_opacity=0.20,
                                        dash="6 4"),
    ("sudzha_pocket", "held"): dict(fill="#0b2f73", line="#061d4a", fill_opacity=0.45,
                                    dash=None),
    ("sudzha_pocket", "contested"): dict(fill="#e69f00", line="#0b2f73", fill_opacity=0.30,
                                         dash="6 4"),
    ("contested", "contested"): dict(fill="#e69f00", line="#a36f00", fill_opacity=0.32,
                                     dash="4 3"),
    ("contested", "held"): dict(fill="#e69f00", line="#a36f00", fill_opacity=0.32, dash=None),
    ("russian_claimed", "claimed"): dict(fill="#d6604d", line="#a3281a", fill_opacity=0.22,
                                         dash="6 4"),
    ("russian_claimed", "held"): dict(fill="#b2182b", line="#7a0f1d", fill_opacity=0.30,
                                      dash=None),
    ("ukrainian_claimed", "claimed"): dict(fill="#92c5de", line="#2166ac", fill_opacity=0.22,
                                           dash="2 4"),
    ("sumy_security_zone", "held"): dict(fill="#8c1c13", line="#5e120c", fill_opacity=0.40,
                                         dash=None),
    ("sumy_security_zone", "contested"): dict(fill="#e69f00", line="#8c1c13",
                                              fill_opacity=0.30, dash="6 4"),
    ("sumy_security_zone", "claimed"): dict(fill="#d6604d", line="#8c1c13", fill_opacity=0.22,
                                            dash="6 4"),
    ("events", "held"): dict(fill="#111111", line="#111111", fill_opacity=0.9, dash=None),
    ("events", "contested"): dict(fill="#e69f00", line="#111111", fill_opacity=0.9, dash=None),
    ("events", "claimed"): dict(fill="#ffffff", line="#111111", fill_opacity=0.9, dash="3 2"),
}

#: Fallbacks by status, for layers not listed above (e.g. an uploaded layer).
_BY_STATUS = {
    "held": dict(fill="#6a3d9a", line="#3f2163", fill_opacity=0.35, dash=None),
    "contested": dict(fill="#e69f00", line="#a36f00", fill_opacity=0.30, dash="4 3"),
    "claimed": dict(fill="#cab2d6", line="#6a3d9a", fill_opacity=0.22, dash="6 4"),
}
_DEFAULT = dict(fill="#777777", line="#444444", fill_opacity=0.30, dash=None)

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
    "gained": dict(fill="#1a9850", line="#0d5c2f", fill_opacity=0.55, dash=None),
    "lost": dict(fill="#d73027", line="#8a1a14", fill_opacity=0.55, dash="3 3"),
}

#: The offline basemap.
BASE_STYLE = {
    "background": "#e8eef2",
    "RUS": dict(fill="#f3efe6", line="#f3efe6"),
    "UKR": dict(fill="#fbf7dc", line="#fbf7dc"),
    "oblast_line": "#8d8d8d",
    "border_line": "#2b2b2b",
    "label": "#333333",
}


def style_for(layer: str, status: str) -> dict:
    """The style of ``(layer, status)``, falling back on the status, then grey.

    Uploaded layers are named ``"upload: <layer>"`` and take their layer's
    style. A new dict is returned each call: callers may change it.

    Examples
    --------
    >>> style_for("ukrainian_held", "held")["fill"]
    '#1f5fbf'
    >>> style_for("upload: contested", "contested") == style_for("contested", "contested")
    True
    >>> style_for("something_new", "claimed")["dash"]
    '6 4'
    """
    if layer.startswith("upload: "):
        layer = layer[len("upload: "):]
    return dict(STYLE.get((layer, status)) or _BY_STATUS.get(status) or _DEFAULT)
