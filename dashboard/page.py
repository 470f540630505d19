"""The dashboard page: layout, the map, and the sections under it (``streamlit_app.py`` runs it).

Data come from ``$FRONTLINE_DATA_DIR`` (a folder with layers/, claims.csv, base/) or the
shipped data/; everything loaded or computed goes through :mod:`dashboard.cache`.

The map owns the date. Every state of every layer is sent to the browser once
(:mod:`views.timeline_data`, served as a static script), and the map's timeline control
(:mod:`views.timeline_control`) switches dates, redraws the figures panel, lists the day's
changes and writes the permalink, all in the browser: a click on « change » never waits for
this server and is never lost in a rerun. The map's HTML is the same on every run of a
session (its opening state is read from the link once), so Streamlit never remounts it.
The server hears the state afterwards, through a small bridge component, for what only it
can do: export this view, compare gained/lost ground between two dates, measure drawings.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path

import pandas as pd
import shapely
import streamlit as st

from dashboard import cache
from geo.measurement import geodesic_area_km2, geodesic_length_km
from layers import LayerValidationError, Timeline, default_paths, parse_layer_bytes
from layers.schema import REQUIRED_PROPERTIES, TIMELINE_END, TIMELINE_START
from views import folium_map as fm
from views.assets import STREAMLIT_ASSET_BASE_URL
from views.chart import chart_layers
from views.navigation import parse_permalink
from views.styles import UPLOAD_PREFIX
from views.text import md_escape, plural
from views.timeline_control import STREAMLIT_OWN_BASE_URL, InitialState, asset_links, timeline_map

UPLOAD_MAX_BYTES = 5 * 1024 * 1024
#: Height of the map's iframe when the page's CSS cannot size it to the window (px).
MAP_HEIGHT = 700
#: What the page leaves above the map (Streamlit's toolbar and the one-line title), px.
MAP_TOP = 104

_PAGE_CSS = f"""
<style>
/* Map first: no blank band above the title, the map's iframe as tall as the window. */
.stMainBlockContainer, .block-container {{ padding-top: 3.7rem !important;
  padding-bottom: 1rem !important; padding-left: 1.2rem !important;
  padding-right: 1.2rem !important; }}
iframe[title="streamlit_folium.st_folium"] {{ height: calc(100vh - {MAP_TOP}px) !important;
  min-height: 420px; }}
