"""Static files (vendor and kcmap's own JS/CSS/fonts), gzipped for browsers that accept it.

Only these static assets are compressed here: they are the same bytes for every caller. HTML
pages that carry a CSRF token or reflect what the user typed are NOT gzipped by this module
(compressing secrets next to attacker-chosen text leaks them by size: BREACH); the cached map
pages (api/web/responses.py:cached_page) hold neither.

Each file is compressed once, at its first gzip request, and kept in memory under its path,
size and modification time (a changed file is compressed again). The gzip representation
has its own ETag (the file's ETag with `-gz`), so a revalidation is answered 304 by either.
Caching is as for plain StaticFiles (ETag and Last-Modified, no Cache-Control: the URLs are
not versioned); logged-in callers get `private, no-store` from the auth middleware.
"""

from __future__ import annotations

import gzip
import os
import threading
from collections import OrderedDict
from pathlib import Path

import anyio
from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# Text and uncompressed fonts; .woff/.woff2, images and archives are compressed already.
COMPRESSIBLE = frozenset({".js", ".mjs", ".css", ".map", ".svg", ".json", ".txt", ".html",
                          ".ttf", ".otf", ".eot"})
MIN_BYTES = 1024  # smaller files gain too little to pay for the header and the decompression
GZIP_LEVEL = 9  # once per file, so the smallest output
MAX_CACHE_BYTES = 32 * 1024 * 1024

_cache: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
_cache_bytes = 0
_lock = threading.Lock()


def accepts_gzip(headers: Headers) -> bool:
    """True when the Accept-Encoding header lists gzip without refusing it (q=0)."""
    for item in headers.get("accept-encoding", "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip"):
            q = params.strip().replace(" ", "").lower()
            return q not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _kept(key: tuple[str, int, int]) -> bytes | None:
    with _lock:
        body = _cache.get(key)
        if body is not None:
            _cache.move_to_end(key)
        return body


def _compress(key: tuple[str, int, int]) -> bytes:
    global _cache_bytes
    path = key[0]
    # mtime=0: the same bytes whenever compressed, so the ETag stays true across restarts.
    body = gzip.compress(Path(path).read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
    with _lock:
        if key not in _cache:
            _cache[key] = body
            _cache_bytes += len(body)
            while _cache and _cache_bytes > MAX_CACHE_BYTES:
                _, old = _cache.popitem(last=False)
                _cache_bytes -= len(old)
    return body


async def gzipped_file(path: str, stat: os.stat_result) -> bytes:
    """The gzip of file PATH (as of STAT), compressed once (in a worker thread, off the event
    loop) and then kept in memory."""
    key = (path, stat.st_size, stat.st_mtime_ns)
    body = _kept(key)
    if body is None:
        body = await anyio.to_thread.run_sync(_compress, key)
    return body


def clear() -> None:
    """Forget every compressed file (benchmarks measure a cold start with it)."""
    global _cache_bytes
    with _lock:
        _cache.clear()
        _cache_bytes = 0


def _gzip_etag(etag: str) -> str:
    weak = etag.startswith("W/")
    inner = etag[2:] if weak else etag
    return ("W/" if weak else "") + inner[:-1] + '-gz"' if inner.endswith('"') else etag + "-gz"


class GzipStaticFiles(StaticFiles):
    """StaticFiles answering a GET of a compressible file with its gzip when accepted."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if Path(path).suffix.lower() not in COMPRESSIBLE:
            return response
        if response.status_code == 304:  # revalidated by the plain file's ETag or date
            response.headers["Vary"] = "Accept-Encoding"
        if not isinstance(response, FileResponse) or response.status_code != 200:
            return response
        stat = response.stat_result
        if stat is None or stat.st_size < MIN_BYTES:
            return response
        response.headers["Vary"] = "Accept-Encoding"
        request_headers = Headers(scope=scope)
        if (scope["method"] != "GET" or "range" in request_headers
                or not accepts_gzip(request_headers)):
            return response
        etag = _gzip_etag(response.headers["etag"])
        headers = {"ETag": etag, "Vary": "Accept-Encoding",
                   "Last-Modified": response.headers["last-modified"]}
        if etag in request_headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        body = await gzipped_file(str(response.path), stat)
        headers["Content-Encoding"] = "gzip"
        return Response(body, media_type=response.media_type, headers=headers)
