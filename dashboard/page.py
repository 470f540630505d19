"""The dashboard page: widgets, cached loader calls and layout (``streamlit_app.py`` runs it).

Data come from ``$FRONTLINE_DATA_DIR`` (a folder with layers/, claims.csv, base/) or the
shipped data/. Everything loaded or computed goes through :mod:`dashboard.cache`; the
numbers come from geo/ (via views.panel) and the map from views.folium_map.

The map is built identically on every run and the date's layers are sent with
``st_folium(feature_group_to_add=...)``, so moving the date never remounts Leaflet:
the user's zoom and pan survive scrubbing.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely
import streamlit as st

from dashboard import cache
from dashboard.warmup import default_view
from geo.measurement import geodesic_area_km2, geodesic_length_km
from layers import LayerValidationError, Timeline, default_paths, parse_layer_bytes
from layers.schema import TIMELINE_END, TIMELINE_START
from views import folium_map as fm
from views.assets import STREAMLIT_ASSET_BASE_URL
from views.panel import control_counts, events_on, md_escape, plural, published_count
from views.settlement_markers import control_legend_html, settlements_group

UPLOAD_MAX_BYTES = 5 * 1024 * 1024
PLAY_SECONDS = 1.2
MAP_HEIGHT = 620


@functools.cache
def _favicon():
    # A local image: a ":material/...:" or emoji icon makes the browser fetch it from a
    # font CDN, and this app must not request anything from another host. Made once per
    # process, not on every full rerun.
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (32, 32), "#fbf7dc")
    ImageDraw.Draw(img).polygon([(4, 20), (14, 8), (28, 12), (24, 26), (10, 28)], fill="#1f5fbf")
    return img


# --------------------------------------------------------------------------- state

def _parse_day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def init_state(options: list[dt.date], all_layers: list[str]) -> None:
    """First run of a session: read the permalink (?date=&layers=&lat=&lon=&zoom=)."""
    if "day" in st.session_state:
        return
    qp = st.query_params
    day = _parse_day(qp.get("date"))
    if qp.get("date") and (day is None or not TIMELINE_START <= day <= TIMELINE_END):
        st.session_state["qp_warning"] = (
            f"Ignored date {qp.get('date')!r} from the link: expected YYYY-MM-DD between "
            f"{TIMELINE_START} and {TIMELINE_END}.")
        day = None
    st.session_state["day"] = day or (options[-1] if options else TIMELINE_END)
    wanted = [x for x in qp.get("layers", "").split(",") if x] if "layers" in qp else None
    st.session_state["layers"] = ([x for x in wanted if x in all_layers] if wanted is not None
                                  else list(all_layers))
    try:
        view = (float(qp["lat"]), float(qp["lon"]), int(float(qp["zoom"])))
        if not (48.8 <= view[0] <= 53.7 and 30.5 <= view[1] <= 40.5 and 6 <= view[2] <= 15):
            raise ValueError
    except (KeyError, ValueError):
        view = (*fm.DEFAULT_CENTER, fm.DEFAULT_ZOOM)
    st.session_state["view"] = view
    st.session_state["map_view"] = view
    st.session_state.setdefault("playing", False)


def _snap(day: dt.date, options: list[dt.date]) -> dt.date:
    """Return the last change date on or before ``day`` (the first option if none)."""
    before = [d for d in options if d <= day]
    return before[-1] if before else options[0]


def set_day(day: dt.date) -> None:
    """Select ``day`` (clamped to the timeline)."""
    st.session_state["day"] = min(max(day, TIMELINE_START), TIMELINE_END)


def _on_slider() -> None:
    set_day(st.session_state["snap"])


def _on_date_input() -> None:
    if st.session_state.get("day_input"):
        set_day(st.session_state["day_input"])


def _step_day(days: int) -> None:
    set_day(st.session_state["day"] + dt.timedelta(days=days))


def _step_change(options: list[dt.date], forward: bool) -> None:
    day = st.session_state["day"]
    cands = [d for d in options if d > day] if forward else [d for d in options if d < day]
    if cands:
        set_day(cands[0] if forward else cands[-1])


def _toggle_play() -> None:
    st.session_state["playing"] = not st.session_state["playing"]
    st.session_state["_tick"] = time.monotonic()


# --------------------------------------------------------------------------- widgets

@dataclass
class View:
    """What the fragment needs from the whole-app run (passed as its argument)."""

    data_key: tuple
    tl: Timeline
    options: list[dt.date]
    chosen: list[str]
    area_layers: list[str]
    show_change: bool
    playing: bool
    show_settlements: bool = True


def date_controls(options: list[dt.date], day: dt.date) -> None:
    """Draw the date slider (snaps to change dates), exact day, stepping and Play."""
    st.session_state["snap"] = _snap(day, options)
    st.session_state["day_input"] = day
    c_slider, c_date = st.columns([5, 1.2], vertical_alignment="bottom")
    with c_slider:
        st.select_slider("Date (snaps to the dates where something changed)", options=options,
                         key="snap", on_change=_on_slider, format_func=lambda d: d.isoformat())
    with c_date:
        st.date_input("Exact day", min_value=TIMELINE_START, max_value=TIMELINE_END,
                      key="day_input", on_change=_on_date_input, format="YYYY-MM-DD")
    b = st.columns([1, 1, 1, 1, 1.3, 4])
    b[0].button("« change", on_click=_step_change, args=(options, False), width="stretch",
                help="Previous date where something changed")
    b[1].button("◀ day", on_click=_step_day, args=(-1,), width="stretch")
    b[2].button("day ▶", on_click=_step_day, args=(1,), width="stretch")
    b[3].button("change »", on_click=_step_change, args=(options, True), width="stretch",
                help="Next date where something changed")
    b[4].button("⏸ Pause" if st.session_state["playing"] else "▶ Play",
                on_click=_toggle_play, width="stretch", type="primary", key="play")


def draw_map(view: View, day: dt.date, figs: dict) -> dict | None:
    """Draw the map: a fresh, identical base map plus this date's layers as groups."""
    lat, lon, zoom = st.session_state["view"]
    directory, version = view.data_key[:2]
    m = fm.base_map(None, asset_base_url=STREAMLIT_ASSET_BASE_URL, location=(lat, lon),
                    zoom_start=zoom, basemap_url=cache.basemap_url(directory, version),
                    # Loaded whenever there are facts, so the base map stays identical
                    # (no remount) when the settlements are switched on or off.
                    history_url=cache.history_url(directory, version)
                    if cache.load_data(directory, version).factbase else None)
    fcs = {layer: cache.layer_fc(view.data_key, layer, view.tl.segment_start(layer, day))
           for layer in view.area_layers}
    pairs = set().union(*(fm.fc_pairs(fc) for fc in fcs.values()))
    # One GeoJson for every area layer: far less folium rendering per date change.
    groups = [fm.areas_group(fcs)]
    if "events" in view.chosen and view.tl.has_layer("events"):
        fc = cache.layer_day_fc(view.data_key, day)
        pairs |= fm.fc_pairs(fc)
        groups.append(fm.events_group(fc, day))
    kinds: list[str] = []
    if view.show_change:
        fc = cache.change_fc(view.data_key, tuple(view.area_layers),
                             tuple(figs[x]["since"] for x in view.area_layers))
        kinds = fm.change_kinds(fc)
        groups.append(fm.change_group(fc=fc))
    extra = ""
    if view.show_settlements:
        fc = cache.settlements_fc(directory, version, day)
        groups.append(settlements_group(fc))
        statuses = {f["properties"]["status"] for f in fc["features"]}
        extra = control_legend_html({None if s == "none" else s for s in statuses})
    groups.append(fm.legend_group(pairs, kinds, extra))
    # Imported here, in a script run, not at the top: streamlit_folium declares its
    # component on import, and Streamlit registers a component only inside a script run.
    # This module is also imported outside one (pytest's doctest collection), which would
    # leave the component unregistered for the AppTests that follow.
    from streamlit_folium import st_folium

    out = st_folium(m, key="map", height=MAP_HEIGHT, use_container_width=True,
                    feature_group_to_add=groups,
                    returned_objects=["all_drawings", "last_active_drawing", "center", "zoom"])
    st.caption(f"Map on **{day.isoformat()}**. Hover a shape for its dates, sources and "
               "confidence; click for notes. Dots are settlements coloured by who the facts "
               "say held them that day; click one for its history with every source. Draw a "
               "line or polygon (left toolbar) to measure it.")
    return out


