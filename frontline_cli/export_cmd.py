"""``frontline export``: write a snapshot (PNG/SVG/PDF, HTML, GeoJSON, GPKG, CSV, GIF/MP4).

A thin front door over :mod:`views.exporters`: parse and check the arguments,
load the data, call one exporter, write the file with
:func:`frontline_cli.output_paths.write_export` (never into ``data/``, never
outside ``--out``). Exit status 0 on success, 1 when the export fails, 2 for a
usage error (bad date, format, size, bbox or path).

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="frontline")
>>> _ = add_parser(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["export", "--date", "2025-02-15", "--format", "png"])
>>> args.date, args.format, args.out, args.bbox
(datetime.date(2025, 2, 15), 'png', 'snapshots', None)
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import TextIO

from frontline_cli.output_paths import UnsafeOutputPathError, safe_output_path, write_export
from layers.schema import KNOWN_LAYERS, TIMELINE_END, TIMELINE_START

__all__ = ["FORMATS", "add_parser", "parse_bbox", "parse_date", "run"]

#: Every ``--format``.
FORMATS = ("png", "svg", "pdf", "html", "geojson", "gpkg", "csv", "gif", "mp4")
_NEEDS_DATE = ("png", "svg", "pdf", "html", "geojson", "gpkg")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> dt.date:
    """Parse a ``YYYY-MM-DD`` date inside the timeline (for argparse ``type=``).

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a real date in that form, or lies outside
        2024-08-06..2025-08-31.

    Examples
    --------
    >>> parse_date("2025-02-15")
    datetime.date(2025, 2, 15)
    >>> parse_date("15/02/2025")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '15/02/2025' is not a date in YYYY-MM-DD form (e.g. 2025-02-15)
    """
    if not _DATE_RE.fullmatch(text or ""):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date in YYYY-MM-DD form (e.g. 2025-02-15)")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real date: {exc}") from None
    if not TIMELINE_START <= day <= TIMELINE_END:
        raise argparse.ArgumentTypeError(
            f"{text} is outside the timeline {TIMELINE_START.isoformat()}.."
            f"{TIMELINE_END.isoformat()}")
    return day


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse ``--bbox lon_min,lat_min,lon_max,lat_max`` (degrees; for argparse ``type=``).

    The numbers are checked by :func:`views.render_frame.check_bbox` (the same
    check the Python export functions' ``bbox=`` gets).

    Raises
    ------
    argparse.ArgumentTypeError
        Naming the value: not four comma-separated numbers, a minimum not
        below its maximum, outside lon 30.5..40.5 / lat 48.8..53.7, or lat/lon
        order.

    Examples
    --------
    >>> parse_bbox("34.5,51.0,35.5,51.5")
    (34.5, 51.0, 35.5, 51.5)
    >>> parse_bbox("34.5,51.0,35.5")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '34.5,51.0,35.5' is not four comma-separated numbers ...
    """
    from views.render_frame import check_bbox

    parts = [p.strip() for p in (text or "").split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 4:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not four comma-separated numbers lon_min,lat_min,lon_max,lat_max "
            "(e.g. 34.5,51.0,35.5,51.5)")
    try:
        return check_bbox(values)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc}") from None


