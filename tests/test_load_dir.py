"""Loading a folder: one bad file never stops the good ones, and nothing on disk changes.

Runs against a copy of whatever ``data/`` holds right now (layer files are still being
digitised), plus files this test adds, so it needs no particular data to exist.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from layers import Timeline, default_paths, load_layer_dir, read_base, read_claims
from layers.errors import LayerValidationError
from layers.paths import DATA_DIR
from layers.read import read_layer_file

CORPUS = Path(__file__).parent / "bad_layers"
SQUARE = [[35.20, 51.15], [35.30, 51.15], [35.30, 51.22], [35.20, 51.22], [35.20, 51.15]]


def _feature(fid: str, layer: str = "ukrainian_held", **props) -> dict:
    return {
        "type": "Feature",
        "properties": {
            "id": fid, "layer": layer, "valid_from": "2024-08-12", "valid_to": None,
            "status": "held", "confidence": "medium", "notes": "added by test_load_dir",
            "sources": [{"claim_maker": "test", "outlet": "test", "date": "2024-08-12",
                         "figure": None}],
            **props,
        },
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }


def _write(path: Path, *features: dict) -> None:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}),
                    encoding="utf-8")


def snapshot(root: Path) -> dict[str, tuple]:
    """Everything observable about a tree: listing, types, sizes, mtimes, modes, hashes."""
    state: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            st = path.lstat()
            digest = None
            if path.is_file() and not path.is_symlink():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[str(path.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    st = root.stat()
    state["."] = (st.st_mode, st.st_mtime_ns)
    return state


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root, symlinks=True)
    (root / "layers").mkdir(exist_ok=True)
    return root


def _good_alone(layers_dir: Path) -> list[str]:
    good = []
    for path in sorted(layers_dir.glob("*.geojson")):
        try:
            read_layer_file(path)
        except LayerValidationError:
            continue
        good.append(path.name)
    return good


def test_one_bad_file_does_not_stop_the_good_ones(data_copy: Path):
    layers_dir = data_copy / "layers"
    shipped_good = _good_alone(layers_dir)
    shipped_ids = set(load_layer_dir(layers_dir).frame["id"])
    _write(layers_dir / "zz_test_good.geojson", _feature("zz-test-good-1"),
           _feature("zz-test-good-2", layer="contested", status="contested"))
    shutil.copy(CORPUS / "several_problems.geojson", layers_dir / "zz_test_bad.geojson")
    shutil.copy(CORPUS / "broken_json.geojson", layers_dir / "zz_test_broken.geojson")

    result = load_layer_dir(layers_dir)

    assert set(shipped_good) <= set(result.files_loaded)
    assert "zz_test_good.geojson" in result.files_loaded
    assert {"zz_test_bad.geojson", "zz_test_broken.geojson"} <= set(result.files_failed)
    assert not set(result.files_loaded) & set(result.files_failed)
    ids = set(result.frame["id"])
    assert {"zz-test-good-1", "zz-test-good-2"} <= ids
    assert shipped_ids <= ids
    bad = [p for p in result.problems if p.file == "zz_test_bad.geojson"]
    assert len(bad) == 8  # every problem of the bad file, not just the first
    assert {p.feature_id for p in bad} == {None, "uh-a", "uh-b", "uh-c"}
    broken = [p for p in result.problems if p.file == "zz_test_broken.geojson"]
    assert [p.field for p in broken] == ["json"]
    # The frame is usable downstream.
    tl = Timeline(result.frame)
    assert {"ukrainian_held", "contested"} <= set(tl.layers)
    assert len(tl.state("ukrainian_held", "2024-09-01")) >= 1


def test_duplicate_id_across_files_keeps_the_first_and_reports_the_second(tmp_path: Path):
    _write(tmp_path / "a.geojson", _feature("dup-1"), _feature("a-2", layer="contested"))
    _write(tmp_path / "b.geojson", _feature("dup-1", notes="second"), _feature("b-2"))
    result = load_layer_dir(tmp_path)
    assert result.files_loaded == ["a.geojson", "b.geojson"]
    assert sorted(result.frame["id"]) == ["a-2", "b-2", "dup-1"]
    assert result.frame.set_index("id").loc["dup-1", "file"] == "a.geojson"
    (problem,) = result.problems
    assert (problem.file, problem.feature_id, problem.field) == ("b.geojson", "dup-1", "id")
    assert "duplicate of the feature in a.geojson" in problem.message


def test_a_folder_of_only_bad_files_gives_an_empty_frame(tmp_path: Path):
    for name in ("bowtie.geojson", "empty_file.geojson", "utf16.geojson"):
        shutil.copy(CORPUS / name, tmp_path / name)
    result = load_layer_dir(tmp_path)
    assert result.frame.empty
    assert result.files_loaded == []
    assert result.files_failed == ["bowtie.geojson", "empty_file.geojson", "utf16.geojson"]
    assert len(result.problems) == 3


def test_missing_folder_is_a_problem_not_a_crash(tmp_path: Path):
    result = load_layer_dir(tmp_path / "nope")
    assert result.frame.empty
    assert [p.field for p in result.problems] == ["directory"]


def test_loading_changes_nothing_on_disk(data_copy: Path):
    layers_dir = data_copy / "layers"
    _write(layers_dir / "zz_test_good.geojson", _feature("zz-test-good-1"))
    for name in ("several_problems.geojson", "non_utf8_latin1.geojson", "deeply_nested.geojson"):
        shutil.copy(CORPUS / name, layers_dir / f"zz_{name}")
    (layers_dir / "zz_dir.geojson").mkdir()  # unreadable "file": a directory
    before = snapshot(data_copy)

    paths = default_paths(data_copy)
    for _ in range(2):  # twice: a cache written on first load would show on the second
        result = load_layer_dir(paths.layers)
        Timeline(result.frame)
        if paths.claims.exists():
            read_claims(paths.claims)
        if (paths.base / "gazetteer.csv").exists():
            read_base(paths.base)

    assert "zz_test_good.geojson" in result.files_loaded
    after = snapshot(data_copy)
    assert sorted(after) == sorted(before), "files appeared or vanished"
    changed = [k for k in before if before[k] != after[k]]
    assert not changed, f"loading changed {changed}"


def test_the_snapshot_can_actually_fail(data_copy: Path):
    before = snapshot(data_copy)
    target = data_copy / "layers" / "zz_touch.geojson"
    _write(target, _feature("t-1"))
    assert snapshot(data_copy) != before
    before = snapshot(data_copy)
    _write(target, _feature("t-2"))  # same size, different content
    after = snapshot(data_copy)
    assert after["layers/zz_touch.geojson"][3] != before["layers/zz_touch.geojson"][3]


def test_loaded_properties_are_independent_of_the_file(tmp_path: Path):
    feat = _feature("p-1")
    original = copy.deepcopy(feat)
    _write(tmp_path / "p.geojson", feat)
    frame = load_layer_dir(tmp_path).frame
    frame.at[0, "sources"][0]["outlet"] = "mutated in memory"
    assert json.loads((tmp_path / "p.geojson").read_text())["features"][0] == original
