"""A synthetic data folder for the dashboard: real base layers, made-up dated layers and claims.

Used by the tests and the benchmarks while (or wherever) the shipped ``data/layers/`` is
empty: 40 weekly held areas (a wobbly blob around 35.25°E 51.25°N, lon/lat WGS84), 20
fortnightly contested boxes, 30 events and three claims.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from pathlib import Path

from harness.server import ROOT

__all__ = ["data_folder", "real_data_ready", "write_synthetic_data"]


def _src(date: str, figure=None) -> dict:
    return {"claim_maker": "ISW", "outlet": "ISW", "date": date, "figure": figure}


def _feature(fid, layer, status, start, end, geom, name="", kind=None, notes="") -> dict:
    props = {"id": fid, "layer": layer, "status": status, "valid_from": start,
             "valid_to": end, "confidence": "medium", "sources": [_src(start)],
             "notes": notes or f"synthetic test feature {fid}"}
    if name:
        props["name"] = name
    if kind:
        props["kind"] = kind
    return {"type": "Feature", "properties": props, "geometry": geom}


def _blob(cx: float, cy: float, r: float, n: int = 48) -> dict:
    ring = [[round(cx + r * math.cos(2 * math.pi * i / n) * (1 + 0.15 * math.sin(10 * math.pi
                                                                               * i / n)), 5),
             round(cy + 0.6 * r * math.sin(2 * math.pi * i / n), 5)] for i in range(n)]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def _box(w, s, e, n) -> dict:
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def write_synthetic_data(out: Path, *, weeks: int = 40) -> Path:
    """Write a data folder (layers/, claims.csv, base/ copied from data/base) into ``out``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_synthetic_data(Path(tmp), weeks=8)
    ...     sorted(p.name for p in (out / "layers").iterdir())
    ['contested.geojson', 'events.geojson', 'ukrainian_held.geojson']
    """
    layers = out / "layers"
    layers.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "data" / "base", out / "base", dirs_exist_ok=True)
    start = dt.date(2024, 8, 6)
    held, contested, events = [], [], []
    for i in range(weeks):
        d0, d1 = start + dt.timedelta(days=7 * i), start + dt.timedelta(days=7 * (i + 1))
        r = 0.05 + 0.25 * math.sin(math.pi * min(i, weeks - 4) / (weeks - 3))
        held.append(_feature(f"uh-{i}", "ukrainian_held", "held", d0.isoformat(),
                             d1.isoformat(), _blob(35.25, 51.25, r), name=f"Held area {i}"))
    for i in range(weeks // 2):
        d0, d1 = start + dt.timedelta(days=14 * i), start + dt.timedelta(days=14 * (i + 1))
        contested.append(_feature(f"ct-{i}", "contested", "contested", d0.isoformat(),
                                  d1.isoformat(), _box(35.55, 51.2, 35.62 + 0.01 * i, 51.3)))
    for i in range(30):
        d0 = start + dt.timedelta(days=10 * i)
        events.append(_feature(f"ev-{i}", "events", "held", d0.isoformat(),
                               (d0 + dt.timedelta(days=1)).isoformat(),
                               {"type": "Point", "coordinates": [35.2 + 0.01 * i, 51.2]},
                               name=f"Event {i}", kind="capture"))
    for name, feats in (("ukrainian_held", held), ("contested", contested), ("events", events)):
        (layers / f"{name}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": feats}))
    (out / "claims.csv").write_text(
        "claim_id,date,claim_maker,side,figure,unit,quantity,layers,statuses,window_days,"
        "comparison,tolerance_pct,required,measures,outlet,notes\n"
        "t1,2024-08-12,Syrskyi,ukraine,1000,km2,area,ukrainian_held,,,about,10,,held,"
        "Reuters,\n"
        "t2,2024-09-10,Syrskyi,ukraine,1300,km2,peak_area,ukrainian_held,,,about,10,,peak,"
        "Reuters,\n"
        "t3,2025-03-12,MoD,russia,20,settlements,settlements_changed_in_window,"
        "ukrainian_held,,5,about,,,retaken,TASS,\n")
    return out


def real_data_ready() -> bool:
    """Whether the shipped data/ has dated layers and a claims table yet."""
    return any((ROOT / "data" / "layers").glob("*.geojson")) and (
        ROOT / "data" / "claims.csv").is_file()


def data_folder(scratch: Path) -> tuple[Path, str]:
    """Return the folder to run on: the shipped data/ if ready, else a synthetic one.

    The synthetic one is written under ``scratch``. Returns the folder and a label for
    reports (``"data/"`` or ``"synthetic"``).
    """
    if real_data_ready():
        return ROOT / "data", "data/"
    return write_synthetic_data(Path(scratch) / "synthetic_data"), "synthetic"
