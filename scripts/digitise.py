"""Build data/layers/*.geojson from the declarative spec in data/digitising/spec.py.

Every front-line vertex in the spec is either a gazetteer settlement (optionally
offset by a bearing in degrees and a distance in km along the WGS84 geodesic,
pyproj.Geod.fwd) or an explicit lon/lat with a stated reason. A state's polygon
is the ring "front line + closing path through the other country", intersected
with the shipped country polygon (Russia for the Kursk layers, Ukraine for the
Sumy zone), so the result follows the shipped border exactly.

Nothing here is traced from any other mapper's geometry.

Usage::

    .venv/bin/python scripts/digitise.py            # write data/layers/*.geojson + table
    .venv/bin/python scripts/digitise.py --check    # build and print, write nothing
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

import pyproj
import shapely
import shapely.ops
from shapely.geometry import LineString, Point, Polygon, box, mapping
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from layers import load_layer_dir, read_base  # noqa: E402
from layers.schema import TIMELINE_END  # noqa: E402

GEOD = pyproj.Geod(ellps="WGS84")
STUDY = box(32.0, 49.5, 39.0, 53.0)
PRECISION = 1e-5  # 5 decimal places, about 1 m
INSET = 1.5e-5  # degrees; > half the grid diagonal (0.71e-5)


def load_spec(path: Path):
    spec = importlib.util.spec_from_file_location("digitising_spec", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Gazetteer:
    def __init__(self, settlements, aliases: dict[str, str]):
        self.rows: dict[str, list[tuple[float, float, str]]] = {}
        for _, row in settlements.iterrows():
            self.rows.setdefault(row["name"], []).append(
                (float(row["lon"]), float(row["lat"]), row["country"]))
        self.aliases = aliases

    def lonlat(self, name: str) -> tuple[float, float]:
        real = self.aliases.get(name, name)
        hits = self.rows.get(real)
        if not hits:
            raise KeyError(f"settlement {name!r} is not in the gazetteer; add it to "
                           "data/base/settlements_curated.csv and rebuild the base layers")
        if len(hits) > 1:
            raise KeyError(f"settlement {name!r} is ambiguous in the gazetteer")
        return hits[0][0], hits[0][1]


def vertex(v, gaz: Gazetteer) -> tuple[float, float]:
    """Resolve one spec vertex to lon/lat."""
    if isinstance(v[0], str):
        lon, lat = gaz.lonlat(v[0])
        if len(v) == 1:
            return lon, lat
        bearing, km = v[1], v[2]
        lon2, lat2, _ = GEOD.fwd(lon, lat, bearing, km * 1000.0)
        return lon2, lat2
    if len(v) != 3 or not isinstance(v[2], str) or not v[2].strip():
        raise ValueError(f"explicit vertex {v!r} needs (lon, lat, reason)")
    return float(v[0]), float(v[1])


def build_part(part, spec, gaz, countries) -> shapely.Geometry:
    closing_name, verts = part
    front = [vertex(v, gaz) for v in verts]
    if closing_name in ("ring_rus", "ring_ukr"):
        # a free-standing ring (a town and its surroundings), clipped to one country
        ring = Polygon(front)
        if not ring.is_valid:
            raise ValueError(f"ring is invalid: {shapely.is_valid_reason(ring)}")
        return ring.intersection(countries["RUS_clip" if closing_name == "ring_rus"
                                           else "UKR_clip"])
    closing = spec.CLOSINGS[closing_name]
    path = [front[-1], *[(x, y) for x, y, *_ in closing["path"]], front[0]]
    through = countries[closing["through"]]
    outside = LineString(path).difference(through.buffer(1e-9))
    if outside.length > 1e-6:
        raise ValueError(f"closing path {closing_name!r} with front ends {front[0]} / "
                         f"{front[-1]} leaves {closing['through']} "
                         f"({outside.length:.5f} deg outside)")
    ring = Polygon(front + path[1:-1])
    if not ring.is_valid:
        raise ValueError(f"front ring is invalid: {shapely.is_valid_reason(ring)} "
                         f"(vertices {front})")
    return ring.intersection(countries[closing["clip"] + "_clip"])


def clean(geom) -> shapely.Geometry:
    geom = shapely.set_precision(geom, PRECISION)
    polys = [p for p in _polygons(geom) if GEOD.geometry_area_perimeter(p)[0] != 0
             and abs(GEOD.geometry_area_perimeter(p)[0]) > 1e4]  # drop slivers < 0.01 km²
    if not polys:
        raise ValueError("state geometry is empty after clipping")
    geom = shapely.union_all([orient(p, 1.0) for p in polys])
    if geom.geom_type == "Polygon":
        return orient(geom, 1.0)
    return shapely.MultiPolygon([orient(p, 1.0) for p in geom.geoms])


def _polygons(geom):
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    out = []
    for g in getattr(geom, "geoms", []):
        out.extend(_polygons(g))
    return out


def area_km2(geom) -> float:
    return sum(abs(GEOD.geometry_area_perimeter(p)[0]) for p in _polygons(geom)) / 1e6


def _round(obj):
    if isinstance(obj, float):
        return round(obj, 5)
    if isinstance(obj, list | tuple):
        return [_round(o) for o in obj]
    return obj


def _sources(keys, spec):
    out = []
    for key in keys:
        if key not in spec.SOURCES:
            raise KeyError(f"unknown source key {key!r}")
        out.append(dict(spec.SOURCES[key], ref=key))
    return out


def build(spec, base) -> dict[str, list[dict]]:
    gaz = Gazetteer(base.settlements, spec.ALIASES)
    countries = {"RUS": base.country("RUS").intersection(STUDY),
                 "UKR": base.country("UKR").intersection(STUDY)}
    # Clip ~1.5 m inside the border: snapping to 5 decimals then moves no vertex across it.
    countries["RUS_clip"] = countries["RUS"].buffer(-INSET)
    countries["UKR_clip"] = countries["UKR"].buffer(-INSET)
    files: dict[str, list[dict]] = {}
    built: dict[tuple[str, str], shapely.Geometry] = {}
    later = []

    def lookup(track_name: str, date: str) -> shapely.Geometry:
        key = _in_force_key(spec.TRACKS[track_name]["states"], date)
        return shapely.Polygon() if key is None else built[(track_name, key)]

    end_all = (TIMELINE_END + dt.timedelta(days=1)).isoformat()
    for tname, tr in spec.TRACKS.items():
        states = sorted(tr["states"], key=lambda s: s["date"])
        for i, st in enumerate(states):
            if st.get("parts") is None:
                continue  # a marker that only ends the previous state
            until = st.get("until")
            if until is None and i + 1 < len(states):
                until = states[i + 1]["date"]
            if until == end_all:
                until = None
            if isinstance(st["parts"], str):
                geom = lookup(st["parts"].lstrip("@"), st["date"])
            else:
                geom = shapely.union_all([build_part(p, spec, gaz, countries)
                                          for p in st["parts"]])
            for other in st.get("minus", []):
                geom = geom.difference(lookup(other, st["date"]))
            for part in st.get("minus_parts", []):
                geom = geom.difference(build_part(part, spec, gaz, countries))
            prev = [s for s in states[:i] if s.get("parts") is not None]
            if prev and st.get("retreat"):
                # Only losses were reported since the previous state: keep nothing outside
                # it, so vertices placed independently on two dates cannot show as a gain.
                geom = geom.intersection(built[(tname, prev[-1]["date"])])
            if prev and st.get("advance"):
                # Only gains were reported: nothing of the previous state is lost.
                geom = geom.union(built[(tname, prev[-1]["date"])])
            geom = clean(geom)
            built[(tname, st["date"])] = geom
            layer = tr["layer"]
            props = {
                "id": st.get("id") or f"{tname}-{st['date']}",
                "layer": layer,
                "name": st["name"],
                "valid_from": st["date"],
                "valid_to": until,
                "status": tr["status"],
                "confidence": st["confidence"],
                "sources": _sources(st["sources"], spec),
                "notes": st["notes"],
                "area_km2": round(area_km2(geom), 1),
            }
            feature = {"type": "Feature", "properties": props,
                       "geometry": _round(mapping(geom))}
            files.setdefault(f"{layer}.geojson", []).append(feature)
            if st.get("minus_after") or st.get("intersect_after"):
                later.append((tname, st, feature))
    # second pass: subtract (or intersect with) tracks built later, e.g. a grey zone
    # "beyond the held line" needs the held line of the same date.
    for tname, st, feature in later:
        geom = built[(tname, st["date"])]
        for other in st.get("minus_after", []):
            geom = geom.difference(lookup(other, st["date"]))
        for other in st.get("intersect_after", []):
            geom = geom.intersection(lookup(other, st["date"]))
        geom = clean(geom)
        built[(tname, st["date"])] = geom
        feature["properties"]["area_km2"] = round(area_km2(geom), 1)
        feature["geometry"] = _round(mapping(geom))
    for ev in spec.EVENTS:
        geom = _event_geometry(ev, gaz, countries)
        props = {k: ev[k] for k in ("id", "name", "kind", "valid_from", "valid_to",
                                    "status", "confidence", "notes")}
        props["layer"] = "events"
        props["sources"] = _sources(ev["sources"], spec)
        if geom.geom_type == "LineString":
            props["length_km"] = round(GEOD.geometry_length(geom) / 1000.0, 2)
        files.setdefault("events.geojson", []).append(
            {"type": "Feature", "properties": props, "geometry": _round(mapping(geom))})
    return files


def _in_force_key(states, date):
    """Date key of the state of a track in force on ``date`` (None if none)."""
    states = sorted(states, key=lambda s: s["date"])
    for i, st in enumerate(states):
        end = st.get("until") or (states[i + 1]["date"] if i + 1 < len(states) else "9999")
        if st["date"] <= date < end:
            return st["date"] if st.get("parts") is not None else None
    return None


def _event_geometry(ev, gaz, countries):
    if ev.get("border_near"):
        # the point of the shipped border nearest to a settlement (a crossing point)
        border = countries["RUS"].boundary.intersection(countries["UKR"].buffer(1e-6))
        near = Point(vertex(ev["border_near"], gaz))
        assert near.is_valid
        return shapely.ops.nearest_points(border, near)[0]
    pts = [vertex(v, gaz) for v in ev["vertices"]]
    if len(pts) > 1:
        return LineString(pts)
    return Point(pts[0]) if len(pts) == 1 else LineString(pts)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=str(ROOT / "data/digitising/spec.py"))
    ap.add_argument("--base", default=str(ROOT / "data/base"))
    ap.add_argument("--out", default=str(ROOT / "data/layers"))
    ap.add_argument("--check", action="store_true", help="build and report, write nothing")
    args = ap.parse_args(argv)
    spec = load_spec(Path(args.spec))
    base = read_base(args.base)
    files = build(spec, base)
    for name, feats in sorted(files.items()):
        for f in feats:
            p = f["properties"]
            extra = p.get("area_km2", p.get("length_km", ""))
            print(f"{name:28s} {p['valid_from']} -> {str(p['valid_to']):10s} "
                  f"{p['status']:9s} {extra}")
    if args.check:
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, feats in files.items():
        # one feature per line: small diffs when one state is re-digitised
        lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in feats]
        text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
        (out / name).write_text(text, encoding="utf-8")
    result = load_layer_dir(out)
    for prob in result.problems:
        print("PROBLEM", prob)
    return 1 if result.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
