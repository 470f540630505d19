"""``frontline``: validate the layers, print the area table, check published figures, export.

A thin front door: it parses arguments, calls ``layers``/``geo``/``views`` and
prints. Exit status 0 means success, 1 a data problem or failed check, 2 a
usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from layers import LayerValidationError, default_paths, load_dataset, load_layer_dir

__all__ = ["main"]


def _cmd_validate(args: argparse.Namespace) -> int:
    directory = Path(args.directory) if args.directory else default_paths().layers
    if not directory.is_dir():
        print(f"frontline validate: {directory}: no such directory", file=sys.stderr)
        return 2
    files = sorted(directory.glob("*.geojson"))
    if not files:
        print(f"frontline validate: {directory}: no *.geojson files", file=sys.stderr)
        return 1
    result = load_layer_dir(directory)
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problem(s) in {len(result.files_failed)} of "
              f"{len(files)} file(s)", file=sys.stderr)
        return 1
    print(f"{len(files)} file(s), {len(result.frame)} feature(s): all valid", file=sys.stderr)
    return 0


def _load(args: argparse.Namespace):
    """Load the data folder as a :class:`layers.Dataset`; None (problems printed) if bad."""
    data = load_dataset(Path(args.data) if args.data else None)
    for problem in data.problems:
        print(problem, file=sys.stderr)
    return None if data.problems else data


def _cmd_areas(args: argparse.Namespace) -> int:
    from geo.area_table import area_table

    data = _load(args)
    if data is None:
        return 1
    table = area_table(data.timeline, data.claims if args.claims else None)
    if not args.claims:
        table = table[["date", "layer", "status", "area_km2"]]
    table.to_csv(sys.stdout, index=False, float_format="%.2f", lineterminator="\n")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    """Run the published checks: the map's shape rules, then the required claims rows."""
    from geo.claims_check import check_claims
    from geo.published_checks import run_published_checks
    from geo.quantities import Request, map_view, measure

    data = _load(args)
    if data is None:
        return 1
    view = map_view(data)
    held = measure(view, Request("settlements_held", ("ukrainian_held",),
                                 date=dt.date(2024, 8, 27)))
    results = run_published_checks(data.timeline, data.base,
                                   None if held.note else held.value)
    required = data.claims[data.claims["required"]]
    table = check_claims(view, required)
    rows = [(("PASS" if r.passed else "FAIL"), r.name, r.value, r.expected, r.detail)
            for r in results]
    for _, r in table.iterrows():
        ok = bool(r["within"]) if not pd.isna(r["within"]) else False
        band = f" ± {r['tolerance_pct']:g} %" if r["comparison"] == "about" else ""
        rows.append(("PASS" if ok else "FAIL", r["claim_id"], f"{r['map_text']} on the map",
                     f"{r['figure_text']}{band}; {r['verdict']}", r["claim"]))
    width = max(len(name) for _, name, *_ in rows)
    for mark, name, value, expected, detail in rows:
        print(f"{mark}  {name:<{width}}  {value}  (expected {expected})")
        if detail and (args.verbose or mark == "FAIL"):
            print(f"      {detail}")
    failed = sum(mark == "FAIL" for mark, *_ in rows)
    print(f"{len(rows) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _cmd_claims(args: argparse.Namespace) -> int:
    from geo.claims_check import check_claims
    from geo.quantities import map_view

    data = _load(args)
    if data is None:
        return 1
    table = check_claims(map_view(data), data.claims)
    table.to_csv(sys.stdout, index=False, float_format="%.2f", lineterminator="\n")
    return 0


def _export_subcommand():
    """Return the export subcommand module (it pulls in matplotlib: import lazily)."""
    from frontline_cli import export_cmd

    return export_cmd


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for every subcommand.

    Examples
    --------
    >>> build_parser().parse_args(["validate", "data/layers"]).directory
    'data/layers'
    """
    parser = argparse.ArgumentParser(
        prog="frontline",
        description="Dated, sourced front-line layers of the Kursk incursion and the Sumy zone.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check every layer file against the contract")
    p.add_argument("directory", nargs="?", help="folder of *.geojson (default: data/layers)")
    p.set_defaults(func=_cmd_validate)

    for name, func, helptext in (
        ("areas", _cmd_areas, "per-date area table as CSV: date, layer, status, area_km2"),
        ("check", _cmd_check, "the published checks: shape rules and the required rows of "
                              "the claims table (exit 1 if any fails)"),
        ("claims", _cmd_claims, "every published claim against the quantity it measures "
                                "on the map, as CSV"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--data", help="data folder with layers/, claims.csv, base/ "
                       "(default: the shipped data/)")
        p.set_defaults(func=func)
        if name == "areas":
            p.add_argument("--claims", action="store_true",
                           help="add change since previous state and the nearest claim")
        if name == "check":
            p.add_argument("-v", "--verbose", action="store_true", help="print every detail")

    _export_subcommand().add_parser(sub)
    from frontline_cli import build_cmd

    build_cmd.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``frontline`` command; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except LayerValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"frontline {args.command}: {exc.filename}: no such file", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `frontline areas | head`
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
