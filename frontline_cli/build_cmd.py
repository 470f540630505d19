"""``frontline build`` and ``frontline settlement``: layers from facts, and one place's history.

Wires ``layers`` (read the facts, the method and the gazetteer; write layer files) to
``geo`` (resolve control, derive the states, check their consistency). The build refuses
to write when any settlement ends up on the wrong side of a line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from geo.consistency import Conflict, check_consistency
from geo.control import resolve_on
from geo.derive import Derivation, derive_states
from geo.events import event_geometry
from geo.measurement import geodesic_length_km
from layers import default_paths, read_base
from layers.audit import audit_text
from layers.errors import LayerValidationError
from layers.facts import Fact, FactBase, load_factbase, with_audits
from layers.placement import place_facts
from layers.schema import TIMELINE_END
from layers.write import event_feature, layer_texts, state_feature, write_layer_texts
from views.citation import cite

__all__ = ["Build", "add_parsers", "build_layers", "controls_on", "load_facts",
           "settlement_history"]

@dataclass(frozen=True)
class Build:
    """The result of a build: layer file texts, the derivation and its conflicts."""

    texts: dict[str, str]
    derivation: Derivation
    conflicts: list[Conflict]
    factbase: FactBase

    @property
    def facts(self) -> tuple[Fact, ...]:
        """The facts the layers were derived from."""
        return self.factbase.facts

    @property
    def places(self) -> dict:
        """The gazetteer places, by name."""
        return self.factbase.places


def load_facts(data_dir: Path | None = None, *, audits: bool = False
               ) -> tuple[FactBase, object]:
    """(fact base, base layers) from the data folder (default: the shipped data).

    With ``audits``, the fact base carries the audit record too (``frontline settlement``
    shows it); building the layers never needs it, so a bad record cannot stop a build.
    """
    paths = default_paths(data_dir) if data_dir else default_paths()
    base = read_base(paths.base)
    fb = load_factbase(paths.facts, paths.method, base.settlements)
    return (with_audits(fb, paths.audit) if audits else fb), base


def controls_on(day: dt.date, data_dir: Path | None = None) -> dict:
    """Every settlement's resolved control on ``day`` (:class:`geo.control.Control`)."""
    fb, _base = load_facts(data_dir)
    return resolve_on(fb.facts, day, fb.method, fb.places)


def build_layers(data_dir: Path | None = None) -> Build:
    """Derive every layer file's text from the facts, the method and the gazetteer."""
    fb, base = load_facts(data_dir)
    countries = {"RUS": base.country("RUS"), "UKR": base.country("UKR")}
    derivation = derive_states(fb.facts, fb.places, countries, fb.method, TIMELINE_END)
    conflicts = check_consistency(derivation, fb.places)
    by_id = {f.fact_id: f for f in fb.facts}
    features = [state_feature(s, by_id) for s in derivation.states]
    border = base.border.union_all()
    for ev in fb.method.events:
        geom = event_geometry(ev.vertices, ev.border_near, fb.places, border)
        length = geodesic_length_km(geom) if geom.geom_type == "LineString" else None
        features.append(event_feature(ev, geom, length))
    return Build(layer_texts(features), derivation, conflicts, fb)


