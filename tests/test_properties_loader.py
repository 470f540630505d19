"""Property tests: whatever bytes arrive, the loader answers with data or LayerValidationError.

Never a KeyError, TypeError, OverflowError or GEOS exception: those would surface in the
dashboard as a traceback instead of a list of problems. Valid generated features load and
keep their properties. The geo/ functions get the same treatment with degenerate shapes.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

from geo import change, measurement
from layers.errors import LayerValidationError
from layers.read import parse_layer_bytes
from layers.schema import (
    AREA_LAYERS,
    CONFIDENCE,
    EVENT_KINDS,
    KNOWN_LAYERS,
    REQUIRED_PROPERTIES,
    STATUSES,
    TIMELINE_END,
    TIMELINE_START,
)
from layers.validate import MAX_STRING, STUDY_BBOX

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- strategies ---------------------------------------------------------------------------
# Text includes lone surrogates (category Cs): JSON can spell them, Unicode cannot.
any_text = st.text(st.characters(exclude_categories=()), max_size=20)
json_scalars = (st.none() | st.booleans() | st.integers() | st.text(max_size=20) | any_text
                | st.floats(allow_nan=True, allow_infinity=True))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=5),
    max_leaves=25,
)
numbers = (st.floats(allow_nan=True, allow_infinity=True)
           | st.floats(min_value=-1e-300, max_value=1e-300)
           | st.integers(min_value=-(10**30), max_value=10**30)
           | st.floats(min_value=32.0, max_value=39.0) | st.floats(min_value=49.5, max_value=53.0)
           | st.sampled_from([35.2, 51.15, 0.0, -0.0, 180.0, -90.0, 1e308]))
kursk = st.tuples(st.floats(min_value=34.0, max_value=37.0),
                  st.floats(min_value=50.5, max_value=52.0)).map(list)
position = kursk | st.lists(numbers, min_size=0, max_size=4) | json_values


@st.composite
def rings(draw):
    """Rings from fine to degenerate: tiny, repeated points, unclosed, zero-area."""
    base = draw(st.lists(position, min_size=0, max_size=7))
    kind = draw(st.sampled_from(["as-is", "closed", "repeat", "tiny", "line"]))
    if kind == "closed" and base:
        base = [*base, base[0]]
    elif kind == "repeat":
        pt = draw(kursk)
        base = [pt] * draw(st.integers(0, 6))
    elif kind == "tiny":
        x, y = draw(kursk)
        eps = draw(st.sampled_from([0.0, 1e-15, 1e-9, 1e-6]))
        base = [[x, y], [x + eps, y], [x + eps, y + eps], [x, y + eps], [x, y]]
    elif kind == "line":
        x, y = draw(kursk)
        base = [[x, y], [x + 0.1, y], [x + 0.05, y], [x, y]]
    return base


@st.composite
def geometries(draw):
    gtype = draw(st.sampled_from(["Point", "MultiPoint", "LineString", "MultiLineString",
                                  "Polygon", "MultiPolygon", "GeometryCollection", "Bogus"]))
    ring_list = st.lists(rings(), max_size=3)
    coords = {
        "Point": position,
        "MultiPoint": st.lists(position, max_size=4),
        "LineString": st.lists(position, max_size=5),
        "MultiLineString": st.lists(st.lists(position, max_size=4), max_size=3),
        "Polygon": ring_list,
        "MultiPolygon": st.lists(ring_list, max_size=3),
    }.get(gtype, json_values)
    geom = {"type": gtype, "coordinates": draw(coords | json_values)}
    return draw(st.sampled_from([geom, geom, geom, None, {}, {"type": gtype}]))


dates = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 12, 31)).map(str)
good_source = st.fixed_dictionaries({
    "claim_maker": st.text(min_size=1, max_size=20).filter(str.strip),
    "outlet": st.text(min_size=1, max_size=20).filter(str.strip),
    "date": st.dates(TIMELINE_START, TIMELINE_END).map(str),
    "figure": st.none() | st.text(max_size=10) | st.integers(-10**6, 10**6)
    | st.floats(allow_nan=False),
})
# Each property: usually plausible, sometimes anything at all.
prop_values = {
    "id": st.text(max_size=12) | json_values,
    "layer": st.sampled_from(KNOWN_LAYERS) | json_values,
    "valid_from": dates | json_values,
    "valid_to": st.none() | dates | json_values,
    "status": st.sampled_from(STATUSES) | json_values,
    "sources": st.lists(good_source | json_values, max_size=3) | json_values,
    "confidence": st.sampled_from(CONFIDENCE) | json_values,
    "notes": st.text(max_size=50) | any_text | json_values,
    "kind": st.sampled_from(EVENT_KINDS) | json_values,
    "name": st.text(max_size=20) | json_values,
}


@st.composite
def messy_features(draw):
    props = {}
    for key, strategy in prop_values.items():
        if draw(st.integers(0, 9)) > 0:  # each key missing one time in ten
            props[key] = draw(strategy)
    feature = {"type": "Feature", "properties": props, "geometry": draw(geometries())}
    return draw(st.sampled_from([feature] * 6 + [{}, [], "Feature",
                                 {"type": "Feature", "properties": None}]))


def _dump(doc) -> bytes:
    return json.dumps(doc, allow_nan=True).encode("utf-8")


def _parse(data: bytes):
    """Parse; the only allowed failure is LayerValidationError with well-formed problems."""
    try:
        return parse_layer_bytes(data, "gen.geojson")
    except LayerValidationError as exc:
        assert exc.problems, "an error must list at least one problem"
        for p in exc.problems:
            assert p.file == "gen.geojson"
            assert isinstance(p.field, str) and p.field
            assert isinstance(p.message, str) and p.message
            assert p.feature_id is None or isinstance(p.feature_id, str)
            assert len(p.message) < 2000
            str(p).encode("utf-8")  # displayable: no lone surrogate leaks into a message
        assert len(exc.problems) <= 201
        return None


# --- the loader ---------------------------------------------------------------------------
@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes(data):
    _parse(data)


@SETTINGS
@given(json_values)
def test_random_json_documents(doc):
    _parse(_dump(doc))


@SETTINGS
@given(st.dictionaries(st.sampled_from(["type", "features", "crs", "bbox"]), json_values)
       .map(lambda d: {**d, "type": "FeatureCollection"}))
def test_random_collection_members(doc):
    _parse(_dump(doc))


@SETTINGS
@given(st.lists(messy_features(), max_size=4), st.none() | json_values)
def test_messy_features_only_ever_raise_validation_errors(features, crs):
    doc = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        doc["crs"] = crs
    frame = _parse(_dump(doc))
    if frame is not None:  # it loaded: then every row must honour the contract
        assert set(frame["layer"]) <= set(KNOWN_LAYERS)
        for column in ("id", "notes", "name", "kind"):
            for text in frame[column]:
                text.encode("utf-8")
        assert frame["id"].is_unique
        assert all(g.is_valid and not g.is_empty for g in frame.geometry)


@SETTINGS
@given(geometries(), st.sampled_from(KNOWN_LAYERS))
def test_any_geometry_loads_or_is_reported(geometry, layer):
    props = {"id": "g-1", "layer": layer, "valid_from": "2024-08-12", "valid_to": None,
             "status": "held", "confidence": "low", "notes": "", "kind": "other",
             "sources": [{"claim_maker": "a", "outlet": "b", "date": "2024-08-12",
                          "figure": None}]}
    doc = {"type": "FeatureCollection",
           "features": [{"type": "Feature", "properties": props, "geometry": geometry}]}
    frame = _parse(_dump(doc))
    if frame is not None:
        (geom,) = frame.geometry
        assert geom.is_valid and not geom.is_empty
        lon0, lat0, lon1, lat1 = STUDY_BBOX
        minx, miny, maxx, maxy = geom.bounds
        assert lon0 <= minx <= maxx <= lon1 and lat0 <= miny <= maxy <= lat1


# --- valid features round-trip ------------------------------------------------------------
@st.composite
def valid_features(draw, fid: str):
    layer = draw(st.sampled_from(KNOWN_LAYERS))
    start = draw(st.dates(TIMELINE_START, TIMELINE_END))
    end = draw(st.none() | st.dates(start + dt.timedelta(days=1),
                                    TIMELINE_END + dt.timedelta(days=1)))
    x = draw(st.floats(32.0, 38.5))
    y = draw(st.floats(49.5, 52.5))
    size = draw(st.sampled_from([1e-6, 1e-4, 0.01, 0.3]))
    if layer in AREA_LAYERS:
        geometry = {"type": "Polygon", "coordinates": [
            [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}
    else:
        geometry = {"type": "Point", "coordinates": [x, y]}
    props = {
        "id": fid, "layer": layer, "valid_from": str(start),
        "valid_to": None if end is None else str(end),
        "status": draw(st.sampled_from(STATUSES)),
        "sources": draw(st.lists(good_source, min_size=1, max_size=3)),
        "confidence": draw(st.sampled_from(CONFIDENCE)),
        "notes": draw(st.text(max_size=200)),
        "name": draw(st.text(max_size=30)),
    }
    if layer not in AREA_LAYERS:
        props["kind"] = draw(st.sampled_from(EVENT_KINDS))
    return {"type": "Feature", "properties": props, "geometry": geometry}


@st.composite
def valid_collections(draw):
    n = draw(st.integers(0, 5))
    ids = draw(st.lists(st.text(min_size=1, max_size=40).filter(str.strip), min_size=n,
                        max_size=n, unique=True))
    return {"type": "FeatureCollection", "features": [draw(valid_features(i)) for i in ids]}


@SETTINGS
@given(valid_collections(), st.booleans())
def test_valid_features_load_and_keep_their_properties(doc, ascii_json):
    data = json.dumps(doc, ensure_ascii=ascii_json).encode("utf-8")
    frame = parse_layer_bytes(data, "ok.geojson")
    assert len(frame) == len(doc["features"])
    for (_, row), feat in zip(frame.iterrows(), doc["features"], strict=True):
        props = feat["properties"]
        for key in REQUIRED_PROPERTIES:
            got = row[key]
            if key in ("valid_from", "valid_to"):
                got = None if got is None else got.isoformat()
            assert got == props[key], key
        assert row["name"] == props["name"]
        assert row["kind"] == props.get("kind", "")
        assert row["file"] == "ok.geojson"
        assert row.geometry.equals(shapely.geometry.shape(feat["geometry"]))


def test_the_round_trip_check_can_actually_fail():
    doc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [35.0, 51.0]},
        "properties": {"id": "x", "layer": "events", "kind": "other", "valid_from": "2024-08-10",
                       "valid_to": None, "status": "held", "confidence": "low", "notes": "",
                       "sources": []}}]}
    with pytest.raises(LayerValidationError, match="non-empty list of source objects"):
        parse_layer_bytes(_dump(doc), "x.geojson")


def test_long_strings_at_the_limit_load_and_past_it_do_not():
    doc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [35.0, 51.0]},
        "properties": {"id": "x", "layer": "events", "kind": "other", "valid_from": "2024-08-10",
                       "valid_to": None, "status": "held", "confidence": "low",
                       "notes": "n" * MAX_STRING,
                       "sources": [{"claim_maker": "a", "outlet": "b", "date": "2024-08-12",
                                    "figure": None}]}}]}
    assert parse_layer_bytes(_dump(doc), "x.geojson").iloc[0]["notes"] == "n" * MAX_STRING
    doc["features"][0]["properties"]["notes"] += "n"
    with pytest.raises(LayerValidationError, match="the limit is 4000"):
        parse_layer_bytes(_dump(doc), "x.geojson")


# --- geo/ with degenerate shapes ----------------------------------------------------------

coord = st.floats(min_value=30.0, max_value=40.0) | st.sampled_from([35.0, 35.0 + 1e-12, 51.0])
shapely_rings = st.lists(st.tuples(coord, coord), min_size=3, max_size=8)


@st.composite
def shapes(draw):
    """Valid, invalid and degenerate shapely geometries in lon/lat degrees."""
    kind = draw(st.sampled_from(["box", "ring", "multi", "empty", "point", "line", "none",
                                 "collection", "zero"]))
    if kind == "box":
        x, y = draw(coord), draw(coord)
        w, h = draw(st.sampled_from([0.0, 1e-12, 1e-6, 0.1, 2.0])), draw(
            st.sampled_from([0.0, 1e-9, 0.1, 1.0]))
        return box(x, y, x + w, y + h, ccw=draw(st.booleans()))
    if kind == "ring":
        return Polygon(draw(shapely_rings))  # may self-intersect: a bowtie
    if kind == "multi":
        return shapely.MultiPolygon([Polygon(r) for r in draw(st.lists(shapely_rings,
                                                                      min_size=1, max_size=3))])
    if kind == "empty":
        return draw(st.sampled_from([Polygon(), shapely.MultiPolygon(),
                                     shapely.GeometryCollection()]))
    if kind == "point":
        return shapely.Point(draw(coord), draw(coord))
    if kind == "line":
        return shapely.LineString(draw(shapely_rings))
    if kind == "none":
        return None
    if kind == "zero":  # all points on one line: zero area
        x, y = draw(coord), draw(coord)
        return Polygon([(x, y), (x + 1, y), (x + 0.5, y), (x, y)])
    return shapely.GeometryCollection([g for g in (draw(shapes()), draw(shapes()))
                                       if g is not None])


def _is_valid_or_trivial(geom) -> bool:
    return geom is None or geom.is_empty or geom.is_valid


@SETTINGS
@given(shapes())
def test_geodesic_area_is_a_finite_number(geom):
    area = measurement.geodesic_area_km2(geom)
    assert isinstance(area, float)
    assert math.isfinite(area)
    if _is_valid_or_trivial(geom):
        assert area >= 0.0
        # (No bounding-box bound: a long geodesic edge bulges poleward out of the
        # lon/lat box, so a valid polygon can exceed its box's area.)


valid_polygons = st.one_of(
    st.builds(lambda x, y, w, h: box(x, y, x + w, y + h), coord, coord,
              st.floats(1e-6, 3.0), st.floats(1e-6, 3.0)),
    shapely_rings.map(Polygon).filter(lambda g: g.is_valid and not g.is_empty),
)


@SETTINGS
@given(valid_polygons)
def test_geodesic_area_ignores_orientation(geom):
    flipped = shapely.reverse(geom)
    assert measurement.geodesic_area_km2(flipped) == pytest.approx(
        measurement.geodesic_area_km2(geom), rel=1e-9, abs=1e-9)


@SETTINGS
@given(shapes().filter(_is_valid_or_trivial), shapes().filter(_is_valid_or_trivial))
def test_diff_states_never_crashes_and_areas_are_non_negative(old, new):
    c = change.diff_states(old, new)
    for value in (c.gained_km2, c.lost_km2, c.kept_km2, c.old_km2, c.new_km2):
        assert math.isfinite(value)
        assert value >= -1e-9
    for part in (c.gained, c.lost, c.kept):
        assert part.is_empty or part.geom_type in ("Polygon", "MultiPolygon")
    if c.is_unchanged:
        assert c.gained_km2 == 0.0 and c.lost_km2 == 0.0


@SETTINGS
@given(shapes())
def test_a_state_minus_itself_is_unchanged(geom):
    c = change.diff_states(geom, geom)
    assert c.is_unchanged
    assert c.net_km2 == pytest.approx(0.0, abs=1e-9)


@SETTINGS
@given(shapes(), shapes())
def test_diff_states_on_invalid_input_gives_numbers(old, new):
    # diff_states repairs invalid input (make_valid, falling back to the 'structure'
    # method where GEOS 3.14's default raises on collapsed rings): no exception at all.
    c = change.diff_states(old, new)
    for value in (c.gained_km2, c.lost_km2, c.kept_km2, c.old_km2, c.new_km2):
        assert math.isfinite(value)


COLLAPSED = shapely.from_wkt(
    "MULTIPOLYGON (((30 30, 30 30, 30 30, 30 30)), ((30 31, 30 32, 31 30, 30 31)))")


def test_diff_states_repairs_a_collapsed_ring():
    c = change.diff_states(None, COLLAPSED)
    assert c.new_km2 > 0
