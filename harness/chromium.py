"""Debian's chromium for Playwright: where it is, how it is launched, what is missing.

Playwright's own browser download does not work on these machines; the harness always
launches ``/usr/bin/chromium`` (``apt-get install chromium``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "block_network", "hover_visible", "launch_options",
           "missing_browser"]

#: Debian's chromium.
CHROMIUM = "/usr/bin/chromium"
#: No sandbox (containers), no GPU, nothing phoning home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def launch_options(*extra: str) -> dict:
    """Keyword arguments for ``playwright.chromium.launch``.

    Examples
    --------
    >>> opts = launch_options("--mute-audio")
    >>> opts["executable_path"], opts["args"][0], opts["args"][-1]
    ('/usr/bin/chromium', '--no-sandbox', '--mute-audio')
    """
    return {"executable_path": CHROMIUM, "args": [*CHROMIUM_ARGS, *extra]}


def missing_browser(chromium: str = CHROMIUM) -> str | None:
    """Why a browser test cannot run here (None when chromium and Playwright are present).

    Examples
    --------
    >>> missing_browser("/nonexistent/chromium")
    '/nonexistent/chromium not found (apt-get install chromium)'
    """
    if not Path(chromium).exists():
        return f"{chromium} not found (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed"
    return None


def block_network(page) -> list[str]:
    """Abort every request of ``page`` that is not a local file or data: URL (offline).

    Returns the list the aborted URLs are appended to (empty while the page needs
    nothing from a network), for a test to assert on.
    """
    blocked: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return blocked


#: A point of the map where the top element is one of ``selector``'s, in page pixels.
_FIND_POINT = """(selector) => {
    const box = document.querySelector('.leaflet-container').getBoundingClientRect();
    for (let y = box.top + 4; y < box.bottom; y += 5) {
        for (let x = box.left + 4; x < box.right; x += 5) {
            const el = document.elementFromPoint(x, y);
            if (el && el.matches && el.matches(selector)) return [x, y];
        }
    }
    return null;
}"""


def hover_visible(page, selector: str) -> tuple[float, float]:
    """Move the mouse onto a visible part of an element matching ``selector``.

    Hovering an SVG path at its bounding box's centre misses a ring-shaped or
    multi-part area and can land on a marker drawn over it; this looks for a point
    where the element is really on top (``document.elementFromPoint``).

    Returns the (x, y) page pixels hovered; raises AssertionError if the map shows no
    such element anywhere.
    """
    point = page.evaluate(_FIND_POINT, selector)
    assert point is not None, f"no visible {selector} on the map"
    page.mouse.move(*point)
    return tuple(point)
