"""Hostile strings are data: the loader keeps them byte for byte and never rejects them.

Escaping is the job of whatever displays them (the map builder, exporters, the app);
those are tested on the browser side. Here: a value like ``<img src=x onerror=...>``
loads unchanged, in every text field, and the validator's messages do not choke on it.
"""

from __future__ import annotations

import json

import pytest

from layers.errors import LayerValidationError
from layers.read import parse_layer_bytes

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "{{7*7}}",
    "${7*7}",
    "{% raw %}{{ config }}{% endraw %}",
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "\" onmouseover=\"alert(1)",
    "'; DROP TABLE layers; --",
    "../../../../etc/passwd",
    "\u202eevil\u202c",  # right-to-left override
    "zero\u200bwidth",
    "null\x00byte",
    "line\nbreak\r\nand\ttab",
    "emoji 🇺🇦🇷🇺 and 𝕦𝕟𝕚𝕔𝕠𝕕𝕖",
    "%s%s%s%n",
    "\\u003cscript\\u003e",
    "<!--",
    "]]>",
    "a" * 4000,  # exactly the length limit
]
SQUARE = [[35.20, 51.15], [35.30, 51.15], [35.30, 51.22], [35.20, 51.22], [35.20, 51.15]]


def _doc(**props) -> dict:
    base = {
        "id": "uh-x", "layer": "ukrainian_held", "valid_from": "2024-08-12", "valid_to": None,
        "status": "held", "confidence": "low", "notes": "",
        "sources": [{"claim_maker": "c", "outlet": "o", "date": "2024-08-12", "figure": None}],
    }
    base.update(props)
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": base,
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}]}


def _load(doc: dict, *, ascii_json: bool):
    data = json.dumps(doc, ensure_ascii=ascii_json).encode("utf-8", "surrogatepass")
    return parse_layer_bytes(data, "hostile.geojson")


@pytest.mark.parametrize("ascii_json", [True, False], ids=["escaped", "raw"])
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_string_loads_unchanged(value, ascii_json):
    source = {"claim_maker": value, "outlet": value, "date": "2024-08-12", "figure": value,
              "url": value}
    frame = _load(_doc(id=value[:200], notes=value, name=value, sources=[source]),
                  ascii_json=ascii_json)
    row = frame.iloc[0]
    assert row["id"] == value[:200]
    assert row["notes"] == value
    assert row["name"] == value
    assert row["sources"] == [source]


@pytest.mark.parametrize("value", HOSTILE[:6])
def test_hostile_string_in_an_event_kind_is_rejected_as_a_value_not_a_crash(value):
    doc = _doc(layer="events", kind=value)
    doc["features"][0]["geometry"] = {"type": "Point", "coordinates": [35.25, 51.19]}
    with pytest.raises(LayerValidationError, match="an event needs one of") as info:
        _load(doc, ascii_json=True)
    (problem,) = info.value.problems
    assert problem.field == "kind"
    assert repr(value)[:60] in problem.message  # shown as a Python repr: quoted, escaped


@pytest.mark.parametrize("value", HOSTILE[:3])
def test_hostile_layer_name_is_quoted_in_the_message(value):
    with pytest.raises(LayerValidationError, match="expected one of") as info:
        _load(_doc(layer=value), ascii_json=True)
    assert repr(value) in str(info.value)


def test_over_long_hostile_string_is_reported_with_its_length_not_its_content():
    value = "<script>" * 1000
    with pytest.raises(LayerValidationError, match="8000 characters long") as info:
        _load(_doc(notes=value), ascii_json=True)
    assert "<script>" not in str(info.value)


def test_html_entities_are_not_decoded():
    frame = _load(_doc(notes="&lt;b&gt; &amp; &#x3C;"), ascii_json=True)
    assert frame.iloc[0]["notes"] == "&lt;b&gt; &amp; &#x3C;"


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud83d"])
@pytest.mark.parametrize("where", ["notes", "name", "id", "key"])
def test_lone_surrogate_is_refused_and_every_message_is_displayable(escape, where):
    # JSON may spell a lone surrogate; it is not Unicode, and Streamlit (protobuf) raises
    # UnicodeEncodeError on it, so loading it would crash the dashboard for everyone.
    doc = json.dumps(_doc(**{"notes": "MARK"} if where == "notes" else
                          {"name": "MARK"} if where == "name" else
                          {"id": "MARK"} if where == "id" else {"MARK": 1}))
    data = doc.replace("MARK", f"x{escape}y").encode("ascii")
    with pytest.raises(LayerValidationError, match="lone UTF-16 surrogate") as info:
        parse_layer_bytes(data, "hostile.geojson")
    str(info.value).encode("utf-8")  # the whole report can be shown
    for p in info.value.problems:
        for part in (p.file, p.feature_id or "", p.field, p.message):
            part.encode("utf-8")


def test_paired_surrogates_are_ordinary_text():
    data = json.dumps(_doc(notes="flag 🇺🇦 and 𝕦")).encode("ascii")  # escaped as pairs
    assert b"\\ud83c" in data
    assert parse_layer_bytes(data, "ok.geojson").iloc[0]["notes"] == "flag 🇺🇦 and 𝕦"
