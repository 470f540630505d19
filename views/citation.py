"""Sources as a reader cites them: ``Syrskyi via Kyiv Independent, 27 Aug 2024``.

A layer feature's ``sources`` entries carry ``claim_maker``, ``outlet`` and
``date`` as they were stored: an outlet may be a stored-page id
(``themoscowtimes a88089``, ``devdiscourse 3255253``). :func:`cite` is the one
place that turns such an entry into the words a reader would cite, using the
outlet-name table the base layers carry (``data/base/outlets.csv``, read by
:func:`layers.outlets.read_outlets`). Every export prints sources through it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["cite", "citations", "outlet_name", "sources_on"]

# A stored-page id after an outlet's short name: a88089, 3255253, 2025/03/13/7502688,
# 2025-01-05. Always has a digit; never a word.
_PAGE_ID = re.compile(r"[a-z]{0,2}\d[\w/.-]*", re.IGNORECASE)


def _segment_name(text: str, outlets: Mapping[str, str]) -> str:
    text = text.strip()
    low = text.lower()
    if low in outlets:
        return outlets[low]
    words = text.split()
    if len(words) >= 2 and _PAGE_ID.fullmatch(words[-1]):
        head = " ".join(words[:-1])
        return outlets.get(head.lower(), head)  # never print the page id itself
    return outlets.get(words[0].lower(), text) if len(words) == 1 else text


def outlet_name(outlet: str, outlets: Mapping[str, str] | None = None) -> str:
    """Return the outlet's readable name: stored-page ids mapped, page numbers dropped.

    Several outlets (``a; b``) are joined with "and"; a relay chain
    (``Reuters via devdiscourse 3363675``) keeps its "via".

    Examples
    --------
    >>> table = {"themoscowtimes": "The Moscow Times", "kyivindependent": "Kyiv Independent"}
    >>> outlet_name("themoscowtimes a88089; kyivindependent", table)
    'The Moscow Times and Kyiv Independent'
    >>> outlet_name("Reuters via devdiscourse 3363675", {})
    'Reuters via devdiscourse'
    >>> outlet_name("Kyiv Independent (citing TASS)", table)
    'Kyiv Independent (citing TASS)'
    """
    outlets = outlets or {}
    parts = []
    for part in str(outlet or "").split(";"):
        if not part.strip():
            continue
        chain = [_segment_name(seg, outlets) for seg in re.split(r"\s+via\s+", part.strip())]
        name = " via ".join(dict.fromkeys(s for s in chain if s))
        if name and name not in parts:
            parts.append(name)
    return " and ".join(parts)


def _short_date(value: Any) -> str:
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return ""
    return f"{day.day} {day:%b %Y}"


def _is_placeholder(maker: str) -> bool:
    return not maker or (maker.startswith("(") and maker.endswith(")"))


def cite(source: Mapping[str, Any], outlets: Mapping[str, str] | None = None) -> str:
    """Return how a reader cites one source: claim maker via outlet, date.

    Parameters
    ----------
    source : mapping
        A ``sources`` entry: ``claim_maker``, ``outlet``, ``date`` (ISO).
    outlets : mapping, optional
        ``{stored-page id prefix: outlet name}`` (``BaseLayers.outlets``).

    Returns
    -------
    str
        ``"Syrskyi via Kyiv Independent, 27 Aug 2024"``; the claim maker is left
        out when it is the outlet itself or a placeholder such as ``(event)``.

    Examples
    --------
    >>> cite({"claim_maker": "Syrskyi", "outlet": "kyivindependent", "date": "2024-08-27"},
    ...      {"kyivindependent": "Kyiv Independent"})
    'Syrskyi via Kyiv Independent, 27 Aug 2024'
    >>> cite({"claim_maker": "Babel", "outlet": "Babel", "date": "2024-08-20"})
    'Babel, 20 Aug 2024'
    >>> cite({"claim_maker": "ISW", "outlet": "ISW via BCFA USA", "date": "2025-02-07"})
    'ISW via BCFA USA, 7 Feb 2025'
    >>> cite({"claim_maker": "(event)", "outlet": "overview article (seed 002)",
    ...       "date": "2024-08-06"}, {"overview article (seed 002)": "an overview article"})
    'an overview article, 6 Aug 2024'
    """
    maker = str(source.get("claim_maker") or "").strip()
    outlet = outlet_name(str(source.get("outlet") or ""), outlets)
    # "ISW" via "ISW via BCFA USA": the claim maker heads the outlet's own relay chain.
    if _is_placeholder(maker) or maker.lower() == outlet.lower() or \
            outlet.lower().startswith(maker.lower() + " via "):
        maker = ""
    who = f"{maker} via {outlet}" if maker and outlet else (maker or outlet)
    when = _short_date(source.get("date"))
    return ", ".join(p for p in (who, when) if p)


def citations(sources: Iterable[Any], outlets: Mapping[str, str] | None = None
              ) -> list[str]:
    """Cite every source entry once, the most-used first (by their ``facts`` count).

    ``sources`` is an iterable of a feature's ``sources`` lists (or of single
    entries); anything that is not a mapping is skipped.

    Examples
    --------
    >>> citations([[{"claim_maker": "ISW", "outlet": "ISW", "date": "2024-08-07"}],
    ...            [{"claim_maker": "DeepState", "outlet": "Ukrainska Pravda",
    ...              "date": "2024-08-09", "facts": 5}]])
    ['DeepState via Ukrainska Pravda, 9 Aug 2024', 'ISW, 7 Aug 2024']
    """
    weight: dict[str, float] = {}
    for entry in sources:
        items = entry if isinstance(entry, list | tuple) else [entry]
        for src in items:
            if not isinstance(src, Mapping):
                continue
            text = cite(src, outlets)
            if not text:
                continue
            try:
                facts = float(src.get("facts") or 1)
            except (TypeError, ValueError):
                facts = 1.0
            weight[text] = weight.get(text, 0.0) + facts
    order = {text: n for n, text in enumerate(weight)}
    return sorted(weight, key=lambda t: (-weight[t], order[t]))


def sources_on(timeline: Any, on: Any, layers: Sequence[str] | None = None,
               outlets: Mapping[str, str] | None = None) -> list[str]:
    """Cite the sources of the features of ``layers`` in force on ``on`` (most-used first).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> tl = Timeline(gpd.GeoDataFrame([dict(id="a", layer="contested", status="contested",
    ...     valid_from=dt.date(2024, 8, 6), valid_to=None, geometry=box(35, 51, 35.1, 51.1),
    ...     sources=[{"claim_maker": "ISW", "outlet": "ISW", "date": "2024-08-07"},
    ...              {"claim_maker": "x", "outlet": "Reuters", "date": "2024-08-08"}])],
    ...     crs="EPSG:4326"))
    >>> sources_on(tl, "2024-08-10")
    ['ISW, 7 Aug 2024', 'x via Reuters, 8 Aug 2024']
    """
    chosen = [name for name in timeline.layers if layers is None or name in layers]
    lists = []
    for layer in chosen:
        lists.extend(timeline.state(layer, on).get("sources", []))
    return citations(lists, outlets)
