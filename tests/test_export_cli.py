"""``frontline export`` (issue 5): help, every format, clear errors, path safety."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import export_fixtures as fx
import geopandas as gpd
import pytest
from PIL import Image

from frontline_cli.main import main
from layers import default_paths
from views.timeline_data import payload_of_js

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A data folder with the synthetic layers, a claims table and the shipped base."""
    root = tmp_path_factory.mktemp("data")
    (root / "layers").mkdir()
    (root / "layers" / "synthetic.geojson").write_bytes(fx.collection_bytes())
    (root / "claims.csv").write_text(fx.CLAIMS_CSV)
    shutil.copytree(default_paths().base, root / "base")
    return root


def _run(capsys, *argv):
    status = main(["export", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_help_lists_formats_and_examples():
    proc = subprocess.run([sys.executable, "-m", "frontline_cli", "export", "--help"],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert proc.returncode == 0
    for word in ("--date", "--format", "--out", "--from", "--to", "--width", "--dpi",
                 "--layers", "png", "gpkg", "gif", "frontline export --date 2025-02-15"):
        assert word in proc.stdout


@pytest.mark.parametrize("fmt,check", [
    ("png", lambda p: Image.open(p).size == (800, 500)),
    ("svg", lambda p: p.read_bytes().startswith(b"<?xml")),
    ("pdf", lambda p: p.read_bytes().startswith(b"%PDF")),
    ("geojson", lambda p: len(json.loads(p.read_text())["features"]) == 3),
    ("gpkg", lambda p: "ukrainian_held" in list(gpd.list_layers(p)["name"])),
    ("html", lambda p: b"L.map(" in p.read_bytes()),
])
def test_each_dated_format(capsys, data_dir, tmp_path, fmt, check):
    status, out, err = _run(capsys, "--date", fx.HELD_DAY, "--format", fmt, "--out",
                            str(tmp_path), "--data", str(data_dir), "--width", "800",
                            "--height", "500", "--dpi", "100")
    assert status == 0, err
    path = Path(out.strip())
    assert path == (tmp_path / f"frontline_{fx.HELD_DAY}.{fmt}").resolve()
    assert check(path)


def test_csv_writes_area_table_and_claims(capsys, data_dir, tmp_path):
    status, out, err = _run(capsys, "--format", "csv", "--out", str(tmp_path), "--data",
                            str(data_dir))
    assert status == 0, err
    names = sorted(Path(line).name for line in out.split())
    assert names == ["frontline_area_table.csv", "frontline_claims_check.csv"]
    assert (tmp_path / "frontline_claims_check.csv").read_text().startswith(
        "claim,figure_text,map_text,difference_text,verdict,")


def test_gif_with_range_and_progress_bar(capsys, data_dir, tmp_path):
    status, out, err = _run(capsys, "--format", "gif", "--from", "2025-02-01", "--to",
                            "2025-03-31", "--out", str(tmp_path), "--data", str(data_dir),
                            "--width", "400", "--height", "300", "--dpi", "72")
    assert status == 0, err
    path = Path(out.strip())
    assert path.name == "frontline_2025-02-01_2025-03-31.gif"
    img = Image.open(path)
    frames = json.loads(img.info["comment"])["frames"]
    assert frames == ["2025-02-01", "2025-02-10", "2025-03-01", "2025-03-13", "2025-03-20"]
    assert img.n_frames == len(frames)
    assert f"{len(frames)}/{len(frames)}" in err and "[" in err  # the progress bar


def test_custom_name_and_layers(capsys, data_dir, tmp_path):
    status, out, err = _run(capsys, "--date", "2025-03-05", "--format", "geojson", "--layers",
                            "contested,russian_claimed", "--name", "two.geojson", "--out",
                            str(tmp_path), "--data", str(data_dir))
    assert status == 0, err
    doc = json.loads((tmp_path / "two.geojson").read_text())
    assert {f["properties"]["layer"] for f in doc["features"]} == {"contested",
                                                                     "russian_claimed"}


@pytest.mark.parametrize("date,match", [
    ("2025-2-15", "not a date in YYYY-MM-DD form"),
    ("15/02/2025", "not a date in YYYY-MM-DD form"),
    ("2025-02-30", "not a real date"),
    ("2024-08-05", "outside the timeline 2024-08-06..2025-08-31"),
    ("2025-09-01", "outside the timeline"),
])
def test_bad_date(capsys, date, match, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["export", "--date", date, "--format", "png", "--out", str(tmp_path)])
    assert exc.value.code == 2
    assert match in capsys.readouterr().err


def test_bad_format(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["export", "--date", "2025-02-15", "--format", "bmp", "--out", str(tmp_path)])
    assert exc.value.code == 2
    assert "invalid choice: 'bmp'" in capsys.readouterr().err


@pytest.mark.parametrize("argv,match", [
    (["--width", "50"], "out of range"),
    (["--dpi", "abc"], "not a number"),
    (["--layers", "ukrainian_held,nope"], "unknown layer"),
])
def test_bad_options(capsys, tmp_path, argv, match):
    with pytest.raises(SystemExit) as exc:
        main(["export", "--date", "2025-02-15", "--format", "png", "--out", str(tmp_path),
              *argv])
    assert exc.value.code == 2
    assert match in capsys.readouterr().err


@pytest.mark.parametrize("argv,match", [
    (["--format", "png"], "needs --date"),
    (["--format", "png", "--date", "2025-02-15", "--from", "2025-01-01"], "gif and mp4 only"),
    (["--format", "gif", "--from", "2025-03-01", "--to", "2025-01-01"], "is before --from"),
    (["--format", "csv", "--name", "x.csv"], "does not apply to csv"),
])
def test_inconsistent_arguments(capsys, tmp_path, argv, match):
    status, _, err = _run(capsys, *argv, "--out", str(tmp_path))
    assert status == 2
    assert match in err


@pytest.mark.parametrize("name", ["../escape.png", "/tmp/abs.png", "sub/x.png"])
def test_name_escaping_out_is_refused(capsys, data_dir, tmp_path, name):
    out = tmp_path / "out"
    status, _, err = _run(capsys, "--date", fx.HELD_DAY, "--format", "png", "--out", str(out),
                          "--name", name, "--data", str(data_dir))
    assert status == 2
    assert "plain file name" in err
    assert not (tmp_path / "escape.png").exists()


def test_symlink_pointing_out_is_refused(capsys, data_dir, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "outside.geojson"
    (out / f"frontline_{fx.HELD_DAY}.geojson").symlink_to(target)
    status, _, err = _run(capsys, "--date", fx.HELD_DAY, "--format", "geojson", "--out",
                          str(out), "--data", str(data_dir))
    assert status == 2
    assert "symlink pointing outside" in err
    assert not target.exists()


def test_refuses_to_write_into_data(capsys):
    before = {p: p.stat().st_mtime_ns for p in default_paths().base.rglob("*")}
    for out in (default_paths().layers.parent, default_paths().base,
                default_paths().layers / ".." / "base"):
        status, _, err = _run(capsys, "--date", "2025-02-15", "--format", "geojson", "--out",
                              str(out))
        assert status == 2
        assert "refusing to write into the data folder" in err
    after = {p: p.stat().st_mtime_ns for p in default_paths().base.rglob("*")}
    assert before == after


def test_out_that_is_a_file(capsys, tmp_path):
    (tmp_path / "f").write_text("x")
    status, _, err = _run(capsys, "--date", "2025-02-15", "--format", "png", "--out",
                          str(tmp_path / "f"))
    assert status == 2
    assert "is not a folder" in err


def test_unwritable_out(capsys, data_dir, tmp_path):
    if os.geteuid() == 0:  # root writes anywhere: use a path under a file instead
        (tmp_path / "file").write_text("x")
        out = tmp_path / "file" / "sub"
    else:
        out = tmp_path / "ro"
        out.mkdir(mode=0o500)
    status, _, err = _run(capsys, "--date", fx.HELD_DAY, "--format", "geojson", "--out",
                          str(out), "--data", str(data_dir))
    assert status == 1
    assert "cannot write" in err


def test_bad_data_folder_is_a_failure(capsys, tmp_path):
    (tmp_path / "layers").mkdir()
    (tmp_path / "layers" / "bad.geojson").write_text("{not json")
    status, _, err = _run(capsys, "--date", fx.HELD_DAY, "--format", "geojson", "--out",
                          str(tmp_path / "o"), "--data", str(tmp_path))
    assert status == 1
    assert "not valid JSON" in err and "frontline validate" in err


def test_mp4_needs_ffmpeg_or_works(capsys, data_dir, tmp_path, monkeypatch):
    from views import exporters

    if exporters.mp4_available():
        status, out, err = _run(capsys, "--format", "mp4", "--from", "2025-03-01", "--to",
                                "2025-03-20", "--out", str(tmp_path), "--data",
                                str(data_dir), "--width", "400", "--height", "300", "-q")
        assert status == 0, err
        assert Path(out.strip()).read_bytes()[4:8] == b"ftyp"
    monkeypatch.setattr(exporters, "mp4_available", lambda: False)
    status, _, err = _run(capsys, "--format", "mp4", "--out", str(tmp_path), "--data",
                          str(data_dir))
    assert status == 2
    assert "imageio-ffmpeg" in err


@pytest.mark.parametrize("bbox", ["34.9,51.0,35.6,51.4", "35.1, 51.1, 35.3, 51.3"])
def test_bbox_sets_the_png_extent(capsys, data_dir, tmp_path, bbox):
    status, out, err = _run(capsys, "--date", fx.HELD_DAY, "--format", "png", "--bbox", bbox,
                            "--out", str(tmp_path), "--data", str(data_dir), "--width", "800",
                            "--height", "500", "--dpi", "72")
    assert status == 0, err
    want = [float(v) for v in bbox.split(",")]
    shown = [float(v) for v in Image.open(out.strip()).info["Extent"].split(",")]
    # The box is inside the extent, and the extent's tight side is the box's.
    assert shown[0] <= want[0] + 1e-4 and shown[1] <= want[1] + 1e-4
    assert shown[2] >= want[2] - 1e-4 and shown[3] >= want[3] - 1e-4
    assert (abs((shown[2] - shown[0]) - (want[2] - want[0])) < 0.01
            or abs((shown[3] - shown[1]) - (want[3] - want[1])) < 0.01)


def test_bbox_selects_geojson_features(capsys, data_dir, tmp_path):
    status, out, err = _run(capsys, "--date", fx.HELD_DAY, "--format", "geojson", "--bbox",
                            "34.9,51.2,35.0,51.3", "--out", str(tmp_path), "--data",
                            str(data_dir))
    assert status == 0, err
    doc = json.loads(Path(out.strip()).read_text())
    assert [f["properties"]["id"] for f in doc["features"]] == ["ct-1"]
    assert doc["view_bbox"] == [34.9, 51.2, 35.0, 51.3]


@pytest.mark.parametrize("value,match", [
    ("34.5,51.0,35.5", "is not four comma-separated numbers lon_min,lat_min,lon_max,lat_max"),
    ("a,b,c,d", "is not four comma-separated numbers"),
    ("34.5;51.0;35.5;51.5", "is not four comma-separated numbers"),
    ("35.5,51.0,34.5,51.5", "lon_min 35.5 must be less than lon_max 34.5"),
    ("34.5,51.5,35.5,51.0", "lat_min 51.5 must be less than lat_max 51"),
    ("51.0,34.5,51.5,35.5", "looks like lat,lon order: give lon_min,lat_min,lon_max,lat_max, "
                            "i.e. 34.5,51.0,35.5,51.5"),
    ("20,40,25,45", "outside the mapped region: keep longitudes in 30.5..40.5 and latitudes "
                    "in 48.8..53.7"),
    ("34.5,51.0,inf,51.5", "four finite numbers"),
])
def test_bad_bbox(capsys, tmp_path, value, match):
    with pytest.raises(SystemExit) as exc:
        main(["export", "--date", "2025-02-15", "--format", "png", "--out", str(tmp_path),
              "--bbox", value])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --bbox" in err and repr(value) in err  # names the option and the value
    assert match in err


def test_timeline_html_is_one_offline_file_with_every_state(capsys, data_dir, tmp_path):
    code, out, err = _run(capsys, "--format", "html", "--timeline", "--data",
                          str(data_dir), "--out", str(tmp_path), "-q")
    assert code == 0, err
    path = Path(out.strip().splitlines()[-1])
    page = path.read_text(encoding="utf-8")
    assert path.name == "frontline_timeline.html"
    assert "window.FL_TIMELINE=" in page and "FLTimeline.mount" in page
    payload = payload_of_js(page)
    assert len(payload["changes"]) >= 2 and payload["fcs"]
    assert "<script src=" not in page and "<link rel=\"stylesheet\" href=" not in page
    assert "OpenStreetMap" in page and "<title>" in page


@pytest.mark.parametrize("argv, words", [
    (["--format", "png", "--timeline"], "--timeline applies to --format html only"),
    (["--format", "html", "--timeline", "--bbox", "34.5,51,35.5,51.5"], "--bbox"),
])
def test_timeline_refuses_what_it_cannot_do(capsys, data_dir, argv, words):
    code, _, err = _run(capsys, *argv, "--data", str(data_dir))
    assert code == 2 and words in err
