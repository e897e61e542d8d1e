"""Vector tiles (Mapbox Vector Tiles) of the map layers and their TileJSON documents
(the local raster basemap is api/web/routes/tiles.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from api.web.filter_query import DISTRICT, TRADE, FilterQuery, Filters
from api.web.responses import GZIP_MIN_BYTES, gzipped_tile
from api.web.static_files import accepts_gzip
from geo.core.db import Connection
from geo.core.vocab import Edition, TileLayer
from geo.gazetteer.places import check_district
from geo.publish.tiles import MEDIA_TYPE, TileQuery, layer_version, tile, tile_tag, tilejson

router = APIRouter()
EDITION = Query(Edition.legacy, description="unit edition (communes): legacy | 2025")
# Browsers and proxies keep a tile briefly, then revalidate it by its ETag (304 while the data
# are unchanged); a tile URL carrying the data version (`v=`, as the map pages use) is
# immutable and kept long.
REVALIDATE_SECONDS = 60
VERSIONED_SECONDS = 7 * 24 * 3600


def _query(conn: Connection, layer: TileLayer, q: FilterQuery, edition: Edition,
           district: str | None, trade: str | None) -> TileQuery:
    return TileQuery(layer, edition, check_district(conn, district), trade or None,
                     q.parse(conn) if layer == TileLayer.projects else None)


def _cache_control(request: Request, version: str) -> str:
    scope = "public" if request.app.state.auth_settings.public_maps else "private"
    if request.query_params.get("v") == version:
        return f"{scope}, max-age={VERSIONED_SECONDS}, immutable"
    return f"{scope}, max-age={REVALIDATE_SECONDS}, must-revalidate"


def _params(request: Request) -> dict[str, str]:
    """The filter parameters as given (for the tile URL of a TileJSON document)."""
    return {k: v for k, v in request.query_params.items() if k != "v" and v}


@router.get("/tiles/{layer}.json")
def layer_tilejson(request: Request, layer: TileLayer, q: Filters,
                   edition: Edition = EDITION, district: str | None = DISTRICT,
                   trade: str | None = TRADE) -> JSONResponse:
    """TileJSON 3.0.0 of a layer: tile URL template, zoom range, bounds, fields."""
    with request.app.state.database.transaction() as conn:
        query = _query(conn, layer, q, edition, district, trade)
        params = _params(request)
        url = (str(request.base_url).rstrip("/") + f"/tiles/{layer.value}/{{z}}/{{x}}/{{y}}.mvt"
               + ("?" + urlencode(params) if params else ""))
        body: dict[str, Any] = tilejson(conn, query, url)
    return JSONResponse(body, headers={"Cache-Control": "no-cache"})


@router.get("/tiles/{layer}/{z}/{x}/{y}.mvt")
def layer_tile(request: Request, layer: TileLayer, z: int, x: int, y: int, q: Filters,
               edition: Edition = EDITION, district: str | None = DISTRICT,
               trade: str | None = TRADE,
               v: str | None = Query(None, max_length=64,
                                     description="data version (tag), for long caching")
               ) -> Response:
    """One vector tile: 200 with features, 204 when the tile is empty, 304 when unchanged."""
    with request.app.state.database.transaction() as conn:
        query = _query(conn, layer, q, edition, district, trade)
        version = layer_version(conn, query)
        tag = tile_tag(conn, query, z, x, y, version)
        # The gzip representation (a tile of GZIP_MIN_BYTES or more, when the client accepts
        # it) has its own ETag; a revalidation with either one is answered 304.
        zipped = accepts_gzip(request.headers)
        headers = {"ETag": f'"{tag}"', "Cache-Control": _cache_control(request, version),
                   "Vary": "Accept-Encoding"}
        for etag in ((f'"{tag}-gz"', f'"{tag}"') if zipped else (f'"{tag}"',)):
            if etag in request.headers.get("if-none-match", ""):
                return Response(status_code=304, headers={**headers, "ETag": etag})
        body = tile(conn, query, z, x, y, version)
    if not body:
        return Response(status_code=204, headers=headers)
    if zipped and len(body) >= GZIP_MIN_BYTES:
        headers.update({"ETag": f'"{tag}-gz"', "Content-Encoding": "gzip"})
        return Response(gzipped_tile(tag, body), media_type=MEDIA_TYPE, headers=headers)
    return Response(body, media_type=MEDIA_TYPE, headers=headers)