def _ranged(kind, lo, hi, what: str, unit: str):
    """Return an argparse ``type`` parsing ``kind`` (int/float) within ``lo..hi``."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(
                f"{text}{unit} is out of range: use {lo}..{hi}")
        return value
    return parse


_pixels = _ranged(int, 200, 8000, "a whole number of pixels", " px")
_dpi = _ranged(float, 20, 1200, "a number", " dpi")
_frame_ms = _ranged(int, 20, 60_000, "a whole number", " ms")


def _layer_list(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in KNOWN_LAYERS]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown layer(s) {', '.join(unknown) or '(none given)'}; choose from "
            f"{', '.join(KNOWN_LAYERS)} (comma-separated)")
    return names


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``export`` on an ``argparse`` subparsers object; return its parser."""
    p = subparsers.add_parser(
        "export", help="write a snapshot: png, svg, pdf, html, geojson, gpkg, csv, gif, mp4",
        description="Export the map of a date (or an animation of a date range). Works "
                    "offline; the same arguments give the same file.",
        epilog="examples:\n"
               "  frontline export --date 2025-02-15 --format png --out snapshots/\n"
               "  frontline export --date 2025-02-15 --format html\n"
               "  frontline export --format html --timeline   (every date, one offline file)\n"
               "  frontline export --date 2024-09-01 --format png --bbox 34.9,51.0,35.6,51.4\n"
               "  frontline export --format gif --from 2024-08-06 --to 2025-04-30\n"
               "  frontline export --format csv   (area table and claims check)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD",
                   help="the map's date (required except for csv, gif, mp4)")
    p.add_argument("--format", required=True, choices=FORMATS, metavar="FORMAT",
                   help="one of: " + ", ".join(FORMATS) + " (mp4 needs imageio-ffmpeg)")
    p.add_argument("--out", default="snapshots", metavar="DIR",
                   help="output folder, created if missing (default: snapshots); never "
                        "inside data/")
    p.add_argument("--name", metavar="FILE",
                   help="output file name inside --out (default: e.g. "
                        "frontline_2025-02-15.png)")
    p.add_argument("--from", dest="start", type=parse_date, metavar="YYYY-MM-DD",
                   help="gif/mp4: first date (default: start of the timeline)")
    p.add_argument("--to", dest="end", type=parse_date, metavar="YYYY-MM-DD",
                   help="gif/mp4: last date (default: end of the timeline)")
    p.add_argument("--width", type=_pixels, metavar="PX",
                   help="image width in pixels (default 1600; 1200 for gif/mp4)")
    p.add_argument("--height", type=_pixels, metavar="PX",
                   help="image height in pixels (default 1000; 750 for gif/mp4)")
    p.add_argument("--dpi", type=_dpi, metavar="DPI",
                   help="dots per inch (default 150; 100 for gif/mp4): the print size")
    p.add_argument("--bbox", type=parse_bbox, metavar="LON_MIN,LAT_MIN,LON_MAX,LAT_MAX",
                   help="the view to export, in degrees (default: fitted to the layers drawn "
                        "on the date; an animation: on any of its dates). geojson/gpkg keep "
                        "the features that intersect it")
    p.add_argument("--layers", type=_layer_list, metavar="L1,L2",
                   help="comma-separated layer ids (default: all): " + ", ".join(KNOWN_LAYERS))
    p.add_argument("--timeline", action="store_true",
                   help="html: the whole timeline in one self-contained offline file (a "
                        "slider with play/pause, tooltips, legend, attribution; opens on "
                        "--date if given)")
    p.add_argument("--online-tiles", action="store_true",
                   help="html: offer OpenStreetMap tiles (unticked; needs internet when "
                        "ticked)")
    p.add_argument("--frame-ms", type=_frame_ms, default=700, metavar="MS",
                   help="gif/mp4: milliseconds per frame (default 700)")
    p.add_argument("--data", metavar="DIR",
                   help="data folder with layers/, claims.csv, base/ (default: the shipped "
                        "data/)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def _progress_bar(stream: TextIO, label: str):
    def progress(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return progress


def _fail(message: str, status: int = 1) -> int:
    print(f"frontline export: error: {message}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:  # noqa: C901 - one branch per format
    """Run ``frontline export`` with parsed ``args``; return the exit status."""
    from geo.quantities import map_view
    from layers import load_dataset
    from views import exporters as ex

    fmt = args.format
    animated = fmt in ex.ANIMATION_FORMATS
    if args.timeline and fmt != "html":
        return _fail("--timeline applies to --format html only", 2)
    if args.timeline and args.bbox:
        return _fail("--timeline opens on the date's layers; --bbox applies to one date", 2)
    if fmt in _NEEDS_DATE and args.date is None and not args.timeline:
        return _fail(f"--format {fmt} needs --date YYYY-MM-DD", 2)
    if (args.start or args.end) and not animated:
        return _fail("--from/--to apply to gif and mp4 only; use --date", 2)
    if args.start and args.end and args.end < args.start:
        return _fail(f"--to {args.end} is before --from {args.start}", 2)
    if fmt == "mp4" and not ex.mp4_available():
        return _fail("mp4 needs the optional package imageio-ffmpeg "
                     "(pip install 'kursk-frontline[video]'); or use --format gif", 2)
    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        return _fail(f"--out {out_dir} exists and is not a folder", 2)
    if fmt == "csv" and args.name:
        return _fail("--name does not apply to csv (it writes two files); use --out", 2)
    # Check the path before any work: a refused path costs nothing.
    for name in [args.name] if args.name else _default_names(fmt, args):
        try:
            safe_output_path(out_dir, name)
        except UnsafeOutputPathError as exc:
            return _fail(str(exc), 2)

    data = load_dataset(Path(args.data) if args.data else None)
    for problem in data.problems:
        print(problem, file=sys.stderr)
    if data.problems:
        return _fail(f"{len(data.problems)} problem(s) in the data: fix them "
                     "(frontline validate) before exporting")
    if not len(data.timeline.features):
        return _fail("no layer features in the data: nothing to export")
    timeline = data.timeline
    if args.layers:
        missing = [n for n in args.layers if not timeline.has_layer(n)]
        if missing:
            return _fail(f"layer(s) {', '.join(missing)} have no features in the data; "
                         f"loaded: {', '.join(timeline.layers)}", 2)

    if args.timeline:
        return _write_all([_timeline_export(data, args)], out_dir, args.name)
    claims = data.claims if fmt == "csv" else None
    progress = (None if args.quiet or not animated
                else _progress_bar(sys.stderr, f"{fmt} frames"))
    try:
        exports = ex.build_exports(
            fmt, timeline, data.base, args.date, args.layers, claims=claims,
            view=map_view(data) if fmt == "csv" else None,
            width_px=args.width, height_px=args.height, dpi=args.dpi, start=args.start,
            end=args.end, frame_ms=args.frame_ms, online_tiles=args.online_tiles,
            progress=progress, bbox=args.bbox)
    except (ValueError, ex.ExportUnavailableError) as exc:
        return _fail(str(exc))
    return _write_all(exports, out_dir, args.name)


def _timeline_export(data, args: argparse.Namespace):
    """Return the whole timeline as one HTML file (views.timeline_html)."""
    from geo.claims_check import check_claims
    from geo.quantities import map_view
    from views.timeline_control import InitialState
    from views.timeline_data import dataset_timeline_data, timeline_data
    from views.timeline_html import export_timeline_html

    view = map_view(data)
    payload = timeline_data(dataset_timeline_data(data, view, check_claims(view, data.claims)))
    initial = (InitialState(args.date.isoformat(), layers=args.layers) if args.date
               else None)
    return export_timeline_html(payload, data.base, initial=initial)


def _write_all(exports, out_dir: Path, name_override: str | None) -> int:
    """Write each export under ``out_dir`` (path-checked) and print its path."""
    for export in exports:
        name = name_override or export.name
        try:
            path = write_export(export, out_dir, name)
        except UnsafeOutputPathError as exc:
            return _fail(str(exc), 2)
        except OSError as exc:
            return _fail(f"cannot write {out_dir / name}: {exc.strerror or exc}")
        print(path)
    return 0


def _default_names(fmt: str, args: argparse.Namespace) -> list[str]:
    """Return the file names the exporters will suggest (an animation's: a stand-in)."""
    if fmt == "csv":
        return ["frontline_area_table.csv", "frontline_claims_check.csv"]
    if fmt in ("gif", "mp4"):
        return [f"frontline_animation.{fmt}"]
    if args.timeline:
        return ["frontline_timeline.html"]  # the real name needs the data's dates
    return [f"frontline_{args.date.isoformat()}.{fmt}"]
