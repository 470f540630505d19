"""Read the shipped base layers in ``data/base/`` (built by scripts/build_base.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

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
    """

    countries: gpd.GeoDataFrame
    border: gpd.GeoDataFrame
    oblasts: gpd.GeoDataFrame
    settlements: gpd.GeoDataFrame

    def country(self, iso_a3: str):
        """Return the polygon of one country (``"RUS"`` or ``"UKR"``)."""
        return self.countries.loc[self.countries["iso_a3"] == iso_a3].geometry.iloc[0]


def read_base(directory: str | Path) -> BaseLayers:
    """Read ``countries``, ``border``, ``oblasts`` and the gazetteer from ``directory``."""
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
    )
