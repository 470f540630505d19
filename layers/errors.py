"""The exceptions raised while reading and validating dated layers.

Every validation error carries a list of :class:`Problem`, each naming the file,
the feature id and the field, so a user can fix all of them in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FrontlineError", "LayerValidationError", "Problem", "UnknownLayerError",
           "DateOutOfRangeError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one feature of one file.

    Examples
    --------
    >>> str(Problem("a.geojson", "uh-1", "valid_from", "is '2024-13-01', not a date"))
    "a.geojson: feature 'uh-1': field 'valid_from': is '2024-13-01', not a date"
    """

    file: str
    feature_id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        fid = "(file)" if self.feature_id is None else f"feature {self.feature_id!r}"
        return f"{self.file}: {fid}: field {self.field!r}: {self.message}"


class FrontlineError(Exception):
    """Base class of every error this project raises on purpose."""


class LayerValidationError(FrontlineError, ValueError):
    """A layer file breaks the contract; ``problems`` lists every breach."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) found:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class UnknownLayerError(FrontlineError, KeyError):
    """A layer id was asked for that no loaded file defines."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown layer"


class DateOutOfRangeError(FrontlineError, ValueError):
    """A date lies outside the timeline the data covers."""
