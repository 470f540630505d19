"""Small hand-made layers for the export tests (no dependency on the digitised data/).

Shapes are boxes around real places so the renders look plausible; dates are
chosen so Sudzha (35.271E 51.191N) is inside the Ukrainian-held area on
2024-09-01 and in no layer on 2025-04-01. Some properties hold hostile
strings (mathtext, HTML) that every export must keep as literal text.
"""

from __future__ import annotations

import json

from layers import Timeline, parse_layer_bytes

SUDZHA = (35.271, 51.191)
HELD_DAY = "2024-09-01"
NOT_HELD_DAY = "2025-04-01"
HOSTILE = r"$\frac{1}{2}$ <script>alert(1)</script> & \"quote\""


def _box(w, s, e, n):
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def _src(outlet="ISW", date="2024-08-10", figure=None, maker=None):
    return {"claim_maker": maker or outlet, "outlet": outlet, "date": date, "figure": figure}


def _feat(fid, layer, status, start, end, geom, *, sources=None, notes="", name="", kind=None,
          confidence="medium"):
    props = {"id": fid, "layer": layer, "status": status, "valid_from": start, "valid_to": end,
             "confidence": confidence, "sources": sources or [_src()], "notes": notes}
    if name:
        props["name"] = name
    if kind:
        props["kind"] = kind
    return {"type": "Feature", "properties": props, "geometry": geom}


def features() -> list[dict]:
    """Every feature, valid against layers/schema.py."""
    holed = _box(35.05, 51.05, 35.55, 51.40)
    holed["coordinates"].append([[35.40, 51.30], [35.45, 51.30], [35.45, 51.35],
                                 [35.40, 51.35], [35.40, 51.30]])
    return [
        _feat("uh-1", "ukrainian_held", "held", "2024-08-06", "2024-08-15",
              _box(35.15, 51.12, 35.40, 51.28), sources=[_src("General Staff of Ukraine",
                                                              "2024-08-08", "350 km2")]),
        _feat("uh-2", "ukrainian_held", "held", "2024-08-15", "2025-03-13", holed,
              notes=HOSTILE, name=HOSTILE,
              sources=[_src("ISW", "2024-08-20"), _src("Reuters", "2024-08-21", 1150,
                                                       maker="Oleksandr Syrskyi")]),
        _feat("uh-3", "ukrainian_held", "held", "2025-03-13", "2025-04-20",
              _box(35.20, 51.03, 35.26, 51.08), notes="Gornal remnant"),
        _feat("sp-1", "sudzha_pocket", "held", "2025-02-10", "2025-03-13",
              _box(35.18, 51.13, 35.36, 51.24)),
        _feat("ct-1", "contested", "contested", "2024-08-15", "2025-03-13",
              _box(34.95, 51.20, 35.05, 51.38), sources=[_src(HOSTILE, "2024-08-16")]),
        _feat("rc-1", "russian_claimed", "claimed", "2025-03-01", "2025-03-13",
              _box(35.05, 51.25, 35.30, 51.40),
              sources=[_src("Russian MoD", "2025-03-02", maker="Russian Ministry of Defence")]),
        _feat("ss-1", "sumy_security_zone", "held", "2025-03-20", None,
              {"type": "MultiPolygon", "coordinates": [
                  _box(35.00, 50.98, 35.20, 51.05)["coordinates"],
                  _box(34.60, 51.05, 34.75, 51.15)["coordinates"]]}),
        _feat("ev-1", "events", "held", "2024-08-06", "2024-09-01",
              {"type": "Point", "coordinates": [35.253, 51.205]}, kind="crossing",
              name="Sudzha gas station"),
        _feat("ev-2", "events", "held", "2024-08-06", None,
              {"type": "LineString", "coordinates": [[35.10, 51.00], [35.20, 51.10],
                                                     [35.27, 51.19]]}, kind="route"),
    ]


def collection_bytes(feats: list[dict] | None = None) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features() if feats is None
                       else feats}, ensure_ascii=False).encode()


def timeline() -> Timeline:
    return Timeline(parse_layer_bytes(collection_bytes(), "synthetic.geojson"))


CLAIMS_CSV = """\
claim_id,date,claim_maker,side,figure,unit,quantity,layers,statuses,window_days,\
comparison,tolerance_pct,required,measures,outlet,notes
c1,2024-08-20,Oleksandr Syrskyi,ukraine,1150,km2,area,ukrainian_held,,,about,20,,held,Reuters,
c2,2025-03-01,Russian Ministry of Defence,russia,400,km2,area,ukrainian_held,,,about,,,held,\
TASS,"=HYPERLINK(""http://x"")"
c3,2024-09-01,General Staff,ukraine,100,settlements,settlements_held,ukrainian_held,,,about,,,\
held,Ukrinform,
"""
