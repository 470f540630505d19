"""Reading, validating and indexing the dated layers (everything that touches data/)."""

from layers.base import BaseLayers, read_base
from layers.claims import read_claims
from layers.dataset import Dataset, load_dataset
from layers.errors import (
    DateOutOfRangeError,
    FrontlineError,
    LayerValidationError,
    Problem,
    UnknownLayerError,
)
from layers.paths import DATA_DIR, default_paths
from layers.read import LoadResult, load_layer_dir, parse_layer_bytes, read_layer_file
from layers.timeline import Timeline, to_date

__all__ = [
    "DATA_DIR", "BaseLayers", "Dataset", "DateOutOfRangeError", "FrontlineError",
    "LayerValidationError", "LoadResult", "Problem", "Timeline", "UnknownLayerError",
    "default_paths", "load_dataset", "load_layer_dir", "parse_layer_bytes", "read_base",
    "read_claims", "read_layer_file", "to_date",
]