h1 {{ font-size: 1.35rem !important; padding: 0 0 0.2rem 0 !important; }}
</style>
"""

# The bridge: the map (in its iframe, same origin) posts its state to this page; this
# component sends it to the server a moment after the last change (one rerun per pause,
# not per step). Text only: nothing is parsed as HTML.
_BRIDGE_JS = """
export default function (component) {
  const { data, setStateValue } = component;
  // Warm the browser's cache with the map's scripts while its frame is still being set
  // up: the frame loads them one after another, each then from the cache.
  window.__flPrefetched = window.__flPrefetched || new Set();
  for (const url of (data && data.prefetch) || []) {
    if (typeof url !== "string" || !url.startsWith("/")) { continue; }
    if (window.__flPrefetched.has(url)) { continue; }
    window.__flPrefetched.add(url);
    fetch(url, {credentials: "same-origin"}).then((r) => r.arrayBuffer()).catch(() => {});
  }
  let timer = null;
  function onMessage(event) {
    if (event.origin !== window.location.origin) { return; }
    const msg = event.data;
    if (!msg || msg.type !== "frontline:state" || typeof msg.state !== "object") { return; }
    clearTimeout(timer);
    timer = setTimeout(() => setStateValue("view", msg.state), 600);
  }
  window.addEventListener("message", onMessage);
  return () => { window.removeEventListener("message", onMessage); clearTimeout(timer); };
}
"""


#: The page's icon, inline: Streamlit turns an SVG string into a data: URL. An image
#: would be served from /media/, which the browser fetches again on every address change
#: (each date step writes the permalink); a ":material/...:" or emoji icon would come from
#: a font CDN, and this app must not request anything from another host.
FAVICON_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
               '<rect width="32" height="32" fill="#fbf7dc"/>'
               '<polygon points="4,20 14,8 28,12 24,26 10,28" fill="#1f5fbf"/></svg>')


@functools.cache
def _bridge():
    return st.components.v2.component("frontline_bridge", js=_BRIDGE_JS)


# --------------------------------------------------------------------------- state

def init_state(tl: Timeline, default_day: dt.date) -> InitialState:
    """First run of a session: read the permalink once; later runs reuse it.

    The map's HTML is built from this opening state on every run, so it stays identical
    and is never remounted; the browser owns the state afterwards.
    """
    if "initial" not in st.session_state:
        link = parse_permalink(dict(st.query_params), tl.layers, TIMELINE_START, TIMELINE_END)
        st.session_state["link_warnings"] = list(link.warnings)
        day = link.day or default_day
        st.session_state["initial"] = InitialState(
            day=day.isoformat(), layers=list(link.layers) if link.layers else None,
            compare=link.compare.isoformat() if link.compare else None,
            view=list(link.view) if link.view else None, settlements=link.settlements)
        st.session_state["view_state"] = {
            "date": day.isoformat(), "layers": list(link.layers or tl.layers),
            "compare": st.session_state["initial"].compare, "bbox": None}
    return st.session_state["initial"]


def current_view() -> dict:
    """Return what the map shows, as its bridge last reported it (date, layers, bbox)."""
    return st.session_state["view_state"]


# --------------------------------------------------------------------------- the map

def map_figure(data_key: tuple, initial: InitialState):
    """Build the map with its timeline, figures panel and date bar (a folium map)."""
    directory, version, uploads = data_key
    data = cache.load_data(directory, version)
    if uploads:
        # A session's own layers stay in its memory: embedded, never written to disk.
        payload, payload_url = cache.timeline_payload(data_key), None
    else:
        payload, payload_url = None, cache.timeline_url(directory, version)
    m = timeline_map(data.base, initial=initial, asset_base_url=STREAMLIT_ASSET_BASE_URL,
                     own_base_url=STREAMLIT_OWN_BASE_URL, payload_url=payload_url,
                     payload=payload, basemap_url=cache.basemap_url(directory, version),
                     url_mode="parent", bridge=True, draw=True, online_tiles=True)
    return m


def draw_map(m) -> dict | None:
    """Draw the map (one iframe), with the labels of the shapes measured on it."""
    # Imported here, in a script run: streamlit_folium declares its component on import,
    # and Streamlit registers a component only inside a script run.
    from streamlit_folium import st_folium

    rows = st.session_state.get("measured") or []
    labels = fm.measure_labels(rows) if rows else None
    return st_folium(m, key="map", height=MAP_HEIGHT, use_container_width=True,
                     feature_group_to_add=labels, returned_objects=["all_drawings"])


def measurements(drawings: list) -> list[dict]:
    """Geodesic length (km) or area (km²) of each shape drawn (geo.measurement)."""
    rows = []
    for n, feat in enumerate(drawings, start=1):
        try:
            geom = shapely.geometry.shape(feat["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            rows.append({"shape": f"polygon {n}", "kind": "polygon", "geometry": geom,
                         "area_km2": geodesic_area_km2(geom),
                         "length_km": geodesic_length_km(geom.boundary)})
        elif geom.geom_type in ("LineString", "MultiLineString"):
            rows.append({"shape": f"line {n}", "kind": "line", "geometry": geom,
                         "area_km2": None, "length_km": geodesic_length_km(geom)})
    return rows


def measured(rows: list[dict]) -> None:
    """List the drawn shapes' measurements, labelled as on the map."""
    if not rows:
        st.caption("Measure: draw a line or a polygon with the tools at the map's top left; "
                   "its geodesic length (km) or area (km²) appears on it and here. Your own "
                   "layer: open the sidebar (» at the top left) to upload a GeoJSON.")
        return
    text = []
    for r in rows:
        if r["kind"] == "polygon":
            text.append(f"**{r['shape']}**: {r['area_km2']:,.2f} km² "
                        f"(perimeter {r['length_km']:,.2f} km)")
        else:
            text.append(f"**{r['shape']}**: {r['length_km']:,.2f} km")
    st.markdown("Measured on the WGS84 ellipsoid: " + " · ".join(text))


