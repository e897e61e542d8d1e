"""OGC API – Features (Part 1: Core, GeoJSON) documents over the kcmap tables.

Collections are read-only views: establishments, villages, projects, communes, districts
(legacy edition), communes_2025, and coverage (indicators per commune for a project filter).
Items are ordered by id, paged with limit/offset, filtered by bbox (CRS84) and by equality on
the collection's queryable properties; `datetime` is accepted and ignored (no feature has a
temporal extent). Owner names, phones and addresses of establishments
are only included when the caller may see personal fields (geo.accounts.authz.can_see_personal).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import shapely
from psycopg2 import sql

from geo.core.db import Connection
from geo.core.errors import InvalidInput, NotFound
from geo.core.vocab import Allocation, Edition, Level, parse_term
from geo.publish.ogc_collections import COLLECTIONS, UNIT_ARGS, Collection

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
)
GEOJSON = "application/geo+json"
JSON = "application/json"
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
MAX_OFFSET = 2**31 - 1
STANDARD_PARAMS = ("f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime")
FILTER_PARAMS = ("years", "source", "activity", "status", "allocation", "edition")


def collection(collection_id: str) -> Collection:
    """The collection of an id, or NotFound."""
    if collection_id not in COLLECTIONS:
        raise NotFound(f"Không có tập dữ liệu {collection_id!r}")
    return COLLECTIONS[collection_id]


def landing(base: str) -> dict[str, Any]:
    """The landing page of the API at BASE (…/ogc)."""
    return {
        "title": "kcmap – Bản đồ khuyến công tỉnh Quảng Ngãi",
        "description": "OGC API – Features: cơ sở CNNT, làng nghề, đề án khuyến công, "
                       "đơn vị hành chính và chỉ số khuyến công",
        "links": [
            {"href": base, "rel": "self", "type": JSON, "title": "Trang này"},
            {"href": base.rsplit("/ogc", 1)[0] + "/api/openapi.json", "rel": "service-desc",
             "type": "application/vnd.oai.openapi+json;version=3.0", "title": "OpenAPI"},
            {"href": f"{base}/conformance", "rel": "conformance", "type": JSON,
             "title": "Conformance"},
            {"href": f"{base}/collections", "rel": "data", "type": JSON,
             "title": "Collections"},
        ],
    }


def conformance() -> dict[str, Any]:
    """The conformance classes implemented."""
    return {"conformsTo": list(CONFORMANCE)}


def _extent(conn: Connection) -> list[float]:
    """Bounding box of every unit of both editions (CRS84)."""
    with conn.cursor() as cur:
        cur.execute("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM ("
                    "SELECT ST_Extent(COALESCE(b.geom, u.bbox, u.centroid)) AS e "
                    "FROM admin_unit u LEFT JOIN boundary b USING (edition, code)) s")
        row = cur.fetchone()
    if not row or row[0] is None:
        return [-180.0, -90.0, 180.0, 90.0]
    return [round(float(v), 6) for v in row]


def collection_doc(c: Collection, base: str, extent: list[float]) -> dict[str, Any]:
    """The description of one collection."""
    href = f"{base}/collections/{c.id}"
    return {
        "id": c.id, "title": c.title, "description": c.description, "itemType": "feature",
        "crs": [CRS84], "storageCrs": CRS84,
        "extent": {"spatial": {"bbox": [extent], "crs": CRS84}},
        "queryables": sorted(c.queryables),
        "links": [
            {"href": href, "rel": "self", "type": JSON, "title": c.title},
            {"href": f"{href}/items", "rel": "items", "type": GEOJSON, "title": c.title},
        ],
    }


def collections(conn: Connection, base: str) -> dict[str, Any]:
    """The collections document."""
    extent = _extent(conn)
    return {"links": [{"href": f"{base}/collections", "rel": "self", "type": JSON}],
            "collections": [collection_doc(c, base, extent) for c in COLLECTIONS.values()]}


def one_collection(conn: Connection, base: str, collection_id: str) -> dict[str, Any]:
    """The document of one collection."""
    return collection_doc(collection(collection_id), base, _extent(conn))


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """'minx,miny,maxx,maxy' (or 6 numbers with heights) in CRS84; InvalidInput if bad."""
    if not text:
        return None
    try:
        v = [float(x) for x in text.split(",")]
    except ValueError as exc:
        raise InvalidInput("bbox phải là 4 (hoặc 6) số cách nhau bằng dấu phẩy") from exc
    if len(v) == 6:
        v = [v[0], v[1], v[3], v[4]]
    if len(v) != 4 or v[1] > v[3] or not all(-180 <= x <= 180 for x in v[0::2]) \
            or not all(-90 <= y <= 90 for y in v[1::2]):
        raise InvalidInput("bbox phải là minLon,minLat,maxLon,maxLat theo CRS84")
    return v[0], v[1], v[2], v[3]


def parse_paging(limit: str | None, offset: str | None) -> tuple[int, int]:
    """limit (1…MAX_LIMIT, larger ones are cut to it) and offset (≥ 0)."""
    try:
        lim = DEFAULT_LIMIT if limit in (None, "") else int(str(limit))
        off = 0 if offset in (None, "") else int(str(offset))
    except ValueError as exc:
        raise InvalidInput("limit và offset phải là số nguyên") from exc
    if lim < 1 or not 0 <= off <= MAX_OFFSET:
        raise InvalidInput(f"limit phải ≥ 1 và offset trong khoảng 0…{MAX_OFFSET}")
    return min(lim, MAX_LIMIT), off


def check_params(c: Collection, params: dict[str, str]) -> dict[str, str]:
    """The property filters among PARAMS; InvalidInput names an unknown parameter."""
    allowed = set(STANDARD_PARAMS) | set(c.queryables)
    if c.id == "coverage":
        allowed |= set(FILTER_PARAMS)
    unknown = sorted(k for k in params if k not in allowed)
    if unknown:
        raise InvalidInput(f"Tham số {unknown[0]!r} không được hỗ trợ; tập dữ liệu này nhận "
                           f"{', '.join(sorted(allowed))}")
    for key in ("bbox-crs", "crs"):
        if params.get(key) not in (None, "", CRS84):
            raise InvalidInput(f"{key} phải là {CRS84}")
    if params.get("f") not in (None, "", "json", "geojson"):
        raise InvalidInput("f phải là json hoặc geojson")
    return {k: v for k, v in params.items() if k in c.queryables}


def _conditions(c: Collection, props: dict[str, str],
                bbox: tuple[float, float, float, float] | None
                ) -> tuple[sql.Composable, dict[str, Any]]:
    """The WHERE clause of the filters and its parameters."""
    parts: list[sql.Composable] = [sql.SQL("true")]
    values: dict[str, Any] = {}
    for i, (name, value) in enumerate(sorted(props.items())):
        kind, col, key = c.queryables[name], sql.Identifier(f"q_{name}"), f"v{i}"
        if kind == "int":
            try:
                values[key] = int(value)
            except ValueError as exc:
                raise InvalidInput(f"{name} phải là số nguyên") from exc
            parts.append(sql.SQL("{} = %({})s").format(col, sql.SQL(key)))
        elif kind == "any":
            values[key] = value
            parts.append(sql.SQL("%({})s = ANY({})").format(sql.SQL(key), col))
        else:
            values[key] = value
            parts.append(sql.SQL("{} = %({})s").format(col, sql.SQL(key)))
    if bbox is not None:
        values.update(zip(("x0", "y0", "x1", "y1"), bbox, strict=True))
        parts.append(sql.SQL("geom && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326) "
                             "AND ST_Intersects(geom, ST_MakeEnvelope(%(x0)s, %(y0)s, "
                             "%(x1)s, %(y1)s, 4326))"))
    return sql.SQL(" AND ").join(parts), values


def _base_params(c: Collection, personal: bool) -> dict[str, Any]:
    edition, level = UNIT_ARGS.get(c.id, ("legacy", "commune"))
    return {"personal": personal, "edition": edition, "level": level}


def _feature(fid: Any, geom: str | None, props: str | dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "id": fid, "geometry": json.loads(geom) if geom else None,
            "properties": json.loads(props) if isinstance(props, str) else props}


def query_features(conn: Connection, c: Collection, props: dict[str, str],
                   bbox: tuple[float, float, float, float] | None, limit: int, offset: int,
                   personal: bool = False) -> tuple[int, list[dict[str, Any]]]:
    """(numberMatched, one page of features) of a table-backed collection."""
    where, values = _conditions(c, props, bbox)
    params = {**_base_params(c, personal), **values, "limit": limit, "offset": offset}
    base = sql.SQL(c.base)  # a constant of this module, never user text
    with conn.cursor() as cur:
        cur.execute(sql.SQL("WITH base AS ({}) SELECT count(*) FROM base WHERE {}")
                    .format(base, where), params)
        row = cur.fetchone()
        matched = int(row[0]) if row else 0
        cur.execute(sql.SQL("WITH base AS ({}) SELECT fid, ST_AsGeoJSON(geom, 6), props::text "
                            "FROM base WHERE {} ORDER BY fid LIMIT %(limit)s "
                            "OFFSET %(offset)s").format(base, where), params)
        rows = cur.fetchall()
    return matched, [_feature(*r) for r in rows]


def get_feature(conn: Connection, c: Collection, fid: str,
                personal: bool = False) -> dict[str, Any]:
    """One feature of a table-backed collection by id, or NotFound."""
    key: Any = fid
    if c.int_ids:
        if not (fid.isascii() and fid.isdigit()) or len(fid) > 18:
            raise NotFound(f"Không có đối tượng {fid!r} trong {c.id}")
        key = int(fid)
    params = {**_base_params(c, personal), "fid": key}
    with conn.cursor() as cur:
        cur.execute(sql.SQL("WITH base AS ({}) SELECT fid, ST_AsGeoJSON(geom, 6), props::text "
                            "FROM base WHERE fid = %(fid)s").format(sql.SQL(c.base)), params)
        row = cur.fetchone()
    if row is None:
        raise NotFound(f"Không có đối tượng {fid!r} trong {c.id}")
    return _feature(*row)


def filter_features(features: list[dict[str, Any]], c: Collection, props: dict[str, str],
                    bbox: tuple[float, float, float, float] | None) -> list[dict[str, Any]]:
    """The features (computed in Python) matching property filters and a bbox."""
    box = shapely.box(*bbox) if bbox else None
    out = []
    for f in features:
        p = f["properties"]
        if any(str(p.get(k)) != v for k, v in props.items()):
            continue
        if box is not None and (f["geometry"] is None or not shapely.intersects(
                shapely.geometry.shape(f["geometry"]), box)):
            continue
        out.append(f)
    return out


def items_doc(c: Collection, base: str, query: dict[str, str], matched: int,
              features: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    """The items FeatureCollection with numberMatched/numberReturned and paging links."""
    from urllib.parse import urlencode

    href = f"{base}/collections/{c.id}/items"

    def page(off: int) -> str:
        q = {k: v for k, v in query.items() if k not in ("offset", "limit")}
        return f"{href}?{urlencode({**q, 'limit': limit, 'offset': off})}"

    links = [{"href": page(offset), "rel": "self", "type": GEOJSON, "title": "Trang này"},
             {"href": f"{base}/collections/{c.id}", "rel": "collection", "type": JSON}]
    if offset + len(features) < matched:
        links.append({"href": page(offset + limit), "rel": "next", "type": GEOJSON,
                      "title": "Trang sau"})
    if offset > 0:
        links.append({"href": page(max(offset - limit, 0)), "rel": "prev", "type": GEOJSON,
                      "title": "Trang trước"})
    return {"type": "FeatureCollection", "features": features, "numberMatched": matched,
            "numberReturned": len(features),
            "timeStamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "links": links}


def item_doc(c: Collection, base: str, feature: dict[str, Any]) -> dict[str, Any]:
    """One feature with its self and collection links."""
    href = f"{base}/collections/{c.id}"
    return {**feature, "links": [
        {"href": f"{href}/items/{feature['id']}", "rel": "self", "type": GEOJSON},
        {"href": href, "rel": "collection", "type": JSON}]}


def coverage_features(conn: Connection, params: dict[str, str]) -> list[dict[str, Any]]:
    """Features of the coverage collection for the filter in PARAMS (legacy or 2025)."""
    from geo.analytics.coverage import coverage_geojson
    from geo.analytics.edition2025 import coverage_geojson_2025
    from geo.analytics.filters import parse_filter

    flt = parse_filter(conn, params.get("years"), params.get("source"),
                       params.get("activity"), params.get("status"))
    allocation = parse_term(Allocation, "allocation", params.get("allocation"), Allocation.none)
    edition = parse_term(Edition, "edition", params.get("edition"), Edition.legacy)
    if edition == Edition.e2025:
        data = coverage_geojson_2025(conn, flt, allocation)
    else:
        data = coverage_geojson(conn, Level.commune, flt, allocation)
        for f in data["features"]:
            f["properties"].update(edition="legacy", data_status="ok",
                                   allocation_method="legacy", count_method="legacy",
                                   legacy_codes=f["properties"]["code"])
    return [_feature(f["id"], None, f["properties"]) | {"geometry": f["geometry"]}
            for f in data["features"]]


def items(conn: Connection, collection_id: str, params: dict[str, str], personal: bool
          ) -> tuple[Collection, int, list[dict[str, Any]], int, int]:
    """(collection, numberMatched, page of features, limit, offset) for an items request."""
    c = collection(collection_id)
    props = check_params(c, params)
    bbox = parse_bbox(params.get("bbox"))
    limit, offset = parse_paging(params.get("limit"), params.get("offset"))
    if c.id == "coverage":
        found = filter_features(coverage_features(conn, params), c, props, bbox)
        return c, len(found), found[offset:offset + limit], limit, offset
    matched, features = query_features(conn, c, props, bbox, limit, offset, personal)
    return c, matched, features, limit, offset


def item(conn: Connection, collection_id: str, fid: str, params: dict[str, str],
         personal: bool) -> tuple[Collection, dict[str, Any]]:
    """(collection, feature) for a single-item request, or NotFound."""
    c = collection(collection_id)
    if c.id == "coverage":
        check_params(c, params)
        found = [f for f in coverage_features(conn, params) if str(f["id"]) == fid]
        if not found:
            raise NotFound(f"Không có đối tượng {fid!r} trong coverage")
        return c, found[0]
    return c, get_feature(conn, c, fid, personal)