def panel(view: View, day: dt.date, figs: dict) -> None:
    """Show each area layer's figures on ``day`` (geo/ via views.panel), chart, events."""
    st.subheader(day.strftime("%d %B %Y"))
    if not view.area_layers:
        st.caption("No area layer selected or loaded.")
    directory, version = view.data_key[:2]
    data = cache.load_data(directory, version)
    by_layer = control_counts(cache.controls(directory, version, day),
                              data.factbase.places) if data.factbase else {}
    if {"ukrainian_held", "contested"} & set(view.area_layers):
        tot = cache.kursk_totals(view.data_key, *(
            view.tl.segment_start(x, day) if view.tl.has_layer(x) else None
            for x in ("ukrainian_held", "contested")), day)
        st.metric("**Held + contested (Kursk oblast)**", f"{tot['both']:,.1f} km²",
                  help="Kyiv's official totals (e.g. Syrskyi's 1,294 km² on 27 Aug 2024) "
                       "count ground Ukraine holds or contests; independent trackers count "
                       "held ground only.")
        st.caption(f"held {tot['held']:,.1f} km² + contested {tot['contested']:,.1f} km²")
        published(cache.week_claims(directory, version, "ukrainian_held+contested", day)
                  + cache.week_claims(directory, version,
                                      "ukrainian_held+contested+ukrainian_claimed", day))
    for layer in view.area_layers:
        f = figs[layer]
        change = f["change"]
        delta = None
        if change is not None:
            delta = f"{change.net_km2:+,.1f} km² since {f['previous'].isoformat()}"
        # The metric carries its own label: one element per layer fewer to re-render on
        # every date change.
        st.metric(f"**{md_escape(fm.layer_label(layer))}**", f"{f['area_km2']:,.1f} km²",
                  delta=delta, delta_color="off" if change is None else "normal")
        lines = []
        if f["since"] is not None:
            lines.append(f"state since {f['since'].isoformat()}")
        if change is not None and not change.is_unchanged:
            lines.append(f"gained {change.gained_km2:,.1f} km², lost {change.lost_km2:,.1f} km²")
        names = by_layer.get(layer, []) if f["area_km2"] > 0 else []
        if layer in by_layer and f["area_km2"] > 0:
            lines.append(f"{len(names)} settlement{'s' if len(names) != 1 else ''} "
                         "by the facts")
        if layer == "ukrainian_held":
            pub = published_count(data.claims, day)
            lines.append(
                f"published count: {md_escape(pub['claim_maker'])}, "
                f"{pub['date'].isoformat()}: {pub['figure']:,.0f} settlements"
                if pub else "no published settlement count within a week")
        st.caption(" · ".join(lines) if lines else "not on the map this day")
        published(cache.week_claims(directory, version, layer, day))
        if names:
            with st.expander(f"Settlements by the facts ({len(names)})"):
                st.text(", ".join(names))

    if not st.session_state.get("_page_drawn"):
        # A session's first run sends only what the map and figures need: the chart
        # (Vega) and the events table (data grid) are the browser's heaviest widgets and
        # would compete with Leaflet on a 2-core machine. The map reports its view as soon
        # as it is drawn, which reruns this fragment, and they appear then.
        with st.container(height=300, border=False):
            st.caption("The area chart and the events of the day appear once the map has "
                       "loaded.")
        return
    if view.area_layers:
        spec = cache.chart_spec(view.data_key, tuple(view.area_layers))
        # The spec and the big datasets are the same for every date: the browser only
        # swaps the one-row "today" dataset instead of re-rendering the chart.
        spec = {**spec, "datasets": {**spec["datasets"],
                                     "today": pd.DataFrame({"date": [pd.Timestamp(day)]})}}
        st.vega_lite_chart(spec, width="stretch", key="area_chart")
        st.caption("Lines: map area (geodesic km²). Diamonds: published claims. "
                   "Red dashes: the date shown.")

    ev = events_on(view.tl, day) if "events" in view.chosen else pd.DataFrame()
    if len(ev):
        st.markdown(f"**Events** ({int(ev['today'].sum())} on this day, {len(ev)} in force)")
        st.dataframe(ev, hide_index=True, width="stretch", height=min(240, 36 + 35 * len(ev)),
                     column_config={"today": st.column_config.CheckboxColumn("today")})


