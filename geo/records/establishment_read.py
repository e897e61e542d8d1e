"""Reading establishments with their location, district and review flags (for review and API).

An establishment's district is its commune's parent, else its location's district code.
Review flags: `conflict` (geocode status), `commune_only` (no exact point: commune precision
or coarser), `outside_district` (the point is not within the district's boundary polygon,
ST_Within) and `unreviewed` (never confirmed or moved by a person). Several filters combine
with OR: a record shows when it has any of the chosen flags.
"""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor, redact
from geo.core.db import Connection, dict_cursor
from geo.core.errors import InvalidInput, NotFound
from geo.records.archived import with_archive
from geo.records.spec import ESTABLISHMENT

FILTERS = ("conflict", "commune_only", "outside_district", "unreviewed")
MAX_LIMIT = 5000

_SELECT = """
SELECT e.id, e.record_key, e.name, e.owner_name, e.phone, e.trade, e.workers, e.address_raw,
       e.is_demo, e.version, e.updated_at, e.reviewed_at, ru.username AS reviewed_by,
       l.location_id, l.precision, l.location_commune_code AS commune_code, l.commune_name,
       COALESCE(l.district_code, l.location_district_code) AS district_code, l.district_name,
       l.geocode_status, l.method,
       ST_X(ST_PointOnSurface(l.geom)) AS lon, ST_Y(ST_PointOnSurface(l.geom)) AS lat,
       (l.geom IS NOT NULL AND b.geom IS NOT NULL AND NOT ST_Within(l.geom, b.geom))
           AS outside_district,
       count(*) OVER () AS total
FROM establishment e
LEFT JOIN LATERAL (SELECT x.id FROM location x WHERE x.establishment_id = e.id
                   ORDER BY x.id LIMIT 1) f ON true
LEFT JOIN record_place l ON l.location_id = f.id
LEFT JOIN boundary b ON b.edition = 'legacy' AND b.code = l.district_code
LEFT JOIN app_user ru ON ru.id = e.reviewed_by
"""

_LIST_WHERE = """
WHERE e.archived_at IS NULL  -- archived by an import (0013): off every list, page still opens
  AND (%(district)s::text IS NULL OR e.id IN (
          SELECT lo.establishment_id FROM record_place lo
          WHERE lo.establishment_id IS NOT NULL
                AND COALESCE(lo.district_code, lo.location_district_code) = %(district)s))
  AND (NOT (%(conflict)s OR %(commune_only)s OR %(outside_district)s OR %(unreviewed)s)
       OR (%(conflict)s AND l.geocode_status = 'conflict')
       OR (%(commune_only)s AND l.precision IS DISTINCT FROM 'exact')
       OR (%(outside_district)s AND l.geom IS NOT NULL AND b.geom IS NOT NULL
           AND NOT ST_Within(l.geom, b.geom))
       OR (%(unreviewed)s AND e.reviewed_at IS NULL))
  AND (%(q)s = '' OR e.name ILIKE '%%' || %(q)s || '%%' ESCAPE '\\'
       OR e.record_key ILIKE '%%' || %(q)s || '%%' ESCAPE '\\')
ORDER BY e.name, e.id
LIMIT %(limit)s OFFSET %(offset)s
"""


_PROJECTS_OF = """
SELECT id, title, year, funding_source, activity_type, kc_vnd, status
FROM project WHERE beneficiary_establishment_id = %(id)s ORDER BY year, id
"""


