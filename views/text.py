"""Plain words for the dashboard's Markdown: escaping data text, counting nouns.

Pure; nothing here imports streamlit.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["map_label", "md_escape", "plural"]

# What Markdown (and Streamlit's extensions) could turn into a link, an image, HTML,
# maths or colour. Dots, hyphens and underscores inside words stay readable.
_MD_SPECIAL = re.compile(r"([\\`*\[\]()#!|<>~$])")


def md_escape(text: Any) -> str:
    r"""Escape Markdown (and Streamlit's ``:colour[...]``, ``$math$``) in data text.

    Examples
    --------
    >>> print(md_escape("![x](http://a) <b> a_b.geojson"))
    \!\[x\]\(http://a\) \<b\> a_b.geojson
    """
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


_GEONAMES_ID = re.compile(r"\s*\(GeoNames \d+\)$")


def map_label(name: Any) -> str:
    """Return a gazetteer name as the map writes it: without a bare GeoNames id.

    The gazetteer tells a second place of a taken name apart by its oblast or, failing
    that, its GeoNames id; the id means nothing on a map (tooltips, popups and exports
    keep the full name), an oblast or district does.

    Examples
    --------
    >>> map_label("Mykolaivka (GeoNames 687064)"), map_label("Tokari (Poltava oblast)")
    ('Mykolaivka', 'Tokari (Poltava oblast)')
    """
    return _GEONAMES_ID.sub("", "" if name is None else str(name))


def plural(n: int, word: str) -> str:
    """Return ``1 day``, ``2 days``: a count with its noun.

    Examples
    --------
    >>> plural(1, "day"), plural(0, "settlement"), plural(3, "settlement")
    ('1 day', '0 settlements', '3 settlements')
    """
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