def published(figures: list[dict]) -> None:
    """List the published figures of the same quantity within a week, or say there are none."""
    if not figures:
        st.caption("no published figure within a week")
        return
    lines = []
    for f in figures:
        when = "same day" if f["days_apart"] == 0 else f"{plural(f['days_apart'], 'day')} away"
        lines.append(f"- **{md_escape(f['who'])}** ({when}), {md_escape(f['measures'])}: "
                     f"{md_escape(f['figure'])}; the map then {md_escape(f['map'])} "
                     f"({md_escape(f['difference'])}), {md_escape(f['verdict'])}")
    st.markdown("\n".join(lines))


def measured(drawings: list) -> None:
    """Show the geodesic length/area of the shapes drawn on the map (geo.measurement)."""
    rows = []
    for n, feat in enumerate(drawings, start=1):
        try:
            geom = shapely.geometry.shape(feat["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            rows.append({"shape": f"polygon {n}", "area (km²)": geodesic_area_km2(geom),
                         "length / perimeter (km)": geodesic_length_km(geom.boundary)})
        elif geom.geom_type in ("LineString", "MultiLineString"):
            rows.append({"shape": f"path {n}", "area (km²)": None,
                         "length / perimeter (km)": geodesic_length_km(geom)})
    if not rows:
        return
    st.subheader("Measured on the map (geodesic, WGS84 ellipsoid)")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="content", key="measured",
                 column_config={"area (km²)": st.column_config.NumberColumn(format="%.2f"),
                                "length / perimeter (km)":
                                st.column_config.NumberColumn(format="%.2f")})
    st.caption("Lengths: " + "; ".join(
        f"{r['shape']}: {r['length / perimeter (km)']:.3f} km" for r in rows))


