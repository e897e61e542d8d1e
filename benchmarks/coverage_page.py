"""Commune coverage page: kcmap's offline map against a naive Folium choropleth, same run."""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi.testclient import TestClient


def _naive_page(units: dict[str, Any], values: dict[str, int]) -> str:
    """Baseline: folium.Choropleth of the full-resolution GeoJSON, Folium defaults (CDN)."""
    import folium

    m = folium.Map(location=[15.0, 108.7], zoom_start=9)
    folium.Choropleth(
        geo_data=units, data=values, key_on="feature.properties.code",
        fill_color="YlOrRd", legend_name="kc_vnd",
    ).add_to(m)
    folium.GeoJson(units, tooltip=folium.GeoJsonTooltip(["code", "name"])).add_to(m)
    return m.get_root().render()


def run() -> dict[str, float]:
    """Time and size of /maps/coverage?level=commune vs the naive baseline; print the ratios."""
    from api.database import database_from_env
    from api.web.app import create_app
    from geo.analytics.coverage import coverage_by_unit
    from geo.core.bootstrap import bootstrap
    from geo.core.settings import AuthSettings, MapSettings
    from geo.gazetteer.units import units_geojson

    database = database_from_env()
    with database.transaction() as conn:
        bootstrap(conn)
    client = TestClient(create_app(database=database, map_settings=MapSettings(tiles="none"),
                                   auth_settings=AuthSettings(public_maps=True)))
    client.get("/maps/coverage?level=commune")  # warm-up
    runs = 5
    t0 = time.perf_counter()
    for _ in range(runs):
        ours = client.get("/maps/coverage?level=commune")
    ours_s = (time.perf_counter() - t0) / runs
    t0 = time.perf_counter()
    for _ in range(runs):
        with database.transaction() as conn:
            units = units_geojson(conn, "commune")
            values = {u["code"]: u["kc_vnd"] for u in coverage_by_unit(conn, "commune")}
        naive = _naive_page(units, values)
    naive_s = (time.perf_counter() - t0) / runs
    result = {
        "ours_bytes": len(ours.content), "naive_bytes": len(naive.encode()),
        "ours_s": ours_s, "naive_s": naive_s,
    }
    print("coverage page (commune level, 170 units), mean of", runs, "runs")
    print(f"  kcmap /maps/coverage : {result['ours_bytes']:>10,} bytes  {ours_s * 1000:8.1f} ms")
    print(f"  naive folium baseline: {result['naive_bytes']:>10,} bytes  {naive_s * 1000:8.1f} ms")
    print(f"  ratio kcmap/naive    : {result['ours_bytes'] / result['naive_bytes']:10.2f} size"
          f"  {ours_s / naive_s:8.2f} time")
    print(json.dumps({"coverage_page": result}))
    return result
