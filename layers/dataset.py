"""Everything one data folder holds, loaded once into one typed object.

The CLI, the export command and the dashboard's cache all read a :class:`Dataset`
instead of passing timelines, base layers, claims and facts around as tuples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from layers.base import BaseLayers, read_base
from layers.claims import CLAIM_COLUMNS, read_claims
from layers.errors import LayerValidationError, Problem
from layers.facts import FactBase, load_factbase, with_audits
from layers.paths import default_paths
from layers.read import load_layer_dir
from layers.timeline import Timeline

__all__ = ["Dataset", "load_dataset"]


@dataclass(frozen=True)
class Dataset:
    """The layers, base map, claims and fact base of one data folder.

    Attributes
    ----------
    timeline : layers.Timeline
    base : layers.BaseLayers or None
        None only when the base folder cannot be read (a problem says so).
    claims : pandas.DataFrame
        As :func:`layers.read_claims` (empty, with its columns, when missing or bad).
    factbase : layers.facts.FactBase or None
        None when the folder has no fact base or it is invalid (see ``problems``).
    problems : list of Problem
        Every problem found; the files they name were skipped, the rest loaded.
    files_loaded : list of str
        Layer files read.
    notes : list of str
        Plain remarks (a missing claims table, say).
    """

    timeline: Timeline
    base: BaseLayers
    claims: pd.DataFrame
    factbase: FactBase | None = None
    problems: list[Problem] = field(default_factory=list)
    files_loaded: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def border(self):
        """The Russia-Ukraine border as one geometry (lon/lat)."""
        return self.base.border.union_all()


def load_dataset(data_dir: str | Path | None = None) -> Dataset:
    """Load a data folder (default: the shipped ``data/``), keeping what is valid.

    Examples
    --------
    >>> ds = load_dataset()
    >>> ds.problems, "ukrainian_held" in ds.timeline.layers, len(ds.claims) > 50
    ([], True, True)
    """
    paths = default_paths(Path(data_dir)) if data_dir else default_paths()
    result = load_layer_dir(paths.layers)
    problems = list(result.problems)
    notes = []
    try:
        claims = read_claims(paths.claims)
    except FileNotFoundError:
        claims = pd.DataFrame(columns=CLAIM_COLUMNS)
        notes.append(f"No claims table at {paths.claims}.")
    except LayerValidationError as exc:
        claims = pd.DataFrame(columns=CLAIM_COLUMNS)
        problems.extend(exc.problems)
    try:
        base = read_base(paths.base)
    except (FileNotFoundError, OSError) as exc:
        problems.append(Problem(str(paths.base), None, "(folder)",
                                f"the base layers cannot be read ({exc})"))
        return Dataset(Timeline(result.frame), None, claims, None, problems,
                       list(result.files_loaded), notes)
    factbase = None
    try:
        factbase = load_factbase(paths.facts, paths.method, base.settlements)
    except FileNotFoundError:
        notes.append(f"No fact base at {paths.facts}: settlements are drawn without their "
                     "control.")
    except LayerValidationError as exc:
        problems.extend(exc.problems)
    if factbase is not None:
        # A bad audit record is reported and shown without its audits: the facts stay.
        try:
            factbase = with_audits(factbase, paths.audit)
        except LayerValidationError as exc:
            problems.extend(exc.problems)
    return Dataset(Timeline(result.frame), base, claims, factbase, problems,
                   list(result.files_loaded), notes)
