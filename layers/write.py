"""Write derived states and events as layer files (the contract of ``data/README.md``).

Output is deterministic: one feature per line, keys in a fixed order, coordinates at
5 decimals, so a rebuild reproduces the committed files byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from shapely.geometry import mapping

from layers.schema import LAYER_LABELS

__all__ = ["event_feature", "layer_texts", "state_feature", "write_layer_texts"]



def _round(obj):
    if isinstance(obj, float):
        return round(obj, 5)
    if isinstance(obj, list | tuple):
        return [_round(o) for o in obj]
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    return obj


def _sources(facts: Iterable) -> list[dict]:
    """One entry per (claim maker, outlet), with its latest report date and fact count."""
    groups: dict[tuple[str, str], list] = {}
    for f in facts:
        groups.setdefault((f.claim_maker, f.outlet), []).append(f)
    out = []
    for (maker, outlet), fs in groups.items():
        last = max(f.published for f in fs)
        out.append({"claim_maker": maker, "outlet": outlet, "date": last.isoformat(),
                    "figure": None, "facts": len(fs)})
    return sorted(out, key=lambda s: (s["date"], s["claim_maker"], s["outlet"]))


def state_feature(state, facts_by_id: Mapping[str, object]) -> dict:
    """Turn a derived state (:class:`geo.derive.DerivedState`) into a GeoJSON feature.

    Examples
    --------
    >>> import datetime as dt
    >>> from types import SimpleNamespace as S
    >>> from shapely.geometry import box
    >>> f = S(claim_maker="Syrskyi", outlet="Ukrinform", published=dt.date(2024, 8, 15))
    >>> st = S(layer="ukrainian_held", status="held", valid_from=dt.date(2024, 8, 15),
    ...        valid_to=None, geometry=box(35.2, 51.1, 35.3, 51.2), settlements=("Sudzha",),
    ...        fact_ids=("f1",), confidence="high", rules=("agree",), area_km2=77.4)
    >>> feat = state_feature(st, {"f1": f})
    >>> feat["properties"]["id"], feat["properties"]["sources"][0]["claim_maker"]
    ('ukrainian_held-held-2024-08-15', 'Syrskyi')
    """
    facts = [facts_by_id[i] for i in state.fact_ids]
    label = LAYER_LABELS.get(state.layer, state.layer)
    n = len(state.settlements)
    names = ", ".join(state.settlements)
    notes = (f"Derived from the facts in force on {state.valid_from.isoformat()}: "
             f"{n} settlement{'s' if n != 1 else ''} ({names}) "
             f"{state.status}, {len(facts)} fact row"
             f"{'s' if len(facts) != 1 else ''}. Control cells around settlements, "
             "method in data/README.md.")
    if len(notes) > 3900:
        notes = notes[:3890] + "…"
    props = {
        "id": f"{state.layer}-{state.status}-{state.valid_from.isoformat()}",
        "layer": state.layer,
        "name": f"{label}, {state.status}",
        "valid_from": state.valid_from.isoformat(),
        "valid_to": state.valid_to.isoformat() if state.valid_to else None,
        "status": state.status,
        "confidence": state.confidence,
        "sources": _sources(facts) or [{"claim_maker": "(derived)", "outlet": "this project",
                                        "date": state.valid_from.isoformat(),
                                        "figure": None}],
        "notes": notes,
        "settlements": list(state.settlements),
        "fact_ids": list(state.fact_ids),
        "rules": list(state.rules),
        "area_km2": state.area_km2,
    }
    return {"type": "Feature", "properties": props,
            "geometry": _round(mapping(state.geometry))}


def event_feature(event, geometry, length_km: float | None = None) -> dict:
    """Turn a hand-placed event (:class:`layers.facts.EventSpec`) into a GeoJSON feature.

    ``length_km`` (geodesic, for a line) is written as the ``length_km`` property.
    """
    props = {"id": event.id, "name": event.name, "kind": event.kind,
             "valid_from": event.valid_from.isoformat(),
             "valid_to": event.valid_to.isoformat() if event.valid_to else None,
             "status": event.status, "confidence": event.confidence, "notes": event.notes,
             "layer": "events",
             "sources": [dict(s, figure=s.get("figure")) for s in event.sources]}
    if length_km is not None:
        props["length_km"] = round(length_km, 2)
    return {"type": "Feature", "properties": props, "geometry": _round(mapping(geometry))}


def layer_texts(features: Iterable[dict]) -> dict[str, str]:
    """File name -> GeoJSON text, one feature per line, grouped by layer.

    Examples
    --------
    >>> feat = {"type": "Feature", "properties": {"layer": "events"}, "geometry": None}
    >>> list(layer_texts([feat]))
    ['events.geojson']
    """
    groups: dict[str, list[str]] = {}
    for feat in features:
        line = json.dumps(feat, ensure_ascii=False, separators=(",", ":"))
        groups.setdefault(f"{feat['properties']['layer']}.geojson", []).append(line)
    return {name: '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines)
            + "\n]}\n" for name, lines in sorted(groups.items())}


def write_layer_texts(texts: Mapping[str, str], directory: str | Path) -> list[Path]:
    """Write ``texts`` into ``directory``; remove layer files no longer produced."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for old in directory.glob("*.geojson"):
        if old.name not in texts:
            old.unlink()
    for name, text in texts.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
