"""Responses for large JSON payloads (ETag, gzip) and file downloads."""

from __future__ import annotations

import gzip
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from api.web.security_headers import CSP, cached_page_policy
from geo.core.db import Connection
from geo.core.payload_cache import MAX_ENTRIES, Payload, cached_payload

GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 1


_gzipped: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()
GZIP_CACHE_ENTRIES = MAX_ENTRIES  # one per cached payload: a smaller LRU thrashes


def _gzip(payload: Payload) -> bytes:
    """The gzipped body of a payload, compressed once per payload tag."""
    with _lock:
        body = _gzipped.get(payload.tag)
    if body is None:
        body = gzip.compress(payload.text.encode("utf-8"), compresslevel=GZIP_LEVEL)
        with _lock:
            _gzipped[payload.tag] = body
            while len(_gzipped) > GZIP_CACHE_ENTRIES:
                _gzipped.popitem(last=False)
    return body


_gzipped_tiles: OrderedDict[str, bytes] = OrderedDict()
GZIP_TILE_BYTES = 32 * 1024 * 1024
_gzipped_tiles_size = 0


def gzipped_tile(tag: str, body: bytes) -> bytes:
    """The gzip of a vector tile BODY, compressed once per tile tag (kept up to
    GZIP_TILE_BYTES). Tiles are the same bytes for every caller, as static files."""
    global _gzipped_tiles_size
    with _lock:
        hit = _gzipped_tiles.get(tag)
        if hit is not None:
            _gzipped_tiles.move_to_end(tag)
            return hit
    gz = gzip.compress(body, compresslevel=6, mtime=0)
    with _lock:
        if tag not in _gzipped_tiles:
            _gzipped_tiles[tag] = gz
            _gzipped_tiles_size += len(gz)
            while _gzipped_tiles and _gzipped_tiles_size > GZIP_TILE_BYTES:
                _, old = _gzipped_tiles.popitem(last=False)
                _gzipped_tiles_size -= len(old)
    return gz


def payload_response(request: Request, payload: Payload,
                     media_type: str = "application/geo+json") -> Response:
    """A JSON payload with an ETag (304 when unchanged), gzipped when the client accepts it."""
    etag = f'W/"{payload.tag}"'
    headers = {"Vary": "Accept-Encoding", "ETag": etag, "Cache-Control": "no-cache"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if len(payload.text) >= GZIP_MIN_BYTES and "gzip" in request.headers.get("accept-encoding",
                                                                                ""):
        headers["Content-Encoding"] = "gzip"
        return Response(_gzip(payload), media_type=media_type, headers=headers)
    return Response(payload.text.encode("utf-8"), media_type=media_type, headers=headers)


def json_text(data: Any) -> str:
    """DATA serialised as FastAPI's JSONResponse would (compact, UTF-8 text)."""
    return json.dumps(jsonable_encoder(data), ensure_ascii=False, allow_nan=False,
                      separators=(",", ":"))


def cached_json(request: Request, kind: str, params: tuple[object, ...],
                build: Callable[[Connection], Any]) -> Payload:
    """The JSON text of BUILD(conn), cached by KIND, PARAMS and the data version."""
    with request.app.state.database.transaction() as conn:
        return cached_payload(conn, kind, params, lambda: json_text(build(conn)))


def cached_page(request: Request, kind: str, params: tuple[object, ...],
                build: Callable[[Connection], str]) -> Response:
    """An HTML page BUILD(conn) renders, cached by KIND, PARAMS, the basemap settings and the
    data version (the map pages hold nothing that depends on who asks); with an ETag, gzipped
    when the browser accepts it."""
    tiles = request.app.state.map_settings
    key = (*params, tiles.tiles, tiles.tiles_attribution)
    with request.app.state.database.transaction() as conn:
        payload = cached_payload(conn, kind, key, lambda: build(conn))
    response = payload_response(request, payload, "text/html; charset=utf-8")
    # The page's own policy on the 304 too: a revalidation updates the stored headers.
    response.headers[CSP] = cached_page_policy(payload.tag, payload.text, tiles.tiles)
    return response


MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "gpkg": "application/geopackage+sqlite3", "geojson": "application/geo+json",
         "pdf": "application/pdf", "png": "image/png"}


def file_response(body: bytes, filename: str, fmt: str, inline: bool = False) -> Response:
    """A file of one of the MEDIA formats: an attachment, or shown in the browser (inline)."""
    disposition = "inline" if inline else "attachment"
    return Response(body, media_type=MEDIA[fmt], headers={
        "Content-Disposition": f"{disposition}; filename=\"{filename}\"; "
                               f"filename*=UTF-8''{quote(filename)}"})
