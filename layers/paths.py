"""Where the shipped data lives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DATA_DIR", "DataPaths", "default_paths"]

#: The repository's ``data/`` folder.
DATA_DIR = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class DataPaths:
    """The inputs: layer files, claims table, base layers, fact base, method and audits."""

    layers: Path
    claims: Path
    base: Path
    facts: Path
    method: Path
    audit: Path


def default_paths(data_dir: Path = DATA_DIR) -> DataPaths:
    """Return the shipped data's paths.

    Examples
    --------
    >>> default_paths().layers.name
    'layers'
    """
    return DataPaths(layers=data_dir / "layers", claims=data_dir / "claims.csv",
                     base=data_dir / "base", facts=data_dir / "facts" / "settlement_control.csv",
                     method=data_dir / "facts" / "method.toml",
                     audit=data_dir / "facts" / "audit.csv")
