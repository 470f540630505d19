"""Regenerate the bad-layer corpus and its manifest ``EXPECTED.json``.

Run ``python tests/bad_layers/make_corpus.py`` from the repository root after
changing a case; commit the files it writes. Every case is one file holding
one kind of mistake (or, for ``several_problems``, many) plus the problems the
validator must report: ``[feature_id, field, message substring]``. The test
(tests/test_bad_layers.py) also checks that no other problems are reported.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).parent

# A small square near Sudzha, Kursk oblast (lon, lat), counter-clockwise.
SQUARE = [[35.20, 51.15], [35.30, 51.15], [35.30, 51.22], [35.20, 51.22], [35.20, 51.15]]
SOURCE = {"claim_maker": "ISW", "outlet": "ISW Russian Offensive Campaign Assessment",
          "date": "2024-08-12", "figure": "1000 km²"}
GOOD = {
    "type": "Feature",
    "properties": {
        "id": "uh-0001", "layer": "ukrainian_held", "valid_from": "2024-08-12",
        "valid_to": "2024-09-01", "status": "held", "sources": [SOURCE],
        "confidence": "medium", "notes": "test feature",
    },
    "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
}
EVENT = {
    "type": "Feature",
    "properties": {
        "id": "ev-0001", "layer": "events", "kind": "crossing", "valid_from": "2024-08-06",
        "valid_to": None, "status": "held", "sources": [SOURCE], "confidence": "high",
        "notes": "border crossing near Sudzha",
    },
    "geometry": {"type": "Point", "coordinates": [35.25, 51.19]},
}
REQUIRED = "is missing (required"
CASES: dict[str, tuple[bytes, list[list]]] = {}


def feature(base=GOOD, geometry=None, drop=(), **props):
    feat = copy.deepcopy(base)
    feat["properties"].update(props)
    for key in drop:
        del feat["properties"][key]
    if geometry is not None:
        feat["geometry"] = geometry
    return feat


def collection(*features, **members) -> bytes:
    doc = {"type": "FeatureCollection", **members, "features": list(features)}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def case(name: str, data: bytes, *expected: list) -> None:
    assert name not in CASES, name
    CASES[name] = (data, [list(e) for e in expected])


def poly(*rings):
    return {"type": "Polygon", "coordinates": [list(r) for r in rings]}


# --- the file as a whole -----------------------------------------------------------------
case("broken_json", collection(GOOD)[:-40],
     [None, "json", "is not valid JSON"])
case("empty_file", b"",
     [None, "json", "is not valid JSON: Expecting value at line 1, column 1"])
case("trailing_comma", b'{"type": "FeatureCollection", "features": [],}',
     [None, "json", "is not valid JSON"])
case("not_a_feature_collection", json.dumps(GOOD).encode(),
     [None, "type", "is 'Feature'; a layer file must be a GeoJSON FeatureCollection"])
case("json_array", b"[1, 2, 3]",
     [None, "type", "the document is a JSON list, not a GeoJSON FeatureCollection"])
case("features_not_a_list",
     b'{"type": "FeatureCollection", "features": {"a": 1}}',
     [None, "features", "is missing or not a list"])
case("crs_web_mercator",
     collection(GOOD, crs={"type": "name", "properties": {"name": "EPSG:3857"}}),
     [None, "crs", "declares CRS 'EPSG:3857'; RFC 7946 files are WGS84 lon/lat only"])
case("non_utf8_latin1",
     collection(feature(notes="Sudzha café")).replace("é".encode(), b"\xe9"),
     [None, "encoding", "is not UTF-8"])
case("utf16",
     collection(GOOD).decode().encode("utf-16"),
     [None, "encoding", "is not UTF-8 (invalid start byte at byte 0)"])
case("deeply_nested", b"[" * 5000 + b"]" * 5000,
     [None, "json", "is nested too deeply"])
case("integer_5000_digits",
     collection(GOOD).replace(b"35.2,", b"3" * 5000 + b",", 1),
     [None, "json", "Exceeds the limit (4300 digits)"])
case("duplicate_key",
     collection(feature(status="contested")).replace(
         b'"status": "contested"', b'"status": "contested", "status": "held"', 1),
     ["uh-0001", "status", "is given twice in one JSON object"])
case("not_a_feature_item", collection("just a string"),
     ["#0", "type", "is not a GeoJSON Feature object"])
case("properties_null", collection({"type": "Feature", "properties": None,
                                    "geometry": GOOD["geometry"]}),
     ["#0", "properties", "is missing or not an object"])
case("too_many_problems", collection(*([{}] * 300)),
     *[[f"#{i}", "type", "is not a GeoJSON Feature object"] for i in range(200)],
     [None, "features", "checking stopped after feature #199 of 300"])

# --- each required property missing ------------------------------------------------------
case("missing_id", collection(feature(drop=["id"])),
     ["#0", "id", "is None; every feature needs a non-empty string id"],
     ["#0", "id", REQUIRED])
for key in ("layer", "valid_from", "valid_to", "status", "sources", "confidence", "notes"):
    case(f"missing_{key}", collection(feature(drop=[key])), ["uh-0001", key, REQUIRED])

# --- each required property of the wrong type --------------------------------------------
case("mistyped_id", collection(feature(id=17)),
     ["#0", "id", "is 17; every feature needs a non-empty string id"])
case("blank_id", collection(feature(id="   ")),
     ["#0", "id", "is '   '; every feature needs a non-empty string id"])
case("mistyped_layer", collection(feature(layer=["ukrainian_held"])),
     ["uh-0001", "layer", "is ['ukrainian_held']; expected one of ukrainian_held"])
case("mistyped_valid_from", collection(feature(valid_from=20240812)),
     ["uh-0001", "valid_from", "20240812 is not a YYYY-MM-DD date"])
case("mistyped_valid_to", collection(feature(valid_to={"date": "2024-09-01"})),
     ["uh-0001", "valid_to", "{'date': '2024-09-01'} is not a YYYY-MM-DD date"])
case("mistyped_status", collection(feature(status=True)),
     ["uh-0001", "status", "is True; expected one of held, contested, claimed"])
case("mistyped_sources", collection(feature(sources="ISW, 12 Aug")),
     ["uh-0001", "sources", "must be a non-empty list of source objects"])
case("mistyped_confidence", collection(feature(confidence=0.8)),
     ["uh-0001", "confidence", "is 0.8; expected one of high, medium, low"])
case("mistyped_notes", collection(feature(notes=["a", "b"])),
     ["uh-0001", "notes", "is a list; expected a string"])
case("null_valid_from", collection(feature(valid_from=None)),
     ["uh-0001", "valid_from", "is null; a start date is required"])

# --- vocabulary ---------------------------------------------------------------------------
case("unknown_layer", collection(feature(layer="ukrainian_hold")),
     ["uh-0001", "layer", "is 'ukrainian_hold'; expected one of ukrainian_held"])
case("unknown_status", collection(feature(status="captured")),
     ["uh-0001", "status", "is 'captured'; expected one of held, contested, claimed"])
case("event_without_kind", collection(feature(EVENT, drop=["kind"])),
     ["ev-0001", "kind", "is None; an event needs one of crossing"])
case("lone_surrogate_in_notes",
     collection(feature(notes="SURROGATE")).replace(b"SURROGATE", b"a \\ud800 b"),
     ["uh-0001", "notes", "holds a lone UTF-16 surrogate"])
case("lone_surrogate_in_id",
     collection(feature(id="SURROGATE")).replace(b"SURROGATE", b"uh-\\udfff"),
     ["#0", "id", "holds a lone UTF-16 surrogate"])
case("lone_surrogate_in_source",
     collection(feature(sources=[SOURCE | {"outlet": "SURROGATE"}])).replace(
         b"SURROGATE", b"\\ud83d"),
     ["uh-0001", "sources", "holds a lone UTF-16 surrogate"])
case("long_notes", collection(feature(notes="x" * 5000)),
     ["uh-0001", "notes", "is 5000 characters long; the limit is 4000"])
case("long_id", collection(feature(id="uh-" + "9" * 300)),
     ["#0", "id", "is 303 characters long; the limit is 200"])

# --- dates --------------------------------------------------------------------------------
case("date_wrong_format", collection(feature(valid_from="12/08/2024")),
     ["uh-0001", "valid_from", "'12/08/2024' is not a YYYY-MM-DD date"])
case("date_not_a_day", collection(feature(valid_to="2025-02-30")),
     ["uh-0001", "valid_to", "'2025-02-30' is not a real calendar day"])
case("date_trailing_newline", collection(feature(valid_from="2024-08-12\n")),
     ["uh-0001", "valid_from", "'2024-08-12\\n' is not a YYYY-MM-DD date"])
case("date_non_ascii_digits", collection(feature(valid_from="٢٠٢٤-٠٨-١٢")),
     ["uh-0001", "valid_from", "is not a YYYY-MM-DD date"])
case("ends_before_start",
     collection(feature(valid_from="2024-09-01", valid_to="2024-08-20")),
     ["uh-0001", "valid_to", "is 2024-08-20, not after valid_from 2024-09-01"])
case("ends_on_start", collection(feature(valid_from="2024-09-01", valid_to="2024-09-01")),
     ["uh-0001", "valid_to", "is 2024-09-01, not after valid_from 2024-09-01 "
      "(valid_to is exclusive)"])
case("date_before_timeline", collection(feature(valid_from="2023-08-12")),
     ["uh-0001", "valid_from", "is 2023-08-12, outside the timeline 2024-08-06..2025-08-31"])
case("valid_from_after_timeline", collection(feature(valid_from="2025-09-01", valid_to=None)),
     ["uh-0001", "valid_from", "is 2025-09-01, outside the timeline 2024-08-06..2025-08-31"])
case("date_after_timeline", collection(feature(valid_to="2031-01-01")),
     ["uh-0001", "valid_to", "is 2031-01-01, outside the timeline"])
case("overlapping_validity",
     collection(GOOD, feature(valid_from="2024-08-20", valid_to="2024-09-10")),
     ["uh-0001", "valid_from", "this id is already used by a feature whose validity overlaps"])
case("duplicate_id",
     collection(GOOD, feature(valid_from="2024-09-01", valid_to="2024-10-01")),
     ["uh-0001", "id", "is a duplicate: ids must be unique"])

# --- sources ------------------------------------------------------------------------------
case("sources_empty", collection(feature(sources=[])),
     ["uh-0001", "sources", "must be a non-empty list of source objects"])
case("source_not_object", collection(feature(sources=["ISW"])),
     ["uh-0001", "sources[0]", "is not an object"])
case("source_missing_fields", collection(feature(sources=[{"outlet": "ISW"}])),
     ["uh-0001", "sources[0].claim_maker", "is missing"],
     ["uh-0001", "sources[0].date", "is missing"],
     ["uh-0001", "sources[0].figure", "is missing"])
case("source_bad_values", collection(feature(sources=[
        SOURCE, {"claim_maker": "", "outlet": 5, "date": "Aug 12", "figure": {"km2": 1}}])),
     ["uh-0001", "sources[1].claim_maker", "must be a non-empty string"],
     ["uh-0001", "sources[1].outlet", "must be a non-empty string"],
     ["uh-0001", "sources[1].date", "'Aug 12' is not a YYYY-MM-DD date"],
     ["uh-0001", "sources[1].figure", "must be a string, a number or null"])

# --- geometry -----------------------------------------------------------------------------
case("geometry_null", collection(feature(geometry=None) | {"geometry": None}),
     ["uh-0001", "geometry", "is missing or null"])
case("geometry_empty", collection(feature(geometry={"type": "Polygon", "coordinates": []})),
     ["uh-0001", "geometry.coordinates", "are empty"])
case("geometry_not_nested", collection(feature(geometry={"type": "Polygon",
                                                         "coordinates": [35.2, 51.1]})),
     ["uh-0001", "geometry.coordinates", "are not nested as a Polygon requires"])
case("bowtie", collection(feature(geometry=poly(
        [[35.2, 51.15], [35.3, 51.22], [35.3, 51.15], [35.2, 51.22], [35.2, 51.15]]))),
     ["uh-0001", "geometry", "is invalid: Self-intersection"])
case("hole_outside_shell", collection(feature(geometry=poly(SQUARE, [
        [35.5, 51.3], [35.6, 51.3], [35.6, 51.4], [35.5, 51.3]]))),
     ["uh-0001", "geometry", "is invalid: Hole lies outside shell"])
case("zero_area_ring", collection(feature(geometry=poly(
        [[35.2, 51.15], [35.3, 51.15], [35.25, 51.15], [35.2, 51.15]]))),
     ["uh-0001", "geometry", "is invalid"])
case("unclosed_ring", collection(feature(geometry=poly(SQUARE[:-1] + [[35.21, 51.15]]))),
     ["uh-0001", "geometry.coordinates", "a ring is not closed"])
case("ring_too_short", collection(feature(geometry=poly(SQUARE[:2] + SQUARE[:1]))),
     ["uh-0001", "geometry.coordinates", "a ring has 3 positions; a closed ring needs at least 4"])
case("coordinates_out_of_range", collection(feature(geometry=poly(
        [[200.0, 51.15], [35.3, 51.15], [35.3, 51.22], [200.0, 51.15]]))),
     ["uh-0001", "geometry.coordinates", "position [200.0, 51.15] is out of range"])
case("swapped_lat_lon", collection(feature(geometry=poly([[y, x] for x, y in SQUARE]))),
     ["uh-0001", "geometry.coordinates", "the coordinates look like [lat, lon]"])
case("outside_study_area", collection(feature(geometry=poly(
        [[37.5, 55.7], [37.7, 55.7], [37.7, 55.8], [37.5, 55.7]]))),
     ["uh-0001", "geometry.coordinates", "fall outside the study area"])
case("nan_coordinate",
     collection(GOOD).replace(b"51.22", b"NaN", 1),
     ["uh-0001", "geometry.coordinates", "is not finite"])
case("infinity_coordinate",
     collection(GOOD).replace(b"35.3", b"-Infinity", 1),
     ["uh-0001", "geometry.coordinates", "is not finite"])
case("coordinate_3d", collection(feature(geometry=poly([p + [180.0] for p in SQUARE]))),
     ["uh-0001", "geometry.coordinates", "has 3 values; use 2-D [lon, lat]"])
case("coordinate_string", collection(feature(geometry=poly(
        [SQUARE[0], ["35.3", "51.15"], *SQUARE[2:]]))),
     ["uh-0001", "geometry.coordinates", "is not a list of numbers"])
case("point_in_area_layer", collection(feature(geometry=EVENT["geometry"])),
     ["uh-0001", "geometry.type", "is 'Point'; layer 'ukrainian_held' takes Polygon or "
      "MultiPolygon"])
case("polygon_in_events", collection(feature(EVENT, geometry=GOOD["geometry"])),
     ["ev-0001", "geometry.type", "is 'Polygon'; layer 'events' takes Point"])
case("geometry_collection", collection(feature(geometry={
        "type": "GeometryCollection", "geometries": [GOOD["geometry"]]})),
     ["uh-0001", "geometry.type", "is 'GeometryCollection'"])
case("multipolygon_with_empty_part", collection(feature(geometry={
        "type": "MultiPolygon", "coordinates": [[], [SQUARE]]})),
     ["uh-0001", "geometry.coordinates", "a polygon has no rings"])
case("line_one_position", collection(feature(EVENT, geometry={
        "type": "LineString", "coordinates": [[35.25, 51.19]]})),
     ["ev-0001", "geometry.coordinates", "a line has 1 position(s)"])

# --- several problems at once: every one is reported --------------------------------------
case("several_problems", collection(
        feature(id="uh-a", status="captured", valid_from="2024-8-1", sources=[]),
        feature(id="uh-b", confidence="certain", geometry=poly(SQUARE[:-1] + [[35.21, 51.15]])),
        feature(id="uh-c", drop=["notes"], valid_to="2024-08-10"),
        crs={"type": "name", "properties": {"name": "EPSG:3857"}}),
     [None, "crs", "declares CRS 'EPSG:3857'"],
     ["uh-a", "status", "is 'captured'"],
     ["uh-a", "valid_from", "'2024-8-1' is not a YYYY-MM-DD date"],
     ["uh-a", "sources", "must be a non-empty list"],
     ["uh-b", "confidence", "is 'certain'"],
     ["uh-b", "geometry.coordinates", "a ring is not closed"],
     ["uh-c", "notes", REQUIRED],
     ["uh-c", "valid_to", "is 2024-08-10, not after valid_from 2024-08-12"])


def main() -> None:
    """Write every case as ``<name>.geojson`` and the manifest ``EXPECTED.json``."""
    for old in HERE.glob("*.geojson"):
        old.unlink()
    manifest = {}
    for name, (data, expected) in CASES.items():
        (HERE / f"{name}.geojson").write_bytes(data)
        manifest[f"{name}.geojson"] = expected
    text = json.dumps(manifest, indent=1, ensure_ascii=False)
    (HERE / "EXPECTED.json").write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(CASES)} cases to {HERE}")


if __name__ == "__main__":
    main()