def compared(data_key: tuple, tl: Timeline, view: dict) -> None:
    """Gained and lost ground of each area layer between the map's two dates."""
    if not view.get("compare"):
        return
    a = dt.date.fromisoformat(view["date"])
    b = dt.date.fromisoformat(view["compare"])
    layers = tuple(x for x in view.get("layers", []) if x in tl.area_layers)
    # Cached: every bridge report (one per pause) reruns this fragment.
    rows = cache.compare_rows(data_key, layers, a, b)
    if rows:
        st.markdown(f"**From {a:%d %b %Y} to {b:%d %b %Y}** (geodesic km²; gained = on the "
                    "second date only, lost = on the first date only)")
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="content",
                     column_config={k: st.column_config.NumberColumn(format="%.1f")
                                    for k in rows[0] if k != "layer"})


def session_data_key(directory: str, version: str) -> tuple:
    """Return the key every cache reads: the data folder's version and the session's uploads."""
    uploads = st.session_state.get("uploads") or {}
    return (directory, version, tuple((k, len(v)) for k, v in sorted(uploads.items())))


def map_section(directory: str, version: str) -> None:
    """Draw the map, then what only the server computes for the view it reports.

    Run as a fragment: a drawing or a bridge report reruns only this. It reads the
    session's uploads itself, not from the run that first drew it: a bridge report that
    arrives while an upload's run is still computing stops that run and reruns only the
    fragment, and with the older run's arguments the upload would never reach the map
    (the sidebar and the notices already showing it).
    """
    data_key = session_data_key(directory, version)
    tl = cache.timeline(data_key)
    initial = st.session_state["initial"]
    m = map_figure(data_key, initial)
    # The bridge first: it starts fetching the map's scripts before the map's frame asks.
    report = _bridge()(key="bridge", default={"view": None}, data={"prefetch": asset_links(m)},
                       on_view_change=lambda: None)
    out = draw_map(m)
    if report is not None and getattr(report, "view", None):
        st.session_state["view_state"] = dict(report.view)
    drawings = (out or {}).get("all_drawings") or []
    if drawings != (st.session_state.get("drawings") or []):
        # New shapes: measure them once, and rerun once so their labels are on the map.
        st.session_state["drawings"] = drawings
        st.session_state["measured"] = measurements(drawings)
        st.rerun(scope="fragment")
    measured(st.session_state.get("measured") or [])
    compared(data_key, tl, current_view())


# --------------------------------------------------------------------------- sidebar

def upload_sidebar() -> list[tuple[str, list[str]]]:
    """Read uploaded layers into session memory; return ``(file, problems)`` of bad ones."""
    uploads = st.session_state.setdefault("uploads", {})
    uploaded = st.sidebar.file_uploader(
        "Add your own layer (GeoJSON, ≤ 5 MB)", type=["geojson", "json"],
        accept_multiple_files=True, key="upload_files",
        help="A FeatureCollection of Polygon/MultiPolygon (or Point/LineString) features in "
             "lon/lat (RFC 7946, WGS84). Each feature's properties need: "
             + ", ".join(REQUIRED_PROPERTIES) + ". `layer` may be any name (it is shown "
             "as 'upload: <name>' in its own style, apart from the project's layers); "
             "`status` is held, contested or claimed; `valid_from`/`valid_to` are "
             "YYYY-MM-DD (valid_to exclusive, or null); `sources` is a list of "
             "{claim_maker, outlet, date, figure}. Kept in this browser session's memory "
             "only; nothing is written to disk.")
    errors: list[tuple[str, list[str]]] = []
    live = set()
    for file in uploaded or []:
        raw = file.getvalue()
        key = f"{file.name} ({hashlib.sha256(raw).hexdigest()[:10]})"
        if key not in uploads:
            try:
                frame = parse_layer_bytes(raw, file.name, max_bytes=UPLOAD_MAX_BYTES,
                                          any_layer=True)
            except LayerValidationError as exc:
                errors.append((file.name, [str(p) for p in exc.problems]))
                continue
            frame = frame.copy()
            frame["layer"] = UPLOAD_PREFIX + frame["layer"].astype(str)
            frame["id"] = "upload:" + frame["id"].astype(str)
            uploads[key] = frame
        live.add(key)
    for key in [k for k in uploads if k not in live]:
        del uploads[key]
    return errors