def _shape(row: dict[str, Any], actor: Actor | None) -> dict[str, Any]:
    """A JSON-ready record (personal fields removed for those who may not see them)."""
    record = {
        "id": row["id"], "record_key": row["record_key"], "name": row["name"],
        "owner_name": row["owner_name"], "phone": row["phone"], "trade": row["trade"],
        "workers": row["workers"], "address_raw": row["address_raw"],
        "is_demo": row["is_demo"], "version": row["version"],
        "updated_at": row["updated_at"].isoformat() if row["updated_at"] else None,
        "reviewed_at": row["reviewed_at"].isoformat() if row["reviewed_at"] else None,
        "reviewed_by": row["reviewed_by"],
        "location": None if row["location_id"] is None else {
            "lon": round(float(row["lon"]), 7) if row["lon"] is not None else None,
            "lat": round(float(row["lat"]), 7) if row["lat"] is not None else None,
            "precision": row["precision"], "commune_code": row["commune_code"],
            "commune_name": row["commune_name"], "district_code": row["district_code"],
            "district_name": row["district_name"], "geocode_status": row["geocode_status"],
            "method": row["method"],
        },
        "district_code": row["district_code"],
        "flags": {
            "conflict": row["geocode_status"] == "conflict",
            "commune_only": row["precision"] != "exact",
            "outside_district": bool(row["outside_district"]),
            "unreviewed": row["reviewed_at"] is None,
        },
    }
    return redact(record, actor)


def get_establishment(conn: Connection, establishment_id: int,
                      actor: Actor | None) -> dict[str, Any]:
    """One establishment with version, location, flags, the projects it benefited from and
    whether an import archived it (`archived_at`, `archived`)."""
    with dict_cursor(conn) as cur:
        cur.execute(_SELECT + "WHERE e.id = %(id)s", {"id": establishment_id})
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"Không có cơ sở số {establishment_id}")
        cur.execute(_PROJECTS_OF, {"id": establishment_id})
        projects = [dict(r) for r in cur.fetchall()]
    return with_archive(conn, ESTABLISHMENT, {**_shape(row, actor), "projects": projects},
                        actor)


def _like(text: str) -> str:
    """Escape LIKE wildcards in a search text."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def check_filters(filters: list[str]) -> list[str]:
    """The filters, each one of FILTERS; InvalidInput otherwise."""
    bad = [f for f in filters if f not in FILTERS]
    if bad:
        raise InvalidInput(f"Bộ lọc phải là một trong: {', '.join(FILTERS)}")
    return filters


def list_establishments(conn: Connection, actor: Actor | None, district: str | None = None,
                        filters: list[str] | None = None, q: str = "", limit: int = 100,
                        offset: int = 0) -> dict[str, Any]:
    """A page of establishments (optionally of one legacy district, filtered, searched);
    records archived by an import are left out."""
    chosen = check_filters(list(filters or []))
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise InvalidInput(f"Số dòng phải từ 1 đến {MAX_LIMIT} và vị trí bắt đầu ≥ 0")
    if len(q) > 200 or "\x00" in q:
        raise InvalidInput("Chuỗi tìm kiếm quá dài hoặc không hợp lệ")
    params: dict[str, Any] = {f: f in chosen for f in FILTERS}
    params.update(district=district, q=_like(q.strip()), limit=limit, offset=offset)
    with dict_cursor(conn) as cur:
        cur.execute(_SELECT + _LIST_WHERE, params)
        rows = cur.fetchall()
    total = int(rows[0]["total"]) if rows else (0 if offset == 0 else None)
    return {"district": district, "filters": chosen, "total": total, "limit": limit,
            "offset": offset, "items": [_shape(r, actor) for r in rows]}


def district_info(conn: Connection, district_code: str) -> dict[str, Any]:
    """A legacy district's name, boundary (GeoJSON) and its communes; NotFound if unknown."""
    with dict_cursor(conn) as cur:
        cur.execute("""
            SELECT u.code, u.name, b.quality,
                   ST_AsGeoJSON(ST_SimplifyPreserveTopology(b.geom, 0.0002), 6) AS geojson
            FROM admin_unit u LEFT JOIN boundary b ON b.edition = u.edition AND b.code = u.code
            WHERE u.edition = 'legacy' AND u.level = 'district' AND u.code = %s""",
                    (district_code,))
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"Không có huyện mã {district_code}")
        cur.execute("SELECT code, name FROM admin_unit WHERE edition = 'legacy' "
                    "AND level = 'commune' AND parent_code = %s ORDER BY name", (district_code,))
        communes = [dict(r) for r in cur.fetchall()]
    return {"code": row["code"], "name": row["name"], "geojson": row["geojson"],
            "boundary_quality": row["quality"], "communes": communes}
