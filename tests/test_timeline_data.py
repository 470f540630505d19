"""The browser's payload says what geo/ says: states, figures, settlements, published figures."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.claims_check import check_claims
from geo.measurement import geodesic_area_km2
from geo.quantities import map_view
from layers import load_dataset
from layers.schema import TIMELINE_START
from views import navigation as nav
from views.timeline_data import dataset_timeline_data, frame_at, timeline_data


@pytest.fixture(scope="module")
def world(dashboard_data_dir):
    data = load_dataset(dashboard_data_dir)
    view = map_view(data)
    payload = timeline_data(dataset_timeline_data(data, view, check_claims(view, data.claims)))
    return data, view, payload


def _day(payload, i: int) -> dt.date:
    return dt.date.fromisoformat(payload["start"]) + dt.timedelta(days=i)


def _segment(layer: dict, i: int) -> int:
    starts = [s[0] for s in layer["segments"]]
    k = max(j for j, s in enumerate(starts) if s <= i)
    return layer["segments"][k][1]


def test_every_day_draws_the_features_in_force(world):
    data, _, payload = world
    tl = data.timeline
    for i in range(0, payload["n"], 9):
        for layer in payload["layers"]:
            fc = _segment(layer, i)
            drawn = len(payload["fcs"][fc]["features"]) if fc >= 0 else 0
            expected = sum(1 for g in tl.state(layer["id"], _day(payload, i)).geometry
                           if g is not None and not g.is_empty)
            assert drawn == expected, (layer["id"], _day(payload, i))


def test_a_payload_made_with_the_versions_memo_is_the_payload_made_afresh(world):
    """The dashboard keeps one memo per data version (dashboard.cache.payload_memo): the
    payload with a session's upload, made after the shipped one filled the memo, is the
    payload made from nothing; an upload's states are measured each time, never taken
    from the memo (another session may upload another file under the same name)."""
    import dataclasses

    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    from layers import Timeline

    data, view, shipped = world
    row = {"id": "upload:u1", "layer": "upload: my front", "status": "held",
           "valid_from": dt.date(2024, 8, 20), "valid_to": dt.date(2024, 10, 1), "sources": [],
           "confidence": "low", "notes": "", "geometry": box(35.1, 51.1, 35.3, 51.3)}
    upload = gpd.GeoDataFrame([row], crs="EPSG:4326")
    with_upload = Timeline(pd.concat([data.timeline.features, upload], ignore_index=True))
    memo: dict = {}
    made = dataset_timeline_data(data, view, None)
    first = timeline_data(dataclasses.replace(made, memo=memo))
    filled = set(memo)
    again = timeline_data(dataclasses.replace(made, memo=memo,
                                              timeline=with_upload))
    fresh = timeline_data(dataclasses.replace(made, timeline=with_upload))
    assert first["fcs"] == shipped["fcs"] and first["frames"] == shipped["frames"]
    assert again == fresh
    # The shipped layers' states reused, the upload's never kept: the memo gains only the
    # settlement counts (the fact base's alone) of the change days the upload adds.
    assert not [k for k in memo if "upload: my front" in k]
    assert {k[0] for k in set(memo) - filled} <= {"counts"}
    day = dt.date(2024, 9, 1)
    upload_area = frame_at(again, (day - TIMELINE_START).days)["areas"]["upload: my front"]
    assert upload_area["km2"] == round(geodesic_area_km2(box(35.1, 51.1, 35.3, 51.3)), 2)
    # Another session's file under the same name is measured as itself.
    other = upload.assign(geometry=[box(35.1, 51.1, 35.2, 51.2)])
    theirs = timeline_data(dataclasses.replace(made, memo=memo, timeline=Timeline(
        pd.concat([data.timeline.features, other], ignore_index=True))))
    their_area = frame_at(theirs, (day - TIMELINE_START).days)["areas"]["upload: my front"]
    assert their_area["km2"] == round(geodesic_area_km2(box(35.1, 51.1, 35.2, 51.2)), 2)


def test_the_change_days_are_the_timelines(world):
    data, _, payload = world
    days = [_day(payload, i) for i in payload["changes"]]
    expected = sorted({TIMELINE_START, *(d for d in data.timeline.change_dates()
                                         if d <= data.timeline.end)})
    assert days == expected


def test_panel_figures_equal_geo(world):
    data, _, payload = world
    tl = data.timeline
    for i in (payload["changes"][3], payload["changes"][len(payload["changes"]) // 2],
              payload["n"] - 1):
        day = _day(payload, i)
        frame = frame_at(payload, i)
        for layer in tl.area_layers:
            assert frame["areas"][layer]["km2"] == pytest.approx(
                geodesic_area_km2(tl.geometry(layer, day)), abs=0.006)
        both = geodesic_area_km2(tl.geometry("ukrainian_held", day).union(
            tl.geometry("contested", day)))
        assert frame["totals"]["both"] == pytest.approx(both, abs=0.006)


def test_settlement_runs_follow_the_fact_base(world):
    data, view, payload = world
    for i in range(0, payload["n"], 17):
        controls = view.controls_on(_day(payload, i))
        for (name, *_), runs in zip(payload["places"], payload["runs"], strict=True):
            k = max(j for j, r in enumerate(runs) if r[0] <= i) if runs[0][0] <= i else None
            shown = runs[k][1] if k is not None else "none"
            expected = controls[name].status if name in controls else "none"
            assert shown == expected, (name, _day(payload, i))


def test_published_figures_carry_the_claims_checks_own_values(world):
    data, view, payload = world
    checked = check_claims(view, data.claims)
    area = checked[checked["quantity"] == "area"]
    assert len(payload["claims"]) == len(area)
    texts = {(r["figure_text"], r["map_text"], r["verdict"]) for _, r in area.iterrows()}
    assert {(c[4], c[5], c[7]) for c in payload["claims"]} == texts


def test_texts_are_escaped(world):
    _, _, payload = world
    assert not any("<script" in t.lower() for t in payload["texts"])


@pytest.mark.parametrize("day, forward, expected", [
    (dt.date(2024, 8, 7), True, dt.date(2024, 8, 10)),
    (dt.date(2024, 8, 10), False, dt.date(2024, 8, 6)),
    (dt.date(2024, 8, 6), False, dt.date(2024, 8, 6)),
    (dt.date(2024, 8, 20), True, dt.date(2024, 8, 20)),
])
def test_stepping_between_change_days(day, forward, expected):
    changes = [dt.date(2024, 8, 6), dt.date(2024, 8, 10), dt.date(2024, 8, 20)]
    assert nav.step_change(day, changes, forward) == expected


def test_play_visits_every_change_day_in_order():
    changes = [dt.date(2024, 8, 6), dt.date(2024, 8, 10), dt.date(2024, 8, 20)]
    seen, day = [changes[0]], changes[0]
    while (day := nav.play_next(day, changes)) is not None:
        seen.append(day)
    assert seen == changes


def test_permalink_ignores_what_it_cannot_use_and_says_so():
    s, e = dt.date(2024, 8, 6), dt.date(2025, 8, 31)
    link = nav.parse_permalink({"date": "2026-01-01", "layers": "contested,<b>",
                                "lat": "51", "lon": "35"}, ["contested"], s, e)
    assert link.day is None and link.layers == ("contested",) and link.view is None
    assert len(link.warnings) == 3
    assert nav.parse_permalink({"settlements": "0"}, [], s, e).settlements is False


def test_a_settlements_history_cites_its_sources_as_the_exports_do(world):
    """One citation rule everywhere (views.citation.cite): 'ISW via BCFA USA', never
    'ISW via ISW via BCFA USA', and a stored page's id never shows."""
    from views.citation import cite

    data, _, payload = world
    by_id = {f.fact_id: f for f in data.factbase.facts}
    rows = [row for rows in payload["history"].values() for row in rows]
    assert len(rows) > 1000
    for row in rows:
        assert row[2] == cite(by_id[row[3]].source_dict(), data.base.outlets), row
    relayed = [(by_id[r[3]].claim_maker, r[2]) for r in rows
               if by_id[r[3]].outlet.startswith(by_id[r[3]].claim_maker + " via ")]
    assert relayed
    assert [c for maker, c in relayed if c.startswith(f"{maker} via {maker} via")] == []


def test_a_settlements_history_says_which_facts_were_re_read(world):
    """An audited fact carries its audit in the popup's row; the others an empty field."""
    data, _, payload = world
    audits = data.factbase.audits
    rows = [row for rows in payload["history"].values() for row in rows]
    audited = [r for r in rows if r[3] in audits]
    assert audited and all(r[6].startswith("re-read ") for r in audited)
    assert all(r[6] == "" for r in rows if r[3] not in audits)
    mended = [r for r in audited if "mended" in r[6]]
    assert mended, "the session-12 audit mended four facts"
