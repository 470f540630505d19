"""The one map assembly of the dashboard and the timeline HTML (dates change in the browser).

:func:`timeline_map` builds a folium map (the offline basemap, the measuring tools,
optional online tiles) and mounts the timeline control of
``static/js/frontline-timeline.js`` on it, fed with every state of every layer
(:func:`views.timeline_data.timeline_data`). The dashboard links the payload and the
scripts by URL (served from ``static/``; the browser caches them); the timeline export
inlines them (:func:`standalone_html`), so one file works offline on any static host.

Pure: builds folium objects and strings; reads only the project's own static files.
"""

from __future__ import annotations

import functools
import hashlib
import html as html_lib
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from views import assets
from views.folium_map import BASE_STYLE, base_map
from views.styles import ATTRIBUTION
from views.timeline_data import timeline_js

__all__ = ["INLINE_BASE", "OWN_DIR", "InitialState", "TimelineControl", "asset_links",
           "own_asset_files", "own_url", "standalone_html", "timeline_map"]

#: The project's own browser code (not vendored: written here).
OWN_DIR = Path(__file__).resolve().parents[1] / "static" / "js"
#: URL prefix of OWN_DIR under ``streamlit run``.
STREAMLIT_OWN_BASE_URL = "/app/static/js"
#: A placeholder URL prefix that :func:`standalone_html` replaces with inlined files.
INLINE_BASE = "frontline-inline://"
_OWN = [("css", "frontline_timeline_css", "frontline-timeline.css"),
        ("js", "frontline_timeline_js", "frontline-timeline.js")]


def own_asset_files() -> list[tuple[str, str, Path]]:
    """Return the timeline's own script and stylesheet: ``(kind, name, path)``.

    Examples
    --------
    >>> [(k, p.name) for k, _, p in own_asset_files()]
    [('css', 'frontline-timeline.css'), ('js', 'frontline-timeline.js')]
    """
    return [(kind, name, OWN_DIR / rel) for kind, name, rel in _OWN]


def own_url(rel: str, base_url: str) -> str:
    """URL of one of the timeline's own files, with its content's digest as ``?v=``.

    A browser that cached an older script after an upgrade fetches the new one (the
    file's name stays the same, so a page or an export can be read with it).

    Examples
    --------
    >>> own_url("frontline-timeline.js", "/js").startswith("/js/frontline-timeline.js?v=")
    True
    """
    digest = hashlib.sha256((OWN_DIR / rel).read_bytes()).hexdigest()[:12]
    return f"{base_url.rstrip('/')}/{rel}?v={digest}"


@dataclass(frozen=True)
class InitialState:
    """What the map opens on (the browser's own address wins once it has written one).

    Attributes
    ----------
    day : str
        ISO day.
    layers : list of str or None
        Layers shown (None: all).
    compare : str or None
        A second ISO day to show side by side.
    view : (lat, lon, zoom) or None
        None: fit ``bounds``, else the date's layers.
    settlements : bool
        Draw the settlement markers.
    bounds : [[lat_min, lon_min], [lat_max, lon_max]] or None
        A view to fit (an export of the dashboard's view).
    """

    day: str
    layers: Sequence[str] | None = None
    compare: str | None = None
    view: Sequence[float] | None = None
    settlements: bool = True
    bounds: Sequence[Sequence[float]] | None = None


@dataclass(frozen=True)
class _Options:
    initial: dict
    url: str
    bridge: bool
    title: str
    attribution: str = ATTRIBUTION
    playMs: int = 250  # noqa: N815 (the script's option name)
    fit: bool = True
    extra: dict = field(default_factory=dict)