def data_sidebar(directory: str, data: cache.Data, tl: Timeline) -> None:
    """Say what is loaded, and where the basemap comes from."""
    with st.sidebar:
        st.caption(f"Data folder: {md_escape(directory)} · {len(data.files_loaded)} layer "
                   f"file(s), {len(tl.features)} features, {len(data.claims)} claims, "
                   f"{len(data.factbase.facts) if data.factbase else 0} facts.")
        st.caption("Basemap drawn from the shipped data (OSM border, Natural Earth oblasts, "
                   "GeoNames). Online OpenStreetMap tiles can be switched on in the map's "
                   "layer button (top right); they are off by default.")


def notices(directory: str, data: cache.Data, tl: Timeline,
            upload_errors: list[tuple[str, list[str]]]) -> None:
    """Say what went wrong with the link, the data folder or an upload (compactly)."""
    for warning in st.session_state.pop("link_warnings", []):
        st.warning(warning)
    if data.problems:
        files = sorted({p.file for p in data.problems})
        with st.expander(f"⚠ {plural(len(data.problems), 'problem')} in "
                         f"{plural(len(files), 'file')}: {md_escape(', '.join(files))} "
                         "(skipped; every other layer is shown)"):
            st.markdown("\n".join(f"- {md_escape(p)}" for p in data.problems[:50]))
    for note in data.notes:
        st.info(note)
    for name, problems in upload_errors:
        fields = sorted({p.split(": field ")[-1].split("'")[1] for p in problems
                         if ": field '" in p})
        with st.expander(f"⚠ Upload {md_escape(name)} was not loaded: "
                         f"{plural(len(problems), 'problem')}"
                         + (f" (fields {md_escape(', '.join(fields[:8]))})" if fields else "")):
            st.markdown("\n".join(f"- {md_escape(p)}" for p in problems[:50]))
    if not len(tl.features):
        st.info(f"No layer files loaded from {md_escape(default_paths(Path(directory)).layers)} "
                "yet: the map shows the basemap only.")


# --------------------------------------------------------------------------- under the map

def chart_section(data_key: tuple, tl: Timeline) -> None:
    """Area of each layer over time with the published figures (lazy)."""
    box = st.expander("Area over time, with the published figures", key="chart_open",
                      on_change="rerun")
    if not box.open or not tl.area_layers:
        return
    with box:
        spec = cache.chart_spec(data_key, tuple(chart_layers(tl.area_layers)))
        spec = {**spec, "datasets": {**spec["datasets"], "today": pd.DataFrame(
            {"date": [pd.Timestamp(current_view()["date"])]})}}
        st.vega_lite_chart(spec, width="stretch", key="area_chart")
        st.caption("Lines: map area (geodesic km²); the grey ones are the unions Kyiv's "
                   "totals and Russia's 'left to Ukraine' measure, the pink one the Sumy "
                   "zone's held part, which the trackers' Sumy figures measure. Diamonds: "
                   "published area figures, each beside the line of the ground it measures. "
                   "Red dashes: the map's date when this chart was opened.")


def claims_section(data: cache.Data, data_key: tuple) -> None:
    """Every published figure against the map's value of the quantity it measures (lazy)."""
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
                   "with_contested_text", "quantity", "side", "layers", "statuses", "outlet",
                   "claim_id", "note"]],
            hide_index=True, width="stretch",
            column_config={
                "claim": st.column_config.TextColumn("claim (who, when, what)", width="large"),
                "figure_text": "their figure", "map_text": "the map",
                "difference_text": "map − figure",
                "verdict": st.column_config.TextColumn("verdict", width="large"),
                "with_contested_text": st.column_config.TextColumn(
                    "the map with the contested ground (held-ground figures)",
                    width="large"),
            })
        computed = shown["map_value"].notna()
        tested = shown["within"].notna()
        st.caption(
            f"{plural(int(len(shown)), 'claim')} shown, {int(computed.sum())} computed from "
            f"the map; {int(shown['within'].sum())} of {int(tested.sum())} with a tolerance "
            "or a bound agree. Each figure is compared with the quantity it measures "
            "(the area on its date, a peak, ground lost in a window, a share, settlements "
            "from the facts, a depth or a route's length), on the claim's own date. A figure "
            "of held ground alone is also set beside the map with the contested ground: "
            "between the two, the figure and the map differ in how they class the ground "
            "the sources dispute; outside both, in its extent.")


