"""Compile each of folium's and branca's Jinja templates once per process.

branca builds a new ``jinja2.Template`` for every element created from a template
string (each script and stylesheet link, each ``Element``), and folium does the same
inside ``GeoJson``'s tooltip and popup ``render``: dozens of compilations per map, on
every date change of the dashboard (~35 ms of its ~100 ms of Python per step, measured
with cProfile under AppTest). A compiled template renders without keeping state, so
one per distinct source can be shared. :func:`install` swaps the ``Template`` name those
two modules look up for a cached factory of the same class; it is idempotent and
changes no output (``tests/test_folium_map.py`` compares maps rendered with and without).
"""

from __future__ import annotations

import functools

import branca.element
import folium.features
import folium.template
import jinja2

__all__ = ["install", "installed", "uninstall"]

_ORIGINAL = {"branca": branca.element.Template, "folium": folium.features.Template}


@functools.lru_cache(maxsize=1024)
def _jinja_template(source: str) -> jinja2.Template:
    return _ORIGINAL["branca"](source)


@functools.lru_cache(maxsize=1024)
def _folium_template(source: str) -> folium.template.Template:
    return _ORIGINAL["folium"](source)


def _cached(factory, original):
    def template(source: str, *args, **kwargs):
        if args or kwargs or not isinstance(source, str):
            return original(source, *args, **kwargs)
        return factory(source)

    template.cached = True
    return template


def install() -> None:
    """Make branca and folium reuse compiled templates (safe to call more than once).

    Examples
    --------
    >>> install(); installed()
    True
    >>> from branca.element import Element
    >>> Element("<b>{{ this._name }}</b>")._template is Element("<b>{{ this._name }}</b>")._template
    True
    """
    if installed():
        return
    branca.element.Template = _cached(_jinja_template, _ORIGINAL["branca"])
    folium.features.Template = _cached(_folium_template, _ORIGINAL["folium"])


def uninstall() -> None:
    """Restore the libraries' own ``Template`` (for tests comparing the two)."""
    branca.element.Template = _ORIGINAL["branca"]
    folium.features.Template = _ORIGINAL["folium"]


def installed() -> bool:
    """Return whether :func:`install` is in effect."""
    return getattr(branca.element.Template, "cached", False) and getattr(
        folium.features.Template, "cached", False)
