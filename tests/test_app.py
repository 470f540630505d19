"""The dashboard under streamlit's AppTest: runs on every kind of date, figures equal geo/'s."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.measurement import geodesic_area_km2
from layers import Timeline, default_paths, load_layer_dir

APP = str(Path(__file__).parents[1] / "streamlit_app.py")


@pytest.fixture(autouse=True)
def data_env(dashboard_data_dir, monkeypatch):
    monkeypatch.setenv("FRONTLINE_DATA_DIR", str(dashboard_data_dir))
    return dashboard_data_dir


@pytest.fixture(scope="module")
def timeline(dashboard_data_dir):
    return Timeline(load_layer_dir(default_paths(dashboard_data_dir).layers).frame)


def _app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def _dates(tl: Timeline) -> list[dt.date]:
    dates = tl.change_dates()
    step = max(1, len(dates) // 4)
    return sorted({dates[0], *dates[step:-1:step], dates[-1], tl.end})


def test_runs_on_first_last_and_middle_dates(timeline):
    for day in _dates(timeline):
        at = _app(date=day.isoformat())
        assert at.query_params["date"] == day.isoformat()
        assert any(day.strftime("%d %B %Y") in h.value for h in at.subheader)


def test_panel_figures_equal_geo(timeline):
    dates = timeline.change_dates()
    for day in (dates[len(dates) // 2], dates[-1] - dt.timedelta(days=1)):
        at = _app(date=day.isoformat())
        area_layers = [x for x in timeline.layers if x in timeline.area_layers]
        shown = [m.value for m in at.metric]
        held, cont = (timeline.geometry(x, day) for x in ("ukrainian_held", "contested"))
        expected = [f"{geodesic_area_km2(held.union(cont)):,.1f} km²"]  # Kyiv's quantity
        expected += [f"{geodesic_area_km2(timeline.geometry(layer, day)):,.1f} km²"
                     for layer in area_layers]
        assert shown == expected
        assert at.metric[0].label == "**Held + contested (Kursk oblast)**"


def test_query_string_round_trips(timeline):
    day = timeline.change_dates()[len(timeline.change_dates()) // 3]
    layers = [x for x in timeline.layers if x in timeline.area_layers][:1] + ["events"]
    layers = [x for x in layers if timeline.has_layer(x)]
    at = _app(date=day.isoformat(), layers=",".join(layers), lat="51.3", lon="35.2",
              zoom="10")
    assert at.multiselect(key="layers").value == layers
    kursk = bool({"ukrainian_held", "contested"} & set(layers))
    assert len(at.metric) == len([x for x in layers if x in timeline.area_layers]) + kursk
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["date"] == day.isoformat()
    assert params["layers"] == ",".join(layers)
    assert (params["lat"], params["lon"], params["zoom"]) == ("51.3000", "35.2000", "10")
    again = _app(**params)
    assert {k: again.query_params[k] for k in again.query_params} == params
    assert [m.value for m in again.metric] == [m.value for m in at.metric]


def test_bad_date_in_link_is_reported_not_fatal():
    at = _app(date="2024-13-45")
    assert any("2024-13-45" in w.value for w in at.warning)


def test_stepping_and_slider(timeline):
    options = sorted(set(timeline.change_dates()) | {timeline.start})
    day = options[len(options) // 2]
    at = _app(date=day.isoformat())
    at.button[2].click().run()  # day ▶
    assert not at.exception
    assert at.query_params["date"] == (day + dt.timedelta(days=1)).isoformat()
    at.button[3].click().run()  # change »
    assert not at.exception
    nxt = [d for d in options if d > day + dt.timedelta(days=1)][0]
    assert at.query_params["date"] == nxt.isoformat()
    at.select_slider(key="snap").set_value(options[1]).run()
    assert not at.exception
    assert at.query_params["date"] == options[1].isoformat()
    at.button(key="play").click().run()
    assert not at.exception
    assert "Pause" in at.button(key="play").label


def test_bad_file_is_listed_and_good_layers_still_load(dashboard_data_dir, tmp_path,
                                                       monkeypatch, timeline):
    data = tmp_path / "data"
    shutil.copytree(dashboard_data_dir, data)
    (data / "layers" / "broken.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"id": "b-1", "layer": "contested", "status": "nope"}, "geometry": null}]}')
    monkeypatch.setenv("FRONTLINE_DATA_DIR", str(data))
    at = _app(date=timeline.change_dates()[-1].isoformat())
    text = " ".join(e.value for e in at.error)
    assert "broken.geojson" in text and "b-1" in text and "status" in text
    assert len(at.metric) == len(timeline.area_layers) + 1  # + held and contested


@pytest.mark.parametrize("fmt", ["geojson", "png", "csv"])
def test_export_section_builds_the_selected_date(timeline, fmt):
    import io
    import json

    from PIL import Image

    day = timeline.change_dates()[len(timeline.change_dates()) // 2]
    at = _app(date=day.isoformat())
    at.session_state["export_open"] = True  # the section is lazy: nothing runs while closed
    at.run()
    at.selectbox(key="export_fmt").set_value(fmt).run()
    if fmt == "png":
        at.number_input(key="ex_w").set_value(800)
        at.number_input(key="ex_h").set_value(500).run()
    at.button(key="ex_go").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    exports = at.session_state["export"][1]
    export = exports[0]
    if fmt == "geojson":
        doc = json.loads(export.data)
        expected = {str(i) for layer in timeline.layers
                    for i in timeline.state(layer, day)["id"]}
        assert {f["properties"]["id"] for f in doc["features"]} == expected
    elif fmt == "png":
        assert Image.open(io.BytesIO(export.data)).size == (800, 500)
    else:
        assert export.data.decode().splitlines()[0].startswith("date,layer,status,area_km2")
        assert exports[1].name == "frontline_claims_check.csv"
    assert day.isoformat() in export.name or fmt == "csv"


def test_panel_lists_only_figures_of_the_same_quantity_within_a_week():
    at = _app(date="2024-08-27")
    text = " ".join(m.value for m in at.markdown)
    # Kyiv's 1,294 km² counts held or contested ground: it sits under that metric, with
    # the map's value of the same union on the same day.
    assert "**Syrskyi, 27 Aug 2024** (same day), area under Ukrainian control: 1,294 km²" \
        in text
    assert "the map then 1,007 km²" in text or "the map then" in text
    captions = " ".join(c.value for c in at.caption)
    assert "no published figure within a week" in captions  # held only: none that week
    far = _app(date="2024-12-05")
    text = " ".join(m.value for m in far.markdown)
    assert "UK MoD" not in text  # its December figure is dated 15 Dec: 10 days away


def test_claims_table_puts_the_verdict_first_and_filters():
    at = _app()
    at.session_state["claims_open"] = True
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "verdict" in d.value.columns)
    assert list(table.columns[:5]) == ["claim", "figure_text", "map_text", "difference_text",
                                       "verdict"]
    at.multiselect(key="claims_sides").set_value(["independent"]).run()
    table = next(d.value for d in at.dataframe if "verdict" in d.value.columns)
    assert set(table["side"]) == {"independent"}
    at.multiselect(key="claims_quantities").set_value(["peak_area"]).run()
    table = next(d.value for d in at.dataframe if "verdict" in d.value.columns)
    assert set(table["quantity"]) == {"peak_area"} and len(table) >= 2


def test_closed_sections_run_nothing_and_open_ones_show_their_content():
    at = _app()
    # Lazy expanders: a first visit computes neither the claims check nor the export form.
    assert not [s for s in at.selectbox if s.key == "export_fmt"]
    assert not at.dataframe or all("verdict" not in d.value.columns for d in at.dataframe)
    at.session_state["claims_open"] = True
    at.session_state["export_open"] = True
    at.run()
    assert not at.exception
    assert at.selectbox(key="export_fmt").value == "png"
    assert any("verdict" in d.value.columns for d in at.dataframe)


def test_claims_check_table_equals_geo(dashboard_data_dir):
    from geo.claims_check import check_claims
    from geo.quantities import map_view
    from layers import load_dataset

    expected = check_claims(map_view(load_dataset(dashboard_data_dir)),
                            load_dataset(dashboard_data_dir).claims)
    at = _app()
    at.session_state["claims_open"] = True
    at.run()
    assert not at.exception
    (table,) = [d.value for d in at.dataframe if "verdict" in d.value.columns]
    assert len(table) == len(expected)
    assert table["map_text"].tolist() == expected["map_text"].tolist()
    assert table["verdict"].tolist() == expected["verdict"].tolist()
    ok, tested = int(expected["within"].sum()), int(expected["within"].notna().sum())
    assert any(f"{ok} of {tested} with a tolerance" in c.value for c in at.caption)

def test_chart_and_events_follow_the_map(timeline):
    from views.panel import events_on

    day = sorted(timeline.change_dates("events"))[0] if timeline.has_layer("events") else (
        timeline.change_dates()[0])
    at = _app(date=day.isoformat())
    # First run: the map and figures only; the chart and events wait for the map's report.
    assert not at.get("vega_lite_chart")
    assert any("appear once the map has loaded" in c.value for c in at.caption)
    at.run()  # what the map's first report triggers in the browser
    assert not at.exception
    (chart,) = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "point", "rule"]
    assert sorted(d.name for d in chart.proto.datasets) == ["claims", "series", "today"]
    ev = events_on(timeline, day)
    if len(ev):
        (table,) = [d.value for d in at.dataframe if "today" in d.value.columns]
        assert table["name"].tolist() == ev["name"].tolist()
        assert table["today"].tolist() == ev["today"].tolist()