EXPORT_LABELS = {
    "png": "PNG map (static render)", "svg": "SVG map", "pdf": "PDF map",
    "html": "Standalone interactive HTML of the date (works offline)",
    "timeline": "The whole timeline in one HTML file (slider, play; works offline)",
    "geojson": "Layers of the date (GeoJSON)", "gpkg": "Layers of the date (GeoPackage)",
    "csv": "Area table and claims check (two CSV files)",
    "gif": "Animated timeline (GIF)", "mp4": "Animated timeline (MP4)",
}


def export_section(data: cache.Data, tl: Timeline, data_key: tuple) -> None:
    """Export the map's current view (date, layers, bounds) on request (lazy)."""
    box = st.expander("Export this view", key="export_open", on_change="rerun")
    if not box.open:
        return
    with box:
        view = current_view()
        day_now = dt.date.fromisoformat(view["date"])
        area_chosen = [x for x in view.get("layers", []) if x in tl.area_layers or x == "events"]
        bbox = tuple(view["bbox"]) if view.get("bbox") else None
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
        where = ("the map's current bounds " + ", ".join(f"{x:.3f}" for x in bbox)
                 if bbox else "the date's layers")
        st.caption(f"Date: **{day_now.isoformat()}** · layers: "
                   f"{md_escape(', '.join(fm.layer_label(x) for x in area_chosen) or 'none')} · "
                   f"extent: {where} (as the map shows them now). Built offline from the same "
                   "layers and basemap; the file is not written anywhere on the server.")
        request = (fmt, view["date"], tuple(area_chosen), bbox, tuple(sorted(opts.items())),
                   data_key)
        if st.button("Prepare export", key="ex_go"):
            bar = st.progress(0.0, text="Rendering …") if fmt in ("gif", "mp4") else None

            def tick(done: int, total: int) -> None:
                """Advance the progress bar (one call per rendered frame)."""
                if bar is not None:
                    bar.progress(done / max(total, 1), text=f"Frame {done} of {total}")

            try:
                st.session_state["export"] = (request, _build_export(
                    fmt, data, tl, data_key, day_now, area_chosen, bbox, opts, tick))
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


def _build_export(fmt, data, tl, data_key, day, layers, bbox, opts, tick) -> list:
    # Imported here: the exporters pull in matplotlib (~0.5 s), which the map never needs.
    if fmt == "timeline":
        from views.timeline_html import export_timeline_html

        return [export_timeline_html(cache.timeline_payload(data_key), data.base,
                                     initial=InitialState(day.isoformat(), layers=layers))]
    from views.exporters import build_exports

    return build_exports(fmt, tl, data.base, day, layers, claims=data.claims,
                         width_px=opts["width"], height_px=opts["height"], dpi=opts["dpi"],
                         start=opts.get("start"), end=opts.get("end"), progress=tick,
                         bbox=bbox)


# --------------------------------------------------------------------------- page

def main() -> None:
    """Draw the page for one session's script run."""
    st.set_page_config(page_title="Kursk front line, 2024-2025", page_icon=FAVICON_SVG,
                       layout="wide", initial_sidebar_state="collapsed")
    st.html(_PAGE_CSS)
    directory = str(cache.data_dir())
    version = cache.data_version(Path(directory))
    data = cache.load_data(directory, version)
    with st.sidebar:
        st.header("Your layers and the data")
    upload_errors = upload_sidebar()
    data_key = session_data_key(directory, version)
    tl = cache.timeline(data_key)
    default_day = max([d for d in tl.change_dates() if d <= TIMELINE_END] or [TIMELINE_END])
    init_state(tl, default_day)  # the opening state, read once per session (the map reads it)
    data_sidebar(directory, data, tl)

    st.title("Kursk incursion: the front line through time")
    notices(directory, data, tl, upload_errors)
    st.fragment(map_section)(directory, version)
    chart_section(data_key, tl)
    claims_section(data, data_key)
    export_section(data, tl, data_key)
