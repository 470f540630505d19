"""The bad-layer corpus: every file fails with exactly the problems its manifest lists.

The corpus lives in tests/bad_layers/ (see its README.md); ``EXPECTED.json`` maps each
file to ``[feature_id, field, message substring]`` triples. Regenerate both with
``python tests/bad_layers/make_corpus.py``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from layers.errors import LayerValidationError, Problem
from layers.read import load_layer_dir, parse_layer_bytes, read_layer_file
from layers.schema import MAX_FILE_BYTES, REQUIRED_PROPERTIES

CORPUS = Path(__file__).parent / "bad_layers"
EXPECTED: dict[str, list[list]] = json.loads((CORPUS / "EXPECTED.json").read_text("utf-8"))


def _matches(problem: Problem, file: str, fid: str | None, field: str, text: str) -> bool:
    return (problem.file == file and problem.feature_id == fid and problem.field == field
            and text in problem.message)


def test_corpus_is_large_and_manifest_matches_files():
    on_disk = {p.name for p in CORPUS.glob("*.geojson")}
    assert len(on_disk) >= 30
    assert on_disk == set(EXPECTED)


def test_every_required_property_has_a_missing_and_a_mistyped_case():
    for key in REQUIRED_PROPERTIES:
        assert f"missing_{key}.geojson" in EXPECTED
        assert f"mistyped_{key}.geojson" in EXPECTED or key == "valid_to" and \
            "mistyped_valid_to.geojson" in EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_reports_exactly_the_expected_problems(name):
    with pytest.raises(LayerValidationError) as info:
        read_layer_file(CORPUS / name)
    problems = info.value.problems
    for fid, field, text in EXPECTED[name]:
        hits = [p for p in problems if _matches(p, name, fid, field, text)]
        assert hits, f"{name}: no problem ({fid!r}, {field!r}, ~{text!r}) in:\n{info.value}"
        # The message a user reads names the file, the feature and the field.
        shown = str(hits[0])
        assert name in shown
        assert f"field {field!r}" in shown
        assert ("(file)" if fid is None else repr(fid)) in shown
    # ... and nothing else: each stray problem would be noise in front of a user.
    assert len(problems) == len(EXPECTED[name]), str(info.value)
    assert len(str(info.value)) < 200 * 400, "messages must stay readable in size"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bytes_and_file_entry_points_agree(name):
    data = (CORPUS / name).read_bytes()
    with pytest.raises(LayerValidationError) as from_bytes:
        parse_layer_bytes(data, name)
    with pytest.raises(LayerValidationError) as from_file:
        read_layer_file(CORPUS / name)
    assert from_bytes.value.problems == from_file.value.problems


def test_several_problems_are_all_reported():
    name = "several_problems.geojson"
    with pytest.raises(LayerValidationError, match=r"8 problem\(s\) found") as info:
        read_layer_file(CORPUS / name)
    assert {p.feature_id for p in info.value.problems} == {None, "uh-a", "uh-b", "uh-c"}
    assert len({(p.feature_id, p.field) for p in info.value.problems}) == 8


def test_message_lists_every_problem_on_its_own_line():
    with pytest.raises(LayerValidationError) as info:
        read_layer_file(CORPUS / "several_problems.geojson")
    lines = str(info.value).splitlines()
    assert lines[0] == "8 problem(s) found:"
    assert lines[1:] == [f"  {p}" for p in info.value.problems]


def _big_file(path: Path, size: int) -> Path:
    # A syntactically valid collection padded with whitespace: the size check must come
    # before parsing, so the content does not matter.
    head = b'{"type": "FeatureCollection", "features": ['
    with path.open("wb") as fh:
        fh.write(head)
        fh.write(b" " * (size - len(head) - 2))
        fh.write(b"]}")
    return path


def test_file_far_too_large_is_refused_before_reading(tmp_path):
    path = _big_file(tmp_path / "huge.geojson", MAX_FILE_BYTES + 1024)
    with pytest.raises(LayerValidationError, match=r"the limit is 20,971,520 bytes") as info:
        read_layer_file(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.feature_id, problem.field) == ("huge.geojson", None, "size")
    assert "split the file" in problem.message


def test_too_large_bytes_are_refused(tmp_path):
    data = _big_file(tmp_path / "big.geojson", 5000).read_bytes()
    with pytest.raises(LayerValidationError, match=r"is 5,000 bytes; the limit is 4,000"):
        parse_layer_bytes(data, "big.geojson", max_bytes=4000)
    assert parse_layer_bytes(data, "big.geojson").empty


def test_too_large_file_in_a_folder_does_not_stop_the_others(tmp_path):
    _big_file(tmp_path / "huge.geojson", MAX_FILE_BYTES + 1)
    good = json.loads((CORPUS / "missing_notes.geojson").read_text("utf-8"))
    good["features"][0]["properties"]["notes"] = ""
    (tmp_path / "good.geojson").write_text(json.dumps(good), "utf-8")
    result = load_layer_dir(tmp_path)
    assert result.files_loaded == ["good.geojson"]
    assert result.files_failed == ["huge.geojson"]
    assert [p.field for p in result.problems] == ["size"]
    assert list(result.frame["id"]) == ["uh-0001"]


def test_unreadable_path_is_a_validation_error(tmp_path):
    (tmp_path / "dir.geojson").mkdir()
    with pytest.raises(LayerValidationError, match=re.escape("dir.geojson: (file): field 'file'")):
        read_layer_file(tmp_path / "dir.geojson")
    with pytest.raises(LayerValidationError, match="cannot be read"):
        read_layer_file(tmp_path / "absent.geojson")


@pytest.mark.timeout(30)
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)  # nobody writes to it: reading it would block forever
    with pytest.raises(LayerValidationError, match="not a regular file") as info:
        read_layer_file(fifo)
    assert info.value.problems[0].field == "file"
    result = load_layer_dir(tmp_path)
    assert result.files_failed == ["pipe.geojson"]


def test_a_file_name_that_is_not_utf8_is_reported_displayably(tmp_path):
    raw = os.fsencode(tmp_path) + b"/bad-\xff.geojson"
    with open(raw, "wb") as fh:
        fh.write((CORPUS / "bowtie.geojson").read_bytes())
    result = load_layer_dir(tmp_path)
    assert result.files_failed == ["bad-\ufffd.geojson"]
    for p in result.problems:
        str(p).encode("utf-8")  # Streamlit can send it
    assert result.problems[0].file == "bad-\ufffd.geojson"


def test_a_file_of_many_bad_features_stops_at_the_problem_cap():
    data = b'{"type": "FeatureCollection", "features": [' + b",".join([b"{}"] * 100_000) + b"]}"
    with pytest.raises(LayerValidationError) as info:
        parse_layer_bytes(data, "many.geojson")
    problems = info.value.problems
    assert len(problems) == 201
    assert problems[-1].field == "features"
    assert "checking stopped after feature #199 of 100000" in problems[-1].message


def test_the_check_can_actually_fail():
    # A corpus file repaired by hand loads: the corpus tests are not passing vacuously.
    doc = json.loads((CORPUS / "unknown_status.geojson").read_text("utf-8"))
    doc["features"][0]["properties"]["status"] = "held"
    frame = parse_layer_bytes(json.dumps(doc).encode(), "fixed.geojson")
    assert list(frame["status"]) == ["held"]
