"""Downloads of any map view, with the page's own filters: GeoPackage, GeoJSON, CSV, XLSX."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.web.auth import actor_of
from api.web.filter_query import ViewParams
from api.web.responses import file_response
from geo.accounts.authz import can_see_personal
from geo.core.vocab import DownloadFormat, MapView
from geo.publish.exports import geojson, geopackage
from geo.publish.map_views import ViewData, view_data
from maps.export.download_tables import table_csv, table_xlsx

router = APIRouter(tags=["downloads"])

def file_stem(data: ViewData) -> str:
    """kcmap-<view>[-2025][-<years>][-<district>] for a view's data."""
    parts = ["kcmap", data["view"]]
    if data.get("edition") == "2025":
        parts.append("2025")
    if data.get("filter") is not None:
        parts.append(data["filter"].years_param().replace(",", "_"))
    if data.get("district"):
        parts.append(str(data["district"]))
    return "-".join(parts)


@router.get("/maps/{view}.{fmt}", summary="Download a map view")
def download_view(request: Request, view: MapView, fmt: DownloadFormat,
                  params: ViewParams) -> Response:
    """The view's records with the page's filters as gpkg, geojson, csv or xlsx."""
    personal = can_see_personal(actor_of(request))
    with request.app.state.database.transaction() as conn:
        data = view_data(conn, view, params, personal)
    name = f"{file_stem(data)}.{fmt}"
    if fmt == "gpkg":
        return file_response(geopackage(data["features"], view.value), name, fmt)
    if fmt == "geojson":
        return file_response(geojson(data["features"], {"summary": _summary(data)}), name, fmt)
    if fmt == "csv":
        return file_response(table_csv(data, personal), name, fmt)
    return file_response(table_xlsx(data, personal), name, fmt)


def _summary(data: ViewData) -> dict[str, Any]:
    """The summary as plain JSON (the filter as lists)."""
    flt = data.get("filter")
    return {**data["summary"], "view": data["view"], "edition": data.get("edition"),
            **({"filter": flt.to_dict()} if flt is not None else {})}
