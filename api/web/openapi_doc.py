"""The OpenAPI document as the API really answers (checked by schemathesis in the tests).

FastAPI documents 200 (as JSON) and its own 422 body only. This module completes the
document in one place: every operation may answer the common error body (`Error`: a
Vietnamese `detail` text, or FastAPI's list of invalid parameters for request validation)
with 400/401/403/404/422/503, writes also 409/413/415/428; OGC routes answer 400/404 as OGC
exception documents; files and GeoJSON are declared with their media types.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_REF = {"$ref": "#/components/schemas/Error"}
OGC_REF = {"$ref": "#/components/schemas/OgcException"}
SCHEMAS: dict[str, Any] = {
    "Error": {
        "title": "Error", "type": "object", "required": ["detail"],
        "properties": {
            "error": {"type": "string", "description": "kind of error, e.g. NotFound"},
            "detail": {"anyOf": [
                {"type": "string", "description": "what went wrong (Vietnamese)"},
                {"type": "array", "items": {"type": "object"},
                 "description": "request validation: each invalid parameter (loc, msg, type)"},
            ]},
        },
    },
    "OgcException": {
        "title": "OgcException", "type": "object", "required": ["code", "description"],
        "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
    },
}
ERRORS = {400: "Yêu cầu không hợp lệ", 401: "Cần đăng nhập hoặc mã truy cập",
          403: "Không có quyền", 404: "Không tìm thấy", 422: "Tham số không hợp lệ",
          503: "Cơ sở dữ liệu tạm thời không truy cập được"}
WRITE_ERRORS = {409: "Bản ghi đã bị sửa sau khi đọc (phiên bản cũ)",
                413: "Dữ liệu gửi lên quá lớn", 415: "Kiểu dữ liệu không được hỗ trợ",
                428: "Thiếu If-Match (phiên bản bản ghi)"}
BINARY = {"type": "string", "format": "binary"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_MEDIA = {".csv": "text/csv", ".xlsx": XLSX, ".pdf": "application/pdf", ".png": "image/png",
              ".gpkg": "application/geopackage+sqlite3", ".geojson": "application/geo+json"}
MVT = "application/vnd.mapbox-vector-tile"
GEOJSON_PATHS = ("/api/projects", "/ogc/collections/{collection_id}/items",
                 "/ogc/collections/{collection_id}/items/{fid}")
ETAG_PATHS = ("/api/projects", "/api/establishments.geojson")  # 304 on If-None-Match


def _content(media: list[str]) -> dict[str, Any]:
    return {m: {"schema": {"type": "object"} if m.endswith("json") else BINARY}
            for m in media}


def _success_media(path: str) -> list[str] | None:
    """The media types of a path's 200 answer, when they are not plain JSON."""
    if path.endswith(".mvt"):
        return [MVT]
    if path.startswith("/tiles/basemap/"):  # as stored in the .mbtiles file
        return ["image/png", "image/jpeg", "image/webp"]
    if path == "/maps/{view}.{fmt}":
        return [FILE_MEDIA[s] for s in (".gpkg", ".geojson", ".csv", ".xlsx")]
    for suffix, media in FILE_MEDIA.items():
        if path.endswith(suffix):
            return [media]
    return ["application/geo+json"] if path in GEOJSON_PATHS else None


def complete(doc: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses, media types and schemas to a FastAPI OpenAPI document."""
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.update(SCHEMAS)
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            responses = op.setdefault("responses", {})
            media = _success_media(path)
            if media is not None and "200" in responses:
                responses["200"]["content"] = _content(media)
            if path in ETAG_PATHS or path.endswith(".mvt"):
                responses["304"] = {"description": "Không đổi từ lần tải trước (ETag)"}
            if path.endswith(".mvt"):
                responses["204"] = {"description": "Ô bản đồ trống"}
            errors = {**ERRORS, **(WRITE_ERRORS if method in ("post", "patch") else {})}
            for status, text in errors.items():
                ref = OGC_REF if path.startswith("/ogc") and status in (400, 404) else ERROR_REF
                content: dict[str, Any] = {"application/json": {"schema": ref}}
                if not path.startswith(("/api/", "/ogc")):  # pages answer refusals as HTML
                    content["text/html"] = {"schema": {"type": "string"}}
                responses[str(status)] = {"description": text, "content": content}
    return doc


def install(app: FastAPI) -> None:
    """Serve the completed document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(get_openapi(
                title=app.title, version=app.version, description=app.description,
                routes=app.routes))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