def permalink(day: dt.date, chosen: list[str]) -> None:
    """Keep ?date=&layers=&lat=&lon=&zoom= in the address bar."""
    lat, lon, zoom = st.session_state["map_view"]
    params = {"date": day.isoformat(), "layers": ",".join(chosen), "lat": f"{lat:.4f}",
              "lon": f"{lon:.4f}", "zoom": str(zoom)}
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def scrubber(view: View) -> None:
    """Draw date controls, map, panel and measuring: a date change reruns only this.

    Run as an ``st.fragment`` (see :func:`main`), with a timer while playing.
    """
    if bool(st.session_state.get("playing")) != view.playing:
        # Play/Pause pressed: the timer is set by the whole-app run.
        st.rerun()
    if view.playing and time.monotonic() - st.session_state.get("_tick", 0.0) >= \
            PLAY_SECONDS * 0.8:
        st.session_state["_tick"] = time.monotonic()
        later = [d for d in view.options if d > st.session_state["day"]]
        if later:
            set_day(later[0])
        else:
            st.session_state["playing"] = False
            st.rerun()
    day: dt.date = st.session_state["day"]
    date_controls(view.options, day)
    figs = {layer: cache.figures(view.data_key, layer, view.tl.segment_start(layer, day))
            for layer in view.area_layers}
    map_col, panel_col = st.columns([2.1, 1])
    with map_col:
        out = draw_map(view, day, figs)
    if out and out.get("center") and out.get("zoom"):
        c = out["center"]
        st.session_state["map_view"] = (round(c["lat"], 4), round(c["lng"], 4),
                                        int(out["zoom"]))
    with panel_col:
        panel(view, day, figs)
    measured((out or {}).get("all_drawings") or [])
    permalink(day, view.chosen)


