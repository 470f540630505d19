"""Benchmark geo/ (issue 3): area tables, state lookups, memory, against the naive way.

Run from the repository root:

    .venv/bin/python benchmarks/bench_geo.py            # everything
    .venv/bin/python benchmarks/bench_geo.py --states 200 --vertices 5000   # smaller

Prints a Markdown table for benchmarks/README.md. Targets (issue 3): real-data
area table < 0.2 s; 1,000 states x 10,000 vertices area table < 5 s; state
lookup < 1 ms; peak memory < 1 GiB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import area_table, geodesic_area_km2  # noqa: E402
from layers import Timeline, default_paths, load_layer_dir, read_claims  # noqa: E402

ROWS: list[tuple[str, str, str, str]] = []  # (what, result, target, verdict)


def record(what: str, result: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    ROWS.append((what, result, target, verdict))
    print(f"{what}: {result}" + (f"  (target {target}: {verdict})" if target else ""),
          flush=True)


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


# --- (1) the project's real data ------------------------------------------------------


def bench_real_data() -> None:
    paths = default_paths()
    files = sorted(paths.layers.glob("*.geojson")) if paths.layers.is_dir() else []
    if not files:
        record("real data: area table", f"skipped: no layer files in {paths.layers}")
        return
    t0 = time.perf_counter()
    result = load_layer_dir(paths.layers)
    load_s = time.perf_counter() - t0
    claims = read_claims(paths.claims) if paths.claims.exists() else None
    frame = result.frame
    n_vertices = int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum())
    record("real data: files / features / vertices",
           f"{len(result.files_loaded)} loaded ({len(result.files_failed)} failed) / "
           f"{len(frame)} / {n_vertices:,}")
    record("real data: load_layer_dir (not geo/, for context)", f"{load_s:.3f} s")

    def cold():
        area_table(Timeline(frame), claims)  # fresh Timeline: unions not cached yet

    tl = Timeline(frame)
    table = area_table(tl, claims)
    t_cold = best_of(cold)
    t_warm = best_of(lambda: area_table(tl, claims))
    record(f"real data: area table, {len(table)} rows, cold Timeline cache (incl. unions)",
           f"{t_cold:.3f} s", "< 0.2 s", t_cold < 0.2)
    record("real data: area table, warm Timeline cache", f"{t_warm:.3f} s")


# --- (2)-(5) a synthetic whole-front history ------------------------------------------

START = dt.date(2024, 8, 6)
CENTRE = (35.2, 51.2)  # lon, lat


def synthetic_states(n_states: int, n_vertices: int, seed: int = 42) -> list[shapely.Geometry]:
    """``n_states`` MultiPolygons of ``n_vertices`` vertices in all, ~1,300 km² each.

    A wobbly main ring (90 % of the vertices, ~20 km radius) plus four small
    pockets; every vertex moves from one state to the next (no two states
    share a ring, so nothing can be cached between them: the worst case).
    """
    rng = np.random.default_rng(seed)
    coslat = np.cos(np.radians(CENTRE[1]))
    km_lat = 111.25
    n_main = int(n_vertices * 0.9)
    n_pocket = (n_vertices - n_main) // 4
    pockets = [(-0.45, -0.20), (0.45, 0.15), (-0.25, 0.30), (0.30, -0.32)]
    theta_main = np.linspace(0, 2 * np.pi, n_main, endpoint=False)
    theta_pocket = np.linspace(0, 2 * np.pi, n_pocket, endpoint=False)
    phases = rng.uniform(0, 2 * np.pi, 6)
    states = []
    for i in range(n_states):
        t = i / max(n_states - 1, 1)
        # the front breathes and drifts; small-scale noise is redrawn every state
        r_km = 20.3 * (1 + 0.06 * np.sin(3 * theta_main + phases[0] + 4 * t)
                       + 0.03 * np.sin(11 * theta_main + phases[1] - 7 * t)
                       + 0.01 * np.sin(53 * theta_main + phases[2]))
        r_km = r_km + rng.normal(0, 0.02, n_main)
        lon = CENTRE[0] + r_km * np.cos(theta_main) / (km_lat * coslat)
        lat = CENTRE[1] + r_km * np.sin(theta_main) / km_lat
        rings = [np.column_stack([lon, lat])]
        for k, (dx, dy) in enumerate(pockets):
            rp = 2.0 * (1 + 0.1 * np.sin(5 * theta_pocket + phases[3 + k % 3] + 3 * t))
            rp = rp + rng.normal(0, 0.01, n_pocket)
            rings.append(np.column_stack([
                CENTRE[0] + dx + rp * np.cos(theta_pocket) / (km_lat * coslat),
                CENTRE[1] + dy + rp * np.sin(theta_pocket) / km_lat]))
        states.append(shapely.MultiPolygon([shapely.Polygon(r) for r in rings]))
    return states


def synthetic_timeline(states: list[shapely.Geometry]) -> Timeline:
    n = len(states)
    days = [START + dt.timedelta(days=i) for i in range(n + 1)]
    frame = gpd.GeoDataFrame({
        "id": [f"s{i}" for i in range(n)], "layer": "ukrainian_held", "status": "held",
        "valid_from": days[:n], "valid_to": [*days[1:n], None],
        "confidence": "high", "name": "", "kind": "", "sources": [[]] * n, "notes": "",
        "file": "synthetic",
    }, geometry=states, crs="EPSG:4326")
    return Timeline(frame, start=START, end=days[-1])


def bench_synthetic(n_states: int, n_vertices: int) -> None:
    t0 = time.perf_counter()
    states = synthetic_states(n_states, n_vertices)
    gen_s = time.perf_counter() - t0
    verts = shapely.get_num_coordinates(np.asarray(states, dtype=object))
    areas = [geodesic_area_km2(states[0]), geodesic_area_km2(states[-1])]
    record("synthetic: states x vertices (generated, not timed)",
           f"{n_states:,} x {int(verts.mean()):,} = {int(verts.sum()):,} vertices, "
           f"{areas[0]:,.0f}-{areas[1]:,.0f} km², built in {gen_s:.1f} s")

    # (2) the area table, on a fresh Timeline each time (so unions are not cached)
    def cold():
        return area_table(synthetic_timeline(states))

    table = cold()
    t_cold = best_of(cold, repeat=3)
    record(f"synthetic: area table, {len(table):,} rows (fresh Timeline, incl. its build)",
           f"{t_cold:.2f} s", "< 5 s", t_cold < 5)

    # the exact reference: pyproj.Geod ring by ring (what geodesic_area_km2 does)
    tl = synthetic_timeline(states)
    dates = tl.change_dates("ukrainian_held")
    # (every 10th state: the full loop takes ~10x longer than everything else)
    sample = np.arange(0, n_states, 10)
    t0 = time.perf_counter()
    exact = np.array([geodesic_area_km2(states[i]) for i in sample])
    t_exact = (time.perf_counter() - t0) * n_states / len(sample)
    diff_exact = float(np.max(np.abs(table["area_km2"].to_numpy()[sample] - exact)))
    record("synthetic: same areas with pyproj.Geod ring by ring (geodesic_area_km2), "
           f"{len(sample)} states timed, scaled to {n_states:,}",
           f"{t_exact:.2f} s ({t_exact / t_cold:.1f}x the table); largest difference "
           f"{diff_exact:.1e} km²")

    # (3) lookups after warm-up
    rng = np.random.default_rng(7)
    span = (dates[-1] - dates[0]).days
    probe = [dates[0] + dt.timedelta(days=int(k)) for k in rng.integers(0, span + 1, 20_000)]
    for d in probe[:2000]:
        tl.state("ukrainian_held", d)
        tl.geometry("ukrainian_held", d, "held")
    for name, fn in (("Timeline.state", lambda d: tl.state("ukrainian_held", d)),
                     ("Timeline.geometry", lambda d: tl.geometry("ukrainian_held", d, "held"))):
        ns = []
        for d in probe:
            t0 = time.perf_counter_ns()
            fn(d)
            ns.append(time.perf_counter_ns() - t0)
        med, p99 = statistics.median(ns) / 1e6, float(np.percentile(ns, 99)) / 1e6
        record(f"lookup: {name} on a random date ({len(probe):,} after warm-up)",
               f"median {med:.4f} ms, p99 {p99:.4f} ms", "< 1 ms", p99 < 1)

    # (4) memory: tracemalloc peak of one cold area table (Python + numpy allocations)
    gc.collect()
    tracemalloc.start()
    cold()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    record("memory: tracemalloc peak during one cold area table (Python/numpy only)",
           f"{peak / 2**20:,.0f} MiB", "< 1 GiB", peak < 2**30)
    # GEOS allocations are invisible to tracemalloc: measure a fresh process's max RSS.
    out = subprocess.run([sys.executable, __file__, "--memory-child", "--states",
                          str(n_states), "--vertices", str(n_vertices)],
                         capture_output=True, text=True, check=True).stdout.split()
    base, total = float(out[-2]), float(out[-1])
    record("memory: max RSS of a fresh process that builds the states + Timeline and "
           "runs the area table", f"{total:,.0f} MiB ({base:,.0f} MiB before the table)",
           "< 1 GiB", total < 1024)

    # (5) the naive way: reproject each state to an equal-area CRS, then planar .area
    for crs, label in (("EPSG:6933", "EPSG:6933 (cylindrical equal-area)"),
                       ("+proj=laea +lat_0=51.2 +lon_0=35.2 +ellps=WGS84", "LAEA at 51.2N 35.2E")):
        def naive(crs=crs):
            return np.array([
                gpd.GeoSeries([tl.geometry("ukrainian_held", d, "held")], crs="EPSG:4326")
                .to_crs(crs).area.iloc[0] / 1e6 for d in dates])

        naive()  # warm the Timeline's union cache: time only the reprojection + area
        t0 = time.perf_counter()
        got = naive()
        t_naive = time.perf_counter() - t0
        diff = float(np.max(np.abs(got[sample] - exact)))
        record(f"naive: GeoSeries.to_crs({label}).area per state",
               f"{t_naive:.2f} s = {t_naive / t_cold:.1f}x the area table; largest difference "
               f"from pyproj.Geod {diff:.1e} km²")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--states", type=int, default=1000)
    parser.add_argument("--vertices", type=int, default=10_000)
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        tl = synthetic_timeline(synthetic_states(args.states, args.vertices))
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        area_table(tl)
        print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return 0
    import os

    print(f"# {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"shapely {shapely.__version__}, geopandas {gpd.__version__}, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    if not args.skip_real:
        bench_real_data()
    bench_synthetic(args.states, args.vertices)
    print("\n| What | Result | Target | |\n|---|---|---|---|")
    for row in ROWS:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