class TimelineControl(JSCSSMixin, MacroElement):
    """Mount the timeline (``FLTimeline.mount``) on its parent map.

    ``payload_js`` given (a :func:`views.timeline_data.timeline_js` script), the states are
    embedded in the page; otherwise they are loaded beforehand from ``payload_url``.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
{% if this.payload_js %}{{ this.payload_js }}{% endif %}
(function (map) {
    FLTimeline.basemapStyles = {{ this.basemap_styles|tojson }};
    FLTimeline.basemap(map, window.FL_BASEMAP);
    FLTimeline.mount(map, {{ this.options|tojson }});
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, options: _Options, *, base_url: str, payload_url: str | None = None,
                 payload_js: str | None = None):
        super().__init__()
        self._name = "TimelineControl"
        self.options = asdict(options)
        self.payload_js = payload_js
        self.basemap_styles = {
            "countries": {"fillColor": BASE_STYLE["UKR"]["fill"], "fillOpacity": 1.0,
                          "stroke": False},
            "oblasts": {"color": BASE_STYLE["oblast_line"], "weight": 1, "dashArray": "5 4",
                        "opacity": 0.9, "fill": False},
            "border": {"color": BASE_STYLE["border_line"], "weight": 2.5, "opacity": 0.9,
                       "fill": False},
        }
        js = [(name, own_url(rel, base_url)) for kind, name, rel in _OWN if kind == "js"]
        if payload_url:
            js.insert(0, ("frontline_timeline_data", payload_url))
        self.default_js = js
        # The stylesheet is inline (timeline_map puts it in the head): the control waits
        # for its layout before it measures the map, and a linked sheet is only fetched
        # after every script has loaded (streamlit_folium loads them one by one).
        self.default_css = []


def timeline_map(base, *, initial: InitialState, asset_base_url: str, own_base_url: str,
                 payload_url: str | None = None, payload: Mapping | None = None,
                 basemap_url: str | None = None, display: dict | None = None,
                 url_mode: str = "hash", bridge: bool = False, title: str = "",
                 draw: bool = False, online_tiles: bool = False, fit: bool = True
                 ) -> folium.Map:
    """Build the timeline map: one assembly for the dashboard and the timeline HTML.

    Parameters
    ----------
    base : layers.BaseLayers or None
        For the basemap when ``display`` and ``basemap_url`` are not given.
    initial : InitialState
        The state the map opens on.
    asset_base_url, own_base_url : str
        Where ``static/vendor`` and ``static/js`` are served (or :data:`INLINE_BASE`
        forms for a file that :func:`standalone_html` inlines).
    payload_url, payload : optional
        The states by URL (the dashboard) or embedded (an export).
    basemap_url, display : optional
        The basemap script by URL, or its data embedded.
    url_mode : {"parent", "hash", "none"}
        Where the permalink is written: the dashboard's address bar, the page's own
        ``#`` fragment, or nowhere.
    bridge : bool
        Post the state to the dashboard's bridge component (``frontline:state``).
    title : str
        Shown at the top of the figures panel (and the page title of an export).
    draw, online_tiles : bool
        Measuring tools; (unticked) OpenStreetMap tiles.
    fit : bool
        Open on the date's layers (when the initial state has no view).

    Examples
    --------
    >>> m = timeline_map(None, initial=InitialState("2025-03-14"), asset_base_url="/v",
    ...                  own_base_url="/js", payload={"n": 1}, display={"labels": []})
    >>> html = m.get_root().render()
    >>> "FLTimeline.mount" in html, "/js/frontline-timeline.js" in html
    (True, True)
    """
    m = base_map(base, asset_base_url=asset_base_url, draw=draw, online_tiles=online_tiles,
                 display=display, basemap_url=basemap_url)
    if title:
        m.get_root().header.add_child(
            Element(f"<title>{html_lib.escape(title)}</title>"), name="frontline_title")
    options = _Options(initial=asdict(initial), url=url_mode, bridge=bridge, title=title,
                       fit=fit)
    TimelineControl(options, base_url=own_base_url, payload_url=payload_url,
                    payload_js=timeline_js(payload) if payload is not None else None
                    ).add_to(m)
    m.get_root().header.add_child(Element(_own_css_tag()), name="frontline_timeline_css")
    return m


def asset_links(fmap: folium.Map) -> list[str]:
    """Every script and stylesheet URL the map's page links, in the order it loads them.

    The dashboard hands them to its bridge, which fetches them into the browser's cache
    while the map's frame is still being set up (the frame then loads each from there).

    Examples
    --------
    >>> m = timeline_map(None, initial=InitialState("2025-03-14"), asset_base_url="/v",
    ...                  own_base_url="/js", payload_url="/p.js", display={"labels": []})
    >>> [u.split("?")[0] for u in asset_links(m)][-2:]
    ['/p.js', '/js/frontline-timeline.js']
    """
    links: list[str] = []

    def walk(element) -> None:
        if isinstance(element, JSCSSMixin):
            links.extend(url for _, url in [*element.default_js, *element.default_css])
        for child in element._children.values():
            walk(child)

    walk(fmap.get_root())
    return list(dict.fromkeys(u for u in links if not u.startswith(("http:", "https:"))))


_EXTERNAL = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)=[\"'](?!data:)[^\"']+[\"']",
                       re.I)


def _own_css_tag() -> str:
    """Return the control's stylesheet as a ``<style>`` tag (read once per file version)."""
    path = next(p for kind, _, p in own_asset_files() if kind == "css")
    return _inline_file_cached("css", path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _inline_file_cached(kind: str, path: Path, _mtime_ns: int) -> str:
    # Every run of the dashboard's map fragment builds the map; the file is read again
    # only when it changes.
    return _inline_file(kind, path)


def _inline_file(kind: str, path: Path) -> str:
    if kind == "css":
        return "<style>" + assets.inline_css(path).replace("</style", "<\\/style") + "</style>"
    return "<script>" + path.read_text(encoding="utf-8").replace("</script", "<\\/script") + \
        "</script>"


def standalone_html(fmap: folium.Map, *, vendor_base: str, own_base: str) -> str:
    """Render ``fmap`` with every linked script and stylesheet inlined: one offline file.

    ``vendor_base`` and ``own_base`` are the URL prefixes the map was built with; each of
    their links becomes the file's content. Raises ``RuntimeError`` if anything is still
    linked afterwards (an asset that is not vendored would not load offline).

    Examples
    --------
    >>> m = timeline_map(None, initial=InitialState("2025-03-14"),
    ...                  asset_base_url=INLINE_BASE + "vendor", own_base_url=INLINE_BASE + "js",
    ...                  payload={"n": 1}, display={"labels": []})
    >>> page = standalone_html(m, vendor_base=INLINE_BASE + "vendor",
    ...                        own_base=INLINE_BASE + "js")
    >>> "frontline-inline" in page, "FLTimeline.mount" in page
    (False, True)
    """
    page = fmap.get_root().render()
    files = [(kind, assets.asset_url(path.relative_to(assets.VENDOR_DIR).as_posix(),
                                     vendor_base), path)
             for kind, _, path in assets.asset_files()]
    # The control's stylesheet is already inline (timeline_map); its script is linked.
    files += [(kind, own_url(path.name, own_base), path)
              for kind, _, path in own_asset_files() if kind == "js"]
    for kind, url, path in files:
        if kind == "js":
            pattern = r"<script\b[^>]*\bsrc=[\"']" + re.escape(url) + r"[\"'][^>]*>\s*</script>"
        else:
            pattern = r"<link\b[^>]*\bhref=[\"']" + re.escape(url) + r"[\"'][^>]*/?>"
        tag = _inline_file(kind, path)
        page = re.sub(pattern, lambda _m, t=tag: t, page)
    leftover = _EXTERNAL.search(page)
    if leftover or INLINE_BASE in page:
        where = page[leftover.start():leftover.start() + 160] if leftover else INLINE_BASE
        raise RuntimeError(f"the standalone HTML still links an external asset: {where!r}")
    return page
