"""OGC API – Features (Core, GeoJSON) at /ogc, for QGIS and GDAL's OAPIF driver."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.web.auth import actor_of
from geo.accounts.authz import can_see_personal
from geo.core.errors import InvalidInput, NotFound
from geo.publish import ogc_features as ogc

router = APIRouter(prefix="/ogc", tags=["OGC API – Features"])


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _answer(media_type: str, work: Callable[[], Any]) -> Response:
    """WORK's document as JSON of MEDIA_TYPE; 400/404 as OGC exception documents."""
    try:
        doc = work()
    except InvalidInput as exc:
        return _error(400, "InvalidParameterValue", str(exc))
    except NotFound as exc:
        return _error(404, "NotFound", str(exc))
    return Response(json.dumps(doc, ensure_ascii=False, default=str), media_type=media_type)


def _error(status: int, code: str, description: str) -> Response:
    return Response(json.dumps({"code": code, "description": description}, ensure_ascii=False),
                    status_code=status, media_type=ogc.JSON)


def _params(request: Request) -> dict[str, str]:
    return dict(request.query_params)


@router.get("", summary="Landing page")
def landing(request: Request) -> Response:
    """Landing page: links to the API definition, conformance and collections."""
    return _answer(ogc.JSON, lambda: ogc.landing(_base(request)))


@router.get("/conformance", summary="Conformance classes")
def conformance() -> Response:
    """The conformance classes this API implements (Core, GeoJSON)."""
    return _answer(ogc.JSON, ogc.conformance)


@router.get("/collections", summary="Collections")
def collections(request: Request) -> Response:
    """Every collection with its extent and links."""
    def work() -> dict[str, Any]:
        with request.app.state.database.transaction() as conn:
            return ogc.collections(conn, _base(request))
    return _answer(ogc.JSON, work)


@router.get("/collections/{collection_id}", summary="One collection")
def one_collection(request: Request, collection_id: str) -> Response:
    """One collection's description."""
    def work() -> dict[str, Any]:
        with request.app.state.database.transaction() as conn:
            return ogc.one_collection(conn, _base(request), collection_id)
    return _answer(ogc.JSON, work)


@router.get("/collections/{collection_id}/items", summary="Features")
def items(request: Request, collection_id: str) -> Response:
    """Features: bbox, limit, offset, and property filters such as ?district_code=524."""
    personal = can_see_personal(actor_of(request))
    params = _params(request)

    def work() -> dict[str, Any]:
        with request.app.state.database.transaction() as conn:
            c, matched, features, limit, offset = ogc.items(conn, collection_id, params,
                                                             personal)
        return ogc.items_doc(c, _base(request), params, matched, features, limit, offset)
    return _answer(ogc.GEOJSON, work)


@router.get("/collections/{collection_id}/items/{fid}", summary="One feature")
def item(request: Request, collection_id: str, fid: str) -> Response:
    """One feature by id."""
    personal = can_see_personal(actor_of(request))
    params = _params(request)

    def work() -> dict[str, Any]:
        with request.app.state.database.transaction() as conn:
            c, feature = ogc.item(conn, collection_id, fid, params, personal)
        return ogc.item_doc(c, _base(request), feature)
    return _answer(ogc.GEOJSON, work)
