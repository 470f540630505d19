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

from layers import LayerValidationError, Timeline, default_paths, load_layer_dir, read_claims

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


def _load(args: argparse.Namespace) -> tuple[Timeline, object] | None:
    paths = default_paths(Path(args.data)) if args.data else default_paths()
    result = load_layer_dir(paths.layers)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.problems:
        return None
    return Timeline(result.frame), paths


def _cmd_areas(args: argparse.Namespace) -> int:
    from geo.area_table import area_table

    loaded = _load(args)
    if loaded is None:
        return 1
    timeline, paths = loaded
    claims = read_claims(paths.claims) if args.claims else None
    table = area_table(timeline, claims)
    if not args.claims:
        table = table[["date", "layer", "status", "area_km2"]]
    table.to_csv(sys.stdout, index=False, float_format="%.2f", lineterminator="\n")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from geo.published_checks import run_published_checks
    from layers import read_base

    loaded = _load(args)
    if loaded is None:
        return 1
    timeline, paths = loaded
    from frontline_cli.build_cmd import controls_on

    controls = controls_on(dt.date(2024, 8, 27), Path(args.data) if args.data else None)
    results = run_published_checks(timeline, read_base(paths.base), controls)
    width = max(len(r.name) for r in results)
    for r in results:
        mark = "PASS" if r.passed else "FAIL"
        print(f"{mark}  {r.name:<{width}}  {r.value}  (expected {r.expected})")
        if r.detail and (args.verbose or not r.passed):
            print(f"      {r.detail}")
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _cmd_claims(args: argparse.Namespace) -> int:
    from geo.claims_check import check_claims
    from layers import read_base

    loaded = _load(args)
    if loaded is None:
        return 1
    timeline, paths = loaded
    base = read_base(paths.base)
    table = check_claims(timeline, read_claims(paths.claims), base.settlements,
                         base.border.union_all())
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
        ("check", _cmd_check, "run the published-figure checks (exit 1 if any fails)"),
        ("claims", _cmd_claims, "every published claim against the map, as CSV"),
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