def _cmd_build(args: argparse.Namespace) -> int:
    data = Path(args.data) if args.data else None
    result = build_layers(data)
    for conflict in result.conflicts:
        print(f"CONFLICT {conflict}", file=sys.stderr)
    if result.conflicts:
        print(f"{len(result.conflicts)} conflict(s): nothing written", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else (default_paths(data) if data
                                            else default_paths()).layers
    if args.check:
        stale = [n for n, t in result.texts.items()
                 if not (out / n).exists() or (out / n).read_text(encoding="utf-8") != t]
        extra = [p.name for p in out.glob("*.geojson") if p.name not in result.texts]
        for name in stale + extra:
            print(f"{out / name}: differs from a rebuild", file=sys.stderr)
        return 1 if stale or extra else 0
    write_layer_texts(result.texts, out)
    n = len(result.derivation.states)
    print(f"{n} states from {len(result.facts)} facts on {len(result.derivation.days)} "
          f"change days (cell reach {result.derivation.reach_km} km) written to {out}",
          file=sys.stderr)
    return 0


def settlement_history(name: str, fb: FactBase, outlets: dict | None = None) -> list[str]:
    """Lines describing every fact about ``name`` and its resolved control after each.

    Raises
    ------
    KeyError
        If ``name`` is not a gazetteer settlement.
    """
    facts, places = fb.facts, fb.places
    if name not in places:
        close = sorted(n for n in places if n.lower().startswith(name[:3].lower()))
        hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
        raise KeyError(f"{name!r} is not in the gazetteer{hint}")
    mine = fb.about(name)
    p = places[name]
    lines = [f"{name} ({p.lat:.4f} N, {p.lon:.4f} E, {p.country}): {len(mine)} fact(s)"]
    for f in mine:
        ctl = resolve_on(facts, f.date, fb.method, places).get(name)
        then = f"{ctl.status} ({ctl.rule})" if ctl is not None else "no report"
        lines.append(f"{f.date}  {f.control:<9}  {cite(f.source_dict(), outlets)}  "
                     f"[{f.fact_id}, {f.confidence}]  -> resolved {then}"
                     + (f"\n            {f.notes}" if f.notes else "")
                     + "".join(f"\n            {audit_text(a)}: {a.evidence}"
                               for a in fb.audits.get(f.fact_id, ())))
    return lines


def _cmd_settlement(args: argparse.Namespace) -> int:
    data = Path(args.data) if args.data else None
    fb, base = load_facts(data, audits=True)
    try:
        lines = settlement_history(args.name, fb, base.outlets)
    except KeyError as exc:
        print(f"frontline settlement: {exc.args[0]}", file=sys.stderr)
        return 1
    if args.date:
        day = dt.date.fromisoformat(args.date)
        c = resolve_on(fb.facts, day, fb.method, fb.places).get(args.name)
        lines.append(f"on {day}: " + (f"{c.status} ({c.rule}, {c.confidence})" if c
                                      else "no report"))
    print("\n".join(lines))
    return 0


def _cmd_place_facts(args: argparse.Namespace) -> int:
    data = Path(args.data) if args.data else None
    paths = default_paths(data) if data else default_paths()
    waiting = paths.facts.parent / "unplaced_facts.csv"
    try:
        plan = place_facts(paths.facts, waiting, paths.base / "gazetteer.csv",
                           dry_run=args.dry_run)
    except LayerValidationError as exc:
        print(f"frontline place-facts: nothing written:\n{exc}", file=sys.stderr)
        return 1
    print(plan.summary() + (" (dry run: nothing written)" if args.dry_run else ""))
    return 0


def add_parsers(sub) -> None:
    """Register ``build``, ``settlement`` and ``place-facts`` on the CLI's subparsers."""
    p = sub.add_parser("build", help="derive data/layers/ from the fact base "
                       "(exit 1 on a consistency conflict)")
    p.add_argument("--data", help="data folder (default: the shipped data/)")
    p.add_argument("--out", help="where to write the layer files (default: DATA/layers)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if the committed files differ from a rebuild")
    p.set_defaults(func=_cmd_build)
    p = sub.add_parser("settlement", help="a settlement's control history with every source")
    p.add_argument("name", help="gazetteer name, e.g. Sudzha")
    p.add_argument("--date", help="also print the resolved control on this day")
    p.add_argument("--data", help="data folder (default: the shipped data/)")
    p.set_defaults(func=_cmd_settlement)
    p = sub.add_parser("place-facts", help="move waiting statements whose settlement the "
                       "gazetteer now places into the fact base")
    p.add_argument("--data", help="data folder (default: the shipped data/)")
    p.add_argument("--dry-run", action="store_true", help="report, write nothing")
    p.set_defaults(func=_cmd_place_facts)
