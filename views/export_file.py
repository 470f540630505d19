"""What every exporter returns: one file in memory (:class:`Export`), and the shared words.

Every format carries the same provenance: the basemap credit
(:data:`views.styles.ATTRIBUTION`), the title and the date, and the sources as
a reader cites them (:mod:`views.citation`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from layers.errors import FrontlineError
from views.render_furniture import TITLE, long_date
from views.styles import ATTRIBUTION

__all__ = ["ATTRIBUTION", "MIME", "TITLE", "Export", "ExportUnavailableError", "title_of"]

#: MIME type of each format.
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
        "html": "text/html", "geojson": "application/geo+json",
        "gpkg": "application/geopackage+sqlite3", "csv": "text/csv",
        "gif": "image/gif", "mp4": "video/mp4"}


class ExportUnavailableError(FrontlineError, RuntimeError):
    """An export format needs an optional package that is not installed."""


@dataclass(frozen=True)
class Export:
    """One exported file, in memory.

    Attributes
    ----------
    name : str
        Suggested file name (no folder), e.g. ``frontline_2025-02-15.png``.
    mime : str
        MIME type, for ``st.download_button(mime=...)``.
    data : bytes
        The file's content.
    meta : dict
        Extra facts (an animation's ``frames``: the ISO date of each frame; an
        image's ``frame``, ``legend``, ``sources`` and ``texts``).
    """

    name: str
    mime: str
    data: bytes
    meta: dict = field(default_factory=dict, compare=False)


def title_of(day: dt.date) -> str:
    """Return the export's title line.

    Examples
    --------
    >>> title_of(dt.date(2024, 9, 1))
    'Kursk incursion: the front line, 1 September 2024'
    """
    return f"{TITLE}, {long_date(day)}"
