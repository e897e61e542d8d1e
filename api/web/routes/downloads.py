"""Downloads of any map view, with the page's own filters: GeoPackage, GeoJSON, CSV, XLSX."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.web.auth import actor_of
from api.web.filter_query import ViewParams
from api.web.responses import file_response
from geo.accounts.authz import can_see_personal
from geo.core.textnorm import fold
from geo.core.vocab import Allocation, DownloadFormat, Level, MapView
from geo.publish.exports import geojson, geopackage
from geo.publish.map_views import ViewData, ViewQuery, view_data
from maps.export.download_tables import table_csv, table_xlsx

router = APIRouter(tags=["downloads"])

def _slug(text: str) -> str:
    """A file-name-safe form of a filter value: 'Mây tre đan' -> 'may-tre-dan'."""
    return "-".join(fold(text).split())[:40]


def file_stem(data: ViewData, params: ViewQuery) -> str:
    """kcmap-<view>[-2025][-<level>]-<years>[-<source>][-<activity>][-<status>][-<allocation>]
    [-<district>][-<trade>]: every filter that changes the file is in its name, so two
    downloads with different filters do not overwrite each other."""
    parts = ["kcmap", data["view"]]
    if data.get("edition") == "2025":
        parts.append("2025")
    if data["view"] in ("coverage", "gaps") and data.get("edition") != "2025":
        parts.append("huyen" if params.level == Level.district else "xa")
    flt = data.get("filter")
    if flt is not None:
        parts.append(flt.years_param().replace(",", "_"))
        query = flt.query()
        parts += [_slug(query[k]) for k in ("source", "activity", "status") if k in query]
    if data["view"] in ("coverage", "gaps") and params.allocation != Allocation.none:
        parts.append(f"chia-{params.allocation.value}")
    if data.get("district"):
        parts.append(str(data["district"]))
    if params.trade:
        parts.append(_slug(params.trade))
    return "-".join(p for p in parts if p)


@router.get("/maps/{view}.{fmt}", summary="Download a map view")
def download_view(request: Request, view: MapView, fmt: DownloadFormat,
                  params: ViewParams) -> Response:
    """The view's records with the page's filters as gpkg, geojson, csv or xlsx."""
    personal = can_see_personal(actor_of(request))
    with request.app.state.database.transaction() as conn:
        data = view_data(conn, view, params, personal)
    name = f"{file_stem(data, params)}.{fmt}"
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
