"""Where the vendored browser assets live, for Streamlit static serving and for inlining.

The map needs only Leaflet and Leaflet.draw (``static/vendor/``, produced by
``scripts/vendor_assets.py``). Folium's other defaults (jQuery, Bootstrap, Awesome
Markers, glyphicons) are not used by any element of our map and are dropped,
so no request ever leaves the app's host.

Streamlit serves ``static/`` at ``/app/static/`` when ``server.enableStaticServing``
is on (``.streamlit/config.toml``); the st_folium component's iframe is on the same
origin, so the absolute path :data:`STREAMLIT_ASSET_BASE_URL` works from it.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import os
import re
import tempfile
import time
from pathlib import Path

__all__ = ["CACHE_DIR", "STREAMLIT_ASSET_BASE_URL", "STREAMLIT_CACHE_BASE_URL", "VENDOR_DIR",
           "asset_files", "asset_url", "css_links", "draw_css_links", "draw_js_links",
           "inline_css", "inline_tags", "js_links", "prune", "publish"]

#: The repository's ``static/vendor`` folder.
VENDOR_DIR = Path(__file__).resolve().parents[1] / "static" / "vendor"
#: URL prefix of VENDOR_DIR when served by ``streamlit run`` with static serving on.
STREAMLIT_ASSET_BASE_URL = "/app/static/vendor"
#: Generated, git-ignored files the app serves (e.g. the basemap script); re-made at startup.
CACHE_DIR = VENDOR_DIR.parent / "cache"
#: URL prefix of CACHE_DIR under ``streamlit run``.
STREAMLIT_CACHE_BASE_URL = "/app/static/cache"


def publish(stem: str, text: str, suffix: str = ".js", *, folder: Path | None = None,
            base_url: str = STREAMLIT_CACHE_BASE_URL) -> str:
    """Write ``text`` to ``<folder>/<stem>-<sha256[:16]><suffix>`` (once) and return its URL.

    The name carries the content's hash, so a browser's cached copy is never stale and
    several app processes can share the folder (written atomically).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     url = publish("basemap", "var x = 1;", folder=Path(tmp), base_url="/s")
    ...     (Path(tmp) / url[3:]).read_text()
    'var x = 1;'
    >>> url
    '/s/basemap-f677d6b770cd4f5e.js'
    """
    folder = CACHE_DIR if folder is None else Path(folder)
    data = text.encode("utf-8")
    name = f"{stem}-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    target = folder / name
    if not target.is_file() or target.stat().st_size != len(data):
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=suffix)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        prune(folder, stem, suffix, current=target)
    else:
        os.utime(target)  # in use again: the newest, so pruning keeps it
    return asset_url(name, base_url)


#: How many versions of one published file :func:`prune` keeps (the newest) ...
KEEP_VERSIONS = 6
#: ... and how many days an older version may stay unused before it is deleted.
KEEP_DAYS = 7


def prune(folder: Path, stem: str, suffix: str = ".js", keep: int = KEEP_VERSIONS,
          current: Path | None = None, max_age_days: float = KEEP_DAYS) -> list[Path]:
    """Delete the ``<stem>-<hash><suffix>`` files of ``folder`` that are stale.

    A file is stale when ``keep`` newer versions exist *and* it has not been published
    or used for ``max_age_days``: each data change publishes new files, and a page or a
    server process still holding an older URL keeps working for days (several app and
    test processes share the folder). ``current`` (the file just published) is always
    kept. Returns what was deleted.

    Examples
    --------
    >>> import tempfile, time
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     urls = [publish("t", f"var v = {i};", folder=Path(tmp), base_url="/s")
    ...             for i in range(KEEP_VERSIONS + 3)]
    ...     fresh = len(list(Path(tmp).iterdir()))        # all recent: none deleted
    ...     old = time.time() - 30 * 86400
    ...     for path in Path(tmp).iterdir():
    ...         os.utime(path, (old, old))
    ...     gone = prune(Path(tmp), "t", current=Path(tmp) / urls[-1].rsplit("/", 1)[1])
    ...     left = sorted(p.name for p in Path(tmp).iterdir())
    >>> fresh, len(gone), len(left), urls[-1].rsplit("/", 1)[1] in left
    (9, 3, 6, True)
    """
    versions = []
    for path in Path(folder).glob(f"{stem}-*{suffix}"):
        if re.fullmatch(rf"{re.escape(stem)}-[0-9a-f]{{16}}{re.escape(suffix)}", path.name):
            try:
                versions.append((path == current, path.stat().st_mtime, path.name, path))
            except FileNotFoundError:  # another process pruned it first
                continue
    cutoff = time.time() - max_age_days * 86400
    gone = []
    for _, mtime, _, path in sorted(versions, reverse=True)[keep:]:
        if mtime >= cutoff:
            continue
        try:
            path.unlink()
            gone.append(path)
        except FileNotFoundError:
            pass
    return gone

# (kind, folium link name, path under VENDOR_DIR). The names are folium's own, so an
# exporter can swap folium's links one for one.
_MAP = [("css", "leaflet_css", "leaflet/leaflet.css"), ("js", "leaflet", "leaflet/leaflet.js")]
_DRAW = [("css", "leaflet_draw_css", "leaflet-draw/leaflet.draw.css"),
         ("js", "leaflet_draw_js", "leaflet-draw/leaflet.draw.js")]


def asset_files(draw: bool = True) -> list[tuple[str, str, Path]]:
    """Every local asset the map needs: ``(kind, name, path)``, kind ``"js"`` or ``"css"``.

    In load order (Leaflet before Leaflet.draw).

    Examples
    --------
    >>> [name for kind, name, _ in asset_files()]
    ['leaflet_css', 'leaflet', 'leaflet_draw_css', 'leaflet_draw_js']
    >>> all(path.is_file() for _, _, path in asset_files())
    True
    """
    entries = _MAP + (_DRAW if draw else [])
    return [(kind, name, VENDOR_DIR / rel) for kind, name, rel in entries]


def asset_url(rel: str, base_url: str = STREAMLIT_ASSET_BASE_URL) -> str:
    """URL of ``rel`` (a path under VENDOR_DIR) below ``base_url``.

    Examples
    --------
    >>> asset_url("leaflet/leaflet.js")
    '/app/static/vendor/leaflet/leaflet.js'
    >>> asset_url("leaflet/leaflet.js", "vendor/")
    'vendor/leaflet/leaflet.js'
    """
    return f"{base_url.rstrip('/')}/{rel}"


def _links(entries, kind: str, base_url: str) -> list[tuple[str, str]]:
    return [(name, asset_url(rel, base_url)) for k, name, rel in entries if k == kind]


def js_links(base_url: str = STREAMLIT_ASSET_BASE_URL) -> list[tuple[str, str]]:
    """Folium-style ``(name, url)`` JS links of the map (Leaflet only)."""
    return _links(_MAP, "js", base_url)


def css_links(base_url: str = STREAMLIT_ASSET_BASE_URL) -> list[tuple[str, str]]:
    """Folium-style ``(name, url)`` CSS links of the map (Leaflet only)."""
    return _links(_MAP, "css", base_url)


def draw_js_links(base_url: str = STREAMLIT_ASSET_BASE_URL) -> list[tuple[str, str]]:
    """Folium-style JS links of the Leaflet.draw plugin."""
    return _links(_DRAW, "js", base_url)


def draw_css_links(base_url: str = STREAMLIT_ASSET_BASE_URL) -> list[tuple[str, str]]:
    """Folium-style CSS links of the Leaflet.draw plugin."""
    return _links(_DRAW, "css", base_url)


_URL_RE = re.compile(r"url\((['\"]?)(?!data:)([^'\")]+)\1\)")


def inline_css(path: Path) -> str:
    """Return the CSS file's text with relative ``url(...)`` made data: URIs.

    For standalone HTML: Leaflet's and Leaflet.draw's sprites then need no file.

    Examples
    --------
    >>> css = inline_css(VENDOR_DIR / "leaflet" / "leaflet.css")
    >>> "url(images/" in css, "data:image/png;base64," in css
    (False, True)
    """
    path = Path(path)

    def repl(match: re.Match) -> str:
        target = (path.parent / match.group(2)).resolve()
        if not target.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{data}")'

    return _URL_RE.sub(repl, path.read_text(encoding="utf-8"))


def inline_tags(draw: bool = True) -> str:
    """``<style>``/``<script>`` tags carrying every asset, for a standalone HTML head.

    Examples
    --------
    >>> tags = inline_tags(draw=False)
    >>> tags.count("<script>"), tags.count("<style>"), "url(images/" in tags
    (1, 1, False)
    """
    out = []
    for kind, _, path in asset_files(draw):
        if kind == "css":
            out.append(f"<style>{inline_css(path)}</style>")
        else:
            # A literal "</script" inside the code would end the tag early.
            code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
            out.append(f"<script>{code}</script>")
    return "\n".join(out)
