"""Read the shipped base layers in ``data/base/`` (built by scripts/build_base.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from layers.outlets import read_outlets

__all__ = ["BaseLayers", "read_base"]


@dataclass(frozen=True)
class BaseLayers:
    """The offline basemap and gazetteer.

    Attributes
    ----------
    countries : geopandas.GeoDataFrame
        Russia and Ukraine (``iso_a3``, ``name``), EPSG:4326.
    border : geopandas.GeoDataFrame
        The Russia-Ukraine land border as lines.
    oblasts : geopandas.GeoDataFrame
        Oblast polygons (``name``, ``country``).
    settlements : geopandas.GeoDataFrame
        Gazetteer points (``name``, ``country``, ``kind``, ``population``,
        ``source``, ``position_confidence``).
    outlets : dict
        ``{stored-page id prefix: outlet name}`` from ``outlets.csv`` (see
        :func:`layers.outlets.read_outlets`): how a reader cites a source's outlet.
    """

    countries: gpd.GeoDataFrame
    border: gpd.GeoDataFrame
    oblasts: gpd.GeoDataFrame
    settlements: gpd.GeoDataFrame
    outlets: dict = field(default_factory=dict)

    def country(self, iso_a3: str):
        """Return the polygon of one country (``"RUS"`` or ``"UKR"``)."""
        return self.countries.loc[self.countries["iso_a3"] == iso_a3].geometry.iloc[0]


def read_base(directory: str | Path) -> BaseLayers:
    """Read ``countries``, ``border``, ``oblasts``, the gazetteer and outlet names."""
    directory = Path(directory)
    gaz = pd.read_csv(directory / "gazetteer.csv", dtype={"population": "Int64"},
                      keep_default_na=False, na_values={"population": [""]})
    settlements = gpd.GeoDataFrame(
        gaz, geometry=gpd.points_from_xy(gaz["lon"].astype(float), gaz["lat"].astype(float)),
        crs="EPSG:4326",
    )
    return BaseLayers(
        countries=gpd.read_file(directory / "countries.geojson", engine="pyogrio"),
        border=gpd.read_file(directory / "border.geojson", engine="pyogrio"),
        oblasts=gpd.read_file(directory / "oblasts.geojson", engine="pyogrio"),
        settlements=settlements,
        outlets=read_outlets(directory / "outlets.csv"),
    )
