"""GeoPackage and GeoJSON files of a map view's features (written with pyogrio)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
from shapely.geometry import shape

FORMATS = ("gpkg", "geojson", "csv", "xlsx")


def flat_properties(props: dict[str, Any]) -> dict[str, Any]:
    """Properties with lists and objects as JSON text (GIS formats hold scalars only)."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
            for k, v in props.items()}


def _frame(features: Sequence[dict[str, Any]]) -> gpd.GeoDataFrame:
    """A GeoDataFrame (EPSG:4326) of the features; features without geometry keep None."""
    rows = [flat_properties(f.get("properties") or {}) for f in features]
    geoms = [shape(f["geometry"]) if f.get("geometry") else None for f in features]
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    for col in frame.columns:
        if col != "geometry" and frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: v if v is None or isinstance(v, str)
                                        else str(v) if isinstance(v, bool) else v)
    return frame


def geopackage(features: Sequence[dict[str, Any]], layer: str) -> bytes:
    """A GeoPackage file (bytes) with one layer of the features."""
    frame = _frame(features)
    kinds = {g.geom_type for g in frame.geometry if g is not None}
    geometry_type = None
    if not kinds:
        geometry_type = "Unknown"
    elif len({k.replace("Multi", "") for k in kinds}) > 1:
        geometry_type = "Unknown"
    with tempfile.TemporaryDirectory(prefix="kcmap-gpkg-") as tmp:
        path = Path(tmp) / f"{layer}.gpkg"
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG",
                                promote_to_multi=geometry_type is None,
                                geometry_type=geometry_type)
        return path.read_bytes()


def geojson(features: Sequence[dict[str, Any]], extra: dict[str, Any] | None = None) -> bytes:
    """A GeoJSON FeatureCollection (UTF-8 bytes) of the features, scalar properties only."""
    doc = {"type": "FeatureCollection", **(extra or {}),
           "features": [{"type": "Feature", "id": f.get("id"), "geometry": f.get("geometry"),
                         "properties": flat_properties(f.get("properties") or {})}
                        for f in features]}
    return json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8")
