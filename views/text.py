"""Plain words for the dashboard's Markdown: escaping data text, counting nouns.

Pure; nothing here imports streamlit.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["md_escape", "plural"]

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


def plural(n: int, word: str) -> str:
    """Return ``1 day``, ``2 days``: a count with its noun.

    Examples
    --------
    >>> plural(1, "day"), plural(0, "settlement"), plural(3, "settlement")
    ('1 day', '0 settlements', '3 settlements')
    """
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