# --------------------------------------------------------------------------- page

def upload_sidebar() -> list[tuple[str, list[str]]]:
    """Read uploaded layers into session memory; return ``(file, problems)`` of bad ones."""
    uploads = st.session_state.setdefault("uploads", {})
    uploaded = st.sidebar.file_uploader(
        "Add your own layer (GeoJSON, ≤ 5 MB, same contract as data/layers)",
        type=["geojson", "json"], accept_multiple_files=True, key="upload_files",
        help="Kept in this browser session's memory only; nothing is written to disk.")
    errors: list[tuple[str, list[str]]] = []
    live = set()
    for file in uploaded or []:
        raw = file.getvalue()
        key = f"{file.name} ({hashlib.sha256(raw).hexdigest()[:10]})"
        if key not in uploads:
            try:
                frame = parse_layer_bytes(raw, file.name, max_bytes=UPLOAD_MAX_BYTES)
            except LayerValidationError as exc:
                errors.append((file.name, [str(p) for p in exc.problems]))
                continue
            frame = frame.copy()
            frame["layer"] = "upload: " + frame["layer"].astype(str)
            frame["id"] = "upload:" + frame["id"].astype(str)
            uploads[key] = frame
        live.add(key)
    for key in [k for k in uploads if k not in live]:
        del uploads[key]
    return errors


def layer_sidebar(directory: str, data: cache.Data, tl: Timeline
                  ) -> tuple[list[str], bool, bool]:
    """Draw the layer chooser and data notes.

    Returns the chosen layers, 'draw change' and 'draw settlements'.
    """
    with st.sidebar:
        chosen = st.multiselect("Show layers", tl.layers, key="layers",
                                format_func=fm.layer_label)
        show_settlements = st.checkbox(
            "Settlements by control (from the facts)", value=True, key="show_settlements",
            disabled=data.factbase is None,
            help="Each gazetteer settlement of the fighting area, coloured by its control "
                 "on the date under the fact base's rules; click one for every statement "
                 "about it.")
        show_change = st.checkbox("Draw gained / lost since the previous state",
                                  key="show_change")
        st.caption(f"Data folder: {md_escape(directory)} · {len(data.files_loaded)} layer "
                   f"file(s), {len(tl.features)} features, {len(data.claims)} claims.")
        st.caption("Basemap drawn from the shipped data (OSM border, Natural Earth oblasts, "
                   "GeoNames). Online OpenStreetMap tiles can be switched on in the map's "
                   "layer button (top right); they are off by default.")
    return list(chosen), bool(show_change), bool(show_settlements and data.factbase)


