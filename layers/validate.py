"""Check a parsed layer file against the contract and list every problem.

The validator never raises on bad data: it returns a list of
:class:`~layers.errors.Problem`, one per breach, each naming the file, the
feature id and the field. :mod:`layers.read` turns a non-empty list into a
:class:`~layers.errors.LayerValidationError`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import reprlib
from collections.abc import Iterable
from typing import Any

import shapely
from shapely.geometry import shape

from layers.errors import Problem
from layers.schema import (
    CONFIDENCE,
    EVENT_KINDS,
    EVENT_LAYERS,
    KNOWN_LAYERS,
    REQUIRED_PROPERTIES,
    SOURCE_FIELDS,
    STATUSES,
    TIMELINE_END,
    TIMELINE_START,
)

__all__ = ["MAX_ID", "MAX_PROBLEMS", "MAX_STRING", "STUDY_BBOX", "parse_date",
           "validate_collection"]

#: Everything this project maps lies in this lon/lat box (Kursk, Sumy and around).
STUDY_BBOX = (32.0, 49.5, 39.0, 53.0)
# ASCII digits only, and the whole string: "^...$" would let "2024-08-10\n" through.
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WGS84_CRS_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326",
    "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:EPSG:4326",
}
_AREA_TYPES = ("Polygon", "MultiPolygon")
_EVENT_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString")
#: Longest string accepted in any property (the notes of a feature, say).
MAX_STRING = 4000
#: Longest feature id accepted (ids name states, like ``uh-2024-08-10-a``).
MAX_ID = 200
#: A file stops being checked once this many problems are found: a hostile or
#: badly broken file must not produce millions of messages (one per feature).
MAX_PROBLEMS = 200

_REPR = reprlib.Repr()
_REPR.maxstring = 80
_REPR.maxother = 80
_REPR.maxlist = 6
_REPR.maxdict = 6
_REPR.maxlevel = 3


def _short(value: Any) -> str:
    """Return a repr of ``value`` short enough for a message (hostile values are huge)."""
    try:
        return _REPR.repr(value)
    except RecursionError:  # pragma: no cover - reprlib bounds the depth already
        return f"<deeply nested {type(value).__name__}>"


def parse_date(value: Any) -> dt.date:
    """Parse a strict ``YYYY-MM-DD`` string.

    Parameters
    ----------
    value : Any
        The raw property value.

    Returns
    -------
    datetime.date

    Raises
    ------
    ValueError
        If ``value`` is not a string of that form naming a real day.

    Examples
    --------
    >>> parse_date("2025-03-13")
    datetime.date(2025, 3, 13)
    >>> parse_date("13/03/2025")
    Traceback (most recent call last):
    ...
    ValueError: '13/03/2025' is not a YYYY-MM-DD date
    """
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise ValueError(f"{_short(value)} is not a YYYY-MM-DD date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{_short(value)} is not a real calendar day") from None


def validate_collection(obj: Any, file: str, *, any_layer: bool = False) -> list[Problem]:
    """Return every way ``obj`` (a parsed GeoJSON document) breaks the contract.

    Parameters
    ----------
    obj : Any
        The result of ``json.loads`` on the file.
    file : str
        The file name to put in each problem.
    any_layer : bool, optional
        Accept any layer name (a user's own layer) instead of the project's layer ids.

    Returns
    -------
    list of Problem
        Empty when the document is valid.

    Examples
    --------
    >>> validate_collection({"type": "Feature"}, "x.geojson")[0].message
    "is 'Feature'; a layer file must be a GeoJSON FeatureCollection"
    >>> validate_collection({"type": "FeatureCollection", "features": []}, "x.geojson")
    []

    At most :data:`MAX_PROBLEMS` problems are listed, then one saying where checking stopped:

    >>> many = {"type": "FeatureCollection", "features": [{}] * 1000}
    >>> found = validate_collection(many, "x.geojson")
    >>> len(found), found[-1].field
    (201, 'features')
    """
    problems: list[Problem] = []

    def add(fid: str | None, field: str, message: str) -> None:
        problems.append(Problem(file, fid, field, message))

    if not isinstance(obj, dict):
        add(None, "type", f"the document is a JSON {type(obj).__name__}, "
            "not a GeoJSON FeatureCollection object")
        return problems
    if obj.get("type") != "FeatureCollection":
        add(None, "type", f"is {_short(obj.get('type'))}; a layer file must be a GeoJSON "
            "FeatureCollection")
        return problems
    if "crs" in obj:
        name = _crs_name(obj["crs"])
        if name not in _WGS84_CRS_NAMES:
            add(None, "crs", f"declares CRS {_short(name)}; RFC 7946 files are WGS84 lon/lat "
                "only: reproject to EPSG:4326 and drop the 'crs' member")
    features = obj.get("features")
    if not isinstance(features, list):
        add(None, "features", "is missing or not a list")
        return problems

    seen: dict[str, list[tuple[dt.date | None, dt.date | None]]] = {}
    for index, feature in enumerate(features):
        _validate_feature(feature, index, add, seen, any_layer)
        if len(problems) >= MAX_PROBLEMS and index + 1 < len(features):
            add(None, "features", f"checking stopped after feature #{index} of "
                f"{len(features)}: {len(problems)} problems so far; fix these and "
                "validate again")
            break
    return problems


def _crs_name(crs: Any) -> str:
    if isinstance(crs, dict):
        props = crs.get("properties")
        if isinstance(props, dict) and isinstance(props.get("name"), str):
            return props["name"]
    return _short(crs)


def _validate_feature(feature: Any, index: int, add, seen, any_layer: bool = False) -> None:
    label = f"#{index}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        add(label, "type", "is not a GeoJSON Feature object")
        return
    props = feature.get("properties")
    if not isinstance(props, dict):
        add(label, "properties", "is missing or not an object")
        return
    fid = props.get("id")
    if isinstance(fid, str) and not _is_text(fid):
        fid = None  # reported below with the other non-text values
    elif isinstance(fid, str) and fid.strip() and len(fid) <= MAX_ID:
        label = fid
    elif isinstance(fid, str) and fid.strip():
        add(label, "id", f"is {len(fid)} characters long; the limit is {MAX_ID}")
        fid = None
    else:
        add(label, "id", f"is {_short(fid)}; every feature needs a non-empty string id")

    for key in REQUIRED_PROPERTIES:
        if key not in props:
            add(label, key, "is missing (required: " + ", ".join(REQUIRED_PROPERTIES) + ")")
    for key, value in props.items():
        field = key if _is_text(key) else _short(key)
        if _holds_non_text(key, value):
            add(label, field, "holds a lone UTF-16 surrogate (an escape like \\ud800 without "
                "its pair), which is not Unicode text and cannot be displayed: fix or remove "
                "it")
        elif isinstance(value, str) and len(value) > MAX_STRING:
            add(label, field, f"is {len(value)} characters long; the limit is {MAX_STRING}")

    layer = props.get("layer")
    if any_layer:
        # A user's own layer may have any name (the dashboard keeps it apart from ours).
        if "layer" in props and (not isinstance(layer, str) or not layer.strip()
                                 or len(layer) > MAX_ID):
            add(label, "layer", f"is {_short(layer)}; expected a name of 1 to {MAX_ID} "
                "characters")
    elif "layer" in props and layer not in KNOWN_LAYERS:
        add(label, "layer", f"is {_short(layer)}; expected one of {', '.join(KNOWN_LAYERS)}")
    status = props.get("status")
    if "status" in props and status not in STATUSES:
        add(label, "status", f"is {_short(status)}; expected one of {', '.join(STATUSES)}")
    conf = props.get("confidence")
    if "confidence" in props and conf not in CONFIDENCE:
        add(label, "confidence", f"is {_short(conf)}; expected one of {', '.join(CONFIDENCE)}")
    if "notes" in props and not isinstance(props["notes"], str):
        add(label, "notes", f"is a {type(props['notes']).__name__}; expected a string")
    if layer in EVENT_LAYERS and props.get("kind") not in EVENT_KINDS:
        add(label, "kind", f"is {_short(props.get('kind'))}; an event needs one of "
            f"{', '.join(EVENT_KINDS)}")

    start = _check_date(props, "valid_from", label, add, required=True)
    end = _check_date(props, "valid_to", label, add, required=False)
    if start is not None and end is not None and end <= start:
        add(label, "valid_to", f"is {end.isoformat()}, not after valid_from "
            f"{start.isoformat()} (valid_to is exclusive)")
    elif isinstance(fid, str) and fid.strip():
        prior = seen.setdefault(fid, [])
        for p_start, p_end in prior:
            if _overlaps(p_start, p_end, start, end):
                add(label, "valid_from", "this id is already used by a feature whose "
                    "validity overlaps this one; give each state its own id")
                break
        else:
            if prior:
                add(label, "id", "is a duplicate: ids must be unique within the data")
        prior.append((start, end))

    _check_sources(props.get("sources"), label, add, present="sources" in props)
    _check_geometry(feature.get("geometry"), layer, label, add)


def _is_text(value: str) -> bool:
    """Whether ``value`` is valid Unicode (JSON allows lone surrogates; UTF-8 does not)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _holds_non_text(*values: Any) -> bool:
    """Whether any string in ``values`` (nested lists/dicts too) is not valid Unicode.

    Streamlit (protobuf) raises UnicodeEncodeError on such a string, so one bad
    character in a note would crash the dashboard for everyone. Walks iteratively:
    properties can be nested as deeply as the JSON parser allows.
    """
    stack = list(values)
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not _is_text(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _overlaps(a0, a1, b0, b1) -> bool:
    if a0 is None or b0 is None:
        return False
    far = dt.date.max
    return a0 < (b1 or far) and b0 < (a1 or far)


def _check_date(props, key, label, add, *, required: bool) -> dt.date | None:
    if key not in props:
        return None
    value = props[key]
    if value is None:
        if required:
            add(label, key, "is null; a start date is required")
        return None
    try:
        day = parse_date(value)
    except ValueError as exc:
        add(label, key, str(exc))
        return None
    # valid_to is exclusive, so it may be the day after the timeline's last day;
    # a feature starting after the last day would never be shown.
    last = TIMELINE_END + dt.timedelta(days=1) if key == "valid_to" else TIMELINE_END
    if not TIMELINE_START <= day <= last:
        add(label, key, f"is {day.isoformat()}, outside the timeline "
            f"{TIMELINE_START.isoformat()}..{last.isoformat()}")
        return None
    return day


def _check_sources(sources, label, add, *, present: bool) -> None:
    if not present:
        return
    if not isinstance(sources, list) or not sources:
        add(label, "sources", "must be a non-empty list of source objects")
        return
    for n, src in enumerate(sources):
        where = f"sources[{n}]"
        if not isinstance(src, dict):
            add(label, where, "is not an object")
            continue
        for key in SOURCE_FIELDS:
            if key not in src:
                add(label, f"{where}.{key}", "is missing")
        for key in ("claim_maker", "outlet"):
            if key in src and (not isinstance(src[key], str) or not src[key].strip()):
                add(label, f"{where}.{key}", "must be a non-empty string")
        if "date" in src:
            try:
                parse_date(src["date"])
            except ValueError as exc:
                add(label, f"{where}.date", str(exc))
        fig = src.get("figure")
        if fig is not None and not isinstance(fig, str | int | float):
            add(label, f"{where}.figure", "must be a string, a number or null")


def _iter_positions(coords: Any, depth: int) -> Iterable[Any]:
    if depth == 0:
        yield coords
        return
    if not isinstance(coords, list):
        raise TypeError
    for item in coords:
        yield from _iter_positions(item, depth - 1)


_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2,
          "Polygon": 2, "MultiPolygon": 3}


def _finite(number: int | float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large for a float: 1e400 written out in digits
        return False


def _check_geometry(geom, layer, label, add) -> None:  # noqa: C901 - one check per rule
    if not isinstance(geom, dict):
        add(label, "geometry", "is missing or null; every feature needs a geometry")
        return
    gtype = geom.get("type")
    allowed = _EVENT_TYPES if layer in EVENT_LAYERS else _AREA_TYPES
    if gtype not in allowed:
        add(label, "geometry.type", f"is {_short(gtype)}; layer {_short(layer)} takes "
            f"{' or '.join(allowed)}")
        return
    coords = geom.get("coordinates")
    try:
        positions = list(_iter_positions(coords, _DEPTH[gtype]))
    except TypeError:
        add(label, "geometry.coordinates", f"are not nested as a {gtype} requires")
        return
    if not positions:
        add(label, "geometry.coordinates", "are empty")
        return
    bad = False
    for pos in positions:
        if not isinstance(pos, list) or not all(
            isinstance(c, int | float) and not isinstance(c, bool) for c in pos
        ):
            add(label, "geometry.coordinates",
                f"position {_short(pos)} is not a list of numbers")
            return
        if len(pos) != 2:
            add(label, "geometry.coordinates", f"position {_short(pos)} has {len(pos)} "
                "values; use 2-D [lon, lat] (drop elevation)")
            return
        if not all(_finite(c) for c in pos):
            add(label, "geometry.coordinates", f"position {_short(pos)} is not finite "
                "(NaN/inf, or too large for a float)")
            return
        lon, lat = pos
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            add(label, "geometry.coordinates", f"position {_short(pos)} is out of range "
                "(lon -180..180, lat -90..90)")
            bad = True
            break
    if bad:
        return
    if gtype in _AREA_TYPES:
        rings = [coords] if gtype == "Polygon" else coords
        for poly in rings:
            if not poly:  # [] inside a MultiPolygon: shapely's shape() fails with IndexError
                add(label, "geometry.coordinates", "a polygon has no rings; remove it or "
                    "give it an exterior ring")
                return
            for ring in poly:
                if len(ring) < 4:
                    add(label, "geometry.coordinates", f"a ring has {len(ring)} positions; "
                        "a closed ring needs at least 4")
                    return
                if ring[0] != ring[-1]:
                    add(label, "geometry.coordinates", f"a ring is not closed: it starts at "
                        f"{ring[0]} and ends at {ring[-1]}; repeat the first position last")
                    return
    else:
        lines = {"LineString": [coords], "MultiLineString": coords}.get(gtype, [])
        for line in lines:
            if len(line) < 2:
                add(label, "geometry.coordinates", f"a line has {len(line)} position(s); "
                    "a LineString needs at least 2")
                return
    try:
        shp = shape(geom)
    except (shapely.errors.ShapelyError, ValueError, TypeError, IndexError) as exc:
        # Safety net: the checks above should leave nothing GEOS refuses to build.
        add(label, "geometry", f"cannot be built: {exc}")
        return
    if shp.is_empty:
        add(label, "geometry", "is empty")
        return
    if not shp.is_valid:
        add(label, "geometry", f"is invalid: {shapely.is_valid_reason(shp)}; repair it in "
            "the editor (or shapely.make_valid) and save again")
        return
    lon0, lat0, lon1, lat1 = STUDY_BBOX
    minx, miny, maxx, maxy = shp.bounds
    if not (lon0 <= minx and maxx <= lon1 and lat0 <= miny and maxy <= lat1):
        hint = ""
        if lon0 <= miny and maxy <= lon1 and lat0 <= minx and maxx <= lat1:
            hint = "; the coordinates look like [lat, lon]: GeoJSON is [lon, lat]"
        add(label, "geometry.coordinates", f"bounds ({minx:.3f}, {miny:.3f}, {maxx:.3f}, "
            f"{maxy:.3f}) fall outside the study area lon {lon0}..{lon1}, "
            f"lat {lat0}..{lat1}{hint}")
