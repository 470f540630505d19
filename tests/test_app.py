"""The dashboard under streamlit's AppTest: the page's server side.

The map's date control runs in the browser (tests/test_browser.py drives it); here: the
link a session opens with, its warnings, the map's opening state, and the sections the
server computes for the view the map reports (export, comparison, claims check).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.change import diff_states
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
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_map_opens_on_the_links_date_layers_and_view(timeline):
    day = timeline.change_dates()[len(timeline.change_dates()) // 3]
    layers = [x for x in timeline.layers if x in timeline.area_layers][:2]
    at = _app(date=day.isoformat(), layers=",".join(layers), lat="51.3", lon="35.2",
              zoom="10", compare="2024-09-01")
    initial = at.session_state["initial"]
    assert (initial.day, list(initial.layers), initial.compare) == (
        day.isoformat(), layers, "2024-09-01")
    assert list(initial.view) == [51.3, 35.2, 10]
    assert not at.warning
    # The server never writes the link: the browser owns it (no rerun can put back a
    # stale date).
    assert at.query_params["date"] == day.isoformat()


def test_without_a_link_the_map_opens_on_the_last_change_and_fits_it(timeline):
    at = _app()
    initial = at.session_state["initial"]
    last = max(d for d in timeline.change_dates() if d <= timeline.end)
    assert initial.day == last.isoformat() and initial.view is None


@pytest.mark.parametrize("params, words", [
    ({"date": "2024-13-45"}, "2024-13-45"),
    ({"layers": "nope"}, "'nope'"),
    ({"date": "2024-09-01", "lat": "99", "lon": "35", "zoom": "9"}, "view"),
    ({"compare": "yesterday"}, "compare"),
])
def test_a_bad_link_parameter_gets_a_visible_warning(params, words):
    at = _app(**params)
    assert any(words in w.value for w in at.warning), [w.value for w in at.warning]


def test_the_map_html_is_the_same_on_every_run():
    """The map is never remounted by the server: its arguments do not change between runs."""
    at = _app(date="2024-09-01")
    first = [e for e in at.get("component_instance")
             if "st_folium" in str(e.proto.component_name)]
    at.run()
    again = [e for e in at.get("component_instance")
             if "st_folium" in str(e.proto.component_name)]
    assert first and [e.proto.json_args for e in first] == [e.proto.json_args for e in again]


def _view(at, **state) -> None:
    """What the map's bridge would report."""
    at.session_state["view_state"] = {**at.session_state["view_state"], **state}


@pytest.mark.parametrize("fmt", ["geojson", "png", "csv"])
def test_export_section_builds_the_view_the_map_reported(timeline, fmt):
    import io
    import json

    from PIL import Image

    day = timeline.change_dates()[len(timeline.change_dates()) // 2]
    at = _app()
    _view(at, date=day.isoformat())
    at.session_state["export_open"] = True  # the section is lazy: nothing runs while closed
    at.run()
    assert any(day.isoformat() in c.value for c in at.caption)
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


def test_export_of_the_timeline_is_one_offline_file():
    at = _app()
    at.session_state["export_open"] = True
    at.run()
    at.selectbox(key="export_fmt").set_value("timeline").run()
    at.button(key="ex_go").click().run()
    assert not at.exception and not at.error
    (export,) = at.session_state["export"][1]
    page = export.data.decode()
    assert export.name == "frontline_timeline.html"
    assert "window.FL_TIMELINE=" in page and "FLTimeline.mount" in page
    assert "<script src=" not in page and "OpenStreetMap" in page


def test_comparing_two_dates_lists_gained_and_lost_ground(timeline):
    dates = timeline.change_dates("ukrainian_held")
    a, b = dates[1], dates[len(dates) // 2]
    at = _app()
    _view(at, date=a.isoformat(), compare=b.isoformat(), layers=["ukrainian_held"])
    at.run()
    (table,) = [d.value for d in at.dataframe if "gained (km²)" in d.value.columns]
    change = diff_states(timeline.geometry("ukrainian_held", a),
                         timeline.geometry("ukrainian_held", b))
    row = table.iloc[0]
    assert row["gained (km²)"] == pytest.approx(change.gained_km2)
    assert row["lost (km²)"] == pytest.approx(change.lost_km2)


def test_bad_file_is_listed_and_good_layers_still_load(dashboard_data_dir, tmp_path,
                                                       monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(dashboard_data_dir, data)
    (data / "layers" / "broken.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"id": "b-1", "layer": "contested", "status": "nope"}, "geometry": null}]}')
    monkeypatch.setenv("FRONTLINE_DATA_DIR", str(data))
    at = _app()
    (box,) = [e for e in at.expander if "broken.geojson" in e.label]
    text = " ".join(m.value for m in box.markdown)
    assert "b-1" in text and "status" in text
    assert at.session_state["initial"].day  # the map still opens


def test_claims_table_puts_the_verdict_first_and_filters():
    at = _app()
    at.session_state["claims_open"] = True
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "verdict" in d.value.columns)
    assert list(table.columns[:6]) == ["claim", "figure_text", "map_text", "difference_text",
                                       "verdict", "with_contested_text"]
    held_only = table[table["layers"] == "ukrainian_held"]
    assert held_only["with_contested_text"].str.contains("with the contested ground").any()
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
    at.session_state["chart_open"] = True
    at.run()
    assert not at.exception
    assert at.selectbox(key="export_fmt").value == "png"
    assert any("verdict" in d.value.columns for d in at.dataframe)
    assert at.get("vega_lite_chart")


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


def test_the_chart_draws_the_unions_kyivs_totals_measure_with_their_figures():
    """Kyiv's 1,294 km² counts held, contested and claimed ground: a line of that union
    carries its diamond, and a tracker's Sumy figure sits beside the zone's held part."""
    from dashboard import cache
    from views.chart import chart_layers

    at = _app()
    at.session_state["chart_open"] = True
    at.run()
    assert not at.exception
    folder = str(cache.data_dir())
    key = (folder, cache.data_version(cache.data_dir()), ())
    tl = cache.timeline(key)
    layers = chart_layers(tl.area_layers)
    assert "ukrainian_held+contested+ukrainian_claimed" in layers
    spec = cache.chart_spec(key, tuple(layers))
    series, claims = spec["datasets"]["series"], spec["datasets"]["claims"]
    union = series[series["layer"] == "ukrainian_held+contested"].set_index("date")
    peak = union["area_km2"].max()
    assert 1_209 <= peak <= 1_391  # the published check on the same union
    kyiv = claims[claims["claim_id"] == "syrskyi-20240827-area"]
    assert list(kyiv["label"]) == ["Held + contested + UA claim"]
    sumy = claims[claims["claim_id"] == "isw-20250426-sumy-held"]
    assert list(sumy["label"]) == ["Sumy zone, held"]  # beside the zone's held part