def notices(directory: str, data: cache.Data, tl: Timeline,
            upload_errors: list[tuple[str, list[str]]]) -> None:
    """Show what went wrong with the link, the data folder or an upload."""
    if st.session_state.get("qp_warning"):
        st.warning(st.session_state.pop("qp_warning"))
    if data.problems:
        files = sorted({p.file for p in data.problems})
        lines = "\n".join(f"- {md_escape(p)}" for p in data.problems[:50])
        more = f"\n- … and {len(data.problems) - 50} more" if len(data.problems) > 50 else ""
        st.error(f"**{len(data.problems)} problem(s) in {len(files)} file(s)**: "
                 f"{md_escape(', '.join(files))}. Those files were skipped; every other layer "
                 f"is shown.\n\n{lines}{more}")
    for note in data.notes:
        st.info(note)
    for name, problems in upload_errors:
        lines = "\n".join(f"- {md_escape(p)}" for p in problems[:50])
        st.error(f"**Upload {md_escape(name)} was not loaded** "
                 f"({len(problems)} problem(s)):\n\n{lines}")
    if not len(tl.features):
        st.info(f"No layer files loaded from {md_escape(default_paths(Path(directory)).layers)} "
                "yet: the map shows the basemap only.")


def claims_section(data: cache.Data, data_key: tuple) -> None:
    """Every published figure against the map's value of the quantity it measures (lazy)."""
    # on_change="rerun" makes the expander lazy: a closed one runs nothing, so the first
    # visit does not pay for the claims check before anyone asks for it.
    box = st.expander("Claims check: every published figure against the same quantity on "
                      "the map", key="claims_open", on_change="rerun")
    if not box.open:
        return
    with box:
        if not len(data.claims):
            st.caption("No claims loaded.")
            return
        table = cache.claims_check(*data_key[:2])
        a, b = st.columns(2)
        sides = a.multiselect("Side", sorted(table["side"].unique()), key="claims_sides",
                              placeholder="every side")
        quantities = b.multiselect("Quantity", sorted(table["quantity"].unique()),
                                   key="claims_quantities", placeholder="every quantity")
        keep = pd.Series(True, index=table.index)
        if sides:
            keep &= table["side"].isin(sides)
        if quantities:
            keep &= table["quantity"].isin(quantities)
        shown = table[keep]
        st.dataframe(
            shown[["claim", "figure_text", "map_text", "difference_text", "verdict",
                   "quantity", "side", "layers", "statuses", "outlet", "claim_id", "note"]],
            hide_index=True, width="stretch",
            column_config={
                "claim": st.column_config.TextColumn("claim (who, when, what)", width="large"),
                "figure_text": "their figure", "map_text": "the map",
                "difference_text": "map − figure",
                "verdict": st.column_config.TextColumn("verdict", width="large"),
            })
        computed = shown["map_value"].notna()
        tested = shown["within"].notna()
        st.caption(
            f"{plural(int(len(shown)), 'claim')} shown, {int(computed.sum())} computed from "
            f"the map; {int(shown['within'].sum())} of {int(tested.sum())} with a tolerance "
            "or a bound agree. Each figure is compared with the quantity it measures "
            "(the area on its date, a peak, ground lost in a window, a share, settlements "
            "from the facts, a depth or a route's length), on the claim's own date.")


EXPORT_LABELS = {
    "png": "PNG map (static render)", "svg": "SVG map", "pdf": "PDF map",
    "html": "Standalone interactive HTML (works offline)",
    "geojson": "Layers of the date (GeoJSON)", "gpkg": "Layers of the date (GeoPackage)",
    "csv": "Area table and claims check (two CSV files)",
    "gif": "Animated timeline (GIF)", "mp4": "Animated timeline (MP4)",
}


