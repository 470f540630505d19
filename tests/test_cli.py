"""The ``frontline`` console command: validate, areas, check, claims."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from frontline_cli.main import main

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ROOT / "data" / "layers"


def _feature(fid="f1", **props):
    base = {
        "id": fid, "layer": "ukrainian_held", "valid_from": "2024-08-10", "valid_to": None,
        "status": "held", "confidence": "medium", "notes": "test",
        "sources": [{"claim_maker": "Test", "outlet": "unit test", "date": "2024-08-10",
                     "figure": None}],
    }
    base.update(props)
    return {"type": "Feature", "properties": base, "geometry": {
        "type": "Polygon",
        "coordinates": [[[35.1, 51.1], [35.3, 51.1], [35.3, 51.3], [35.1, 51.3], [35.1, 51.1]]],
    }}


def _write(path: Path, features) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_validate_shipped_data_is_clean(capsys):
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == ""


def test_validate_reports_one_line_per_problem_and_exits_1(tmp_path, capsys):
    _write(tmp_path / "good.geojson", [_feature("a")])
    _write(tmp_path / "bad.geojson", [
        _feature("b", status="occupied"),
        _feature("c", valid_from="2024-13-01", layer="nope"),
    ])
    assert main(["validate", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert "bad.geojson: feature 'b': field 'status': is 'occupied'" in lines[0]
    assert any("feature 'c': field 'layer'" in line for line in lines)
    assert any("feature 'c': field 'valid_from'" in line for line in lines)


def test_validate_missing_directory_is_a_usage_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "no such directory" in capsys.readouterr().err


def test_validate_empty_directory_fails(tmp_path, capsys):
    assert main(["validate", str(tmp_path)]) == 1
    assert "no *.geojson" in capsys.readouterr().err


def test_areas_prints_the_area_table_as_csv(capsys):
    assert main(["areas"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == ["date", "layer", "status", "area_km2"]
    layers = {r["layer"] for r in rows}
    assert {"ukrainian_held", "sudzha_pocket", "sumy_security_zone"} <= layers
    assert all(float(r["area_km2"]) >= 0 for r in rows)


def test_areas_with_claims_adds_change_and_nearest_claim(capsys):
    assert main(["areas", "--claims"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert {"change_km2", "claim_km2", "claim_diff_km2"} <= set(header)


def test_check_prints_every_check_and_fails_exactly_where_the_facts_fall_short(capsys):
    from test_published_figures import FACTS_FALL_SHORT

    code = main(["check"])
    out = capsys.readouterr().out
    failed = {line.split()[1] for line in out.splitlines() if line.startswith("FAIL")}
    assert failed == set(FACTS_FALL_SHORT)
    assert code == (1 if failed else 0)
    assert out.strip().splitlines()[-1].endswith(f"{len(failed)} failed")


def test_check_fails_when_a_figure_is_wrong(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    # Shrink every ukrainian_held polygon to a tiny square: the 1,300 km² check must fail.
    path = data / "layers" / "ukrainian_held.geojson"
    doc = json.loads(path.read_text())
    for feat in doc["features"]:
        feat["geometry"] = _feature()["geometry"]
        feat["geometry"]["coordinates"] = [[[35.2, 51.2], [35.21, 51.2], [35.21, 51.21],
                                            [35.2, 51.21], [35.2, 51.2]]]
    path.write_text(json.dumps(doc))
    assert main(["check", "--data", str(data)]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_claims_table_has_computed_values(capsys):
    assert main(["claims"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0])[:5] == ["claim", "figure_text", "map_text", "difference_text",
                                 "verdict"]
    by_id = {r["claim_id"]: r for r in rows}
    assert by_id["gerasimov-20250312-5days"]["quantity"] == "lost_in_window"
    assert by_id["reuters-20241123-peak"]["quantity"] == "peak_area"
    assert by_id["rumod-20250117-share"]["unit"] == "percent"
    assert all(r["map_value"] for r in rows if r["quantity"] != "context")


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("frontline")
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    assert "validate" in out.stdout and "areas" in out.stdout


@pytest.mark.parametrize("argv", [[], ["nonsense"]])
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