def export_section(data: cache.Data, tl: Timeline, chosen: list[str], data_key: tuple) -> None:
    """Build an export of the selected date on request and offer the download (lazy)."""
    box = st.expander("Export a snapshot of the selected date", key="export_open",
                      on_change="rerun")
    if not box.open:
        return
    with box:
        day_now: dt.date = st.session_state["day"]
        area_chosen = [x for x in chosen if x in tl.area_layers or x == "events"]
        c1, c2, c3, c4 = st.columns([2.2, 1, 1, 1])
        fmt = c1.selectbox("Format", list(EXPORT_LABELS), format_func=EXPORT_LABELS.get,
                           key="export_fmt")
        opts = {"width": c2.number_input("Width (px)", 400, 6000, 1600, step=100, key="ex_w"),
                "height": c3.number_input("Height (px)", 300, 6000, 1000, step=100,
                                          key="ex_h"),
                "dpi": c4.number_input("DPI", 50, 600, 150, step=10, key="ex_dpi")}
        if fmt in ("gif", "mp4"):
            a, b = st.columns(2)
            opts["start"] = a.date_input("From", TIMELINE_START, TIMELINE_START, TIMELINE_END,
                                         key="ex_from")
            opts["end"] = b.date_input("To", TIMELINE_END, TIMELINE_START, TIMELINE_END,
                                       key="ex_to")
        st.caption(f"Date: **{day_now.isoformat()}** (the one selected above) · layers: "
                   f"{md_escape(', '.join(area_chosen) or 'none')}. Built offline from the "
                   "same layers and basemap; the file is not written anywhere on the server.")
        request = (fmt, day_now, tuple(area_chosen), tuple(sorted(opts.items())), data_key)
        if st.button("Prepare export", key="ex_go"):
            bar = st.progress(0.0, text="Rendering …") if fmt in ("gif", "mp4") else None

            def tick(done: int, total: int) -> None:
                """Advance the progress bar (one call per rendered frame)."""
                if bar is not None:
                    bar.progress(done / max(total, 1), text=f"Frame {done} of {total}")

            try:
                # Imported here: the exporters pull in matplotlib (~0.5 s), which the map
                # and panel never need, so the dashboard's cold start does not pay for it.
                from views.exporters import build_exports

                st.session_state["export"] = (request, build_exports(
                    fmt, tl, data.base, day_now, area_chosen, claims=data.claims,
                    width_px=opts["width"], height_px=opts["height"], dpi=opts["dpi"],
                    start=opts.get("start"), end=opts.get("end"), progress=tick))
            except (ValueError, RuntimeError) as exc:  # bad range, encoder missing, ...
                st.session_state.pop("export", None)
                st.error(f"Export failed: {md_escape(str(exc))}")
        ready = st.session_state.get("export")
        if ready and ready[0] == request:
            for n, export in enumerate(ready[1]):
                st.download_button(
                    f"Download {export.name} ({len(export.data) / 1024:,.0f} KiB)",
                    export.data, file_name=export.name, mime=export.mime,
                    key=f"ex_download_{n}")


def main() -> None:
    """Draw the page for one session's script run."""
    st.set_page_config(page_title="Kursk front line, 2024-2025", page_icon=_favicon(),
                       layout="wide")
    directory = str(cache.data_dir())
    version = cache.data_version(Path(directory))
    data = cache.load_data(directory, version)
    with st.sidebar:
        st.header("Layers")
    upload_errors = upload_sidebar()
    upload_key = tuple((k, len(v)) for k, v in sorted(st.session_state["uploads"].items()))
    data_key = (directory, version, upload_key)
    tl = cache.timeline(data_key)
    options, _, _ = default_view(tl)
    init_state(options, tl.layers)
    # Newly uploaded layers start out shown.
    for layer in tl.layers:
        if layer not in st.session_state.get("known_layers", tl.layers):
            st.session_state["layers"] = [*st.session_state.get("layers", []), layer]
    st.session_state["known_layers"] = list(tl.layers)
    chosen, show_change, show_settlements = layer_sidebar(directory, data, tl)

    st.title("Kursk incursion: the front line through time")
    notices(directory, data, tl, upload_errors)
    playing = bool(st.session_state.get("playing"))
    # The date controls, map and panel are one fragment: a date change reruns only them.
    st.fragment(scrubber, run_every=PLAY_SECONDS if playing else None)(View(
        data_key=data_key, tl=tl, options=options, chosen=chosen,
        area_layers=[x for x in chosen if x in tl.area_layers], show_change=show_change,
        playing=playing, show_settlements=show_settlements))
    claims_section(data, data_key)
    export_section(data, tl, chosen, data_key)
    st.session_state["_page_drawn"] = True

