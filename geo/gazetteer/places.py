"""Legacy districts (choices, check, bounding box); a record's place is the record_place view."""

from __future__ import annotations

from geo.core.db import Connection
from geo.core.errors import InvalidInput

# A record's place (legacy commune and district, drawable point): the record_place view
# (geo/core/migrations/0005_record_place_view.sql). Points are drawn at these precisions:
POINT_PRECISIONS = ("exact", "commune")


def district_choices(conn: Connection) -> list[tuple[str, str]]:
    """(code, name) of the legacy districts, by code."""
    with conn.cursor() as cur:
        cur.execute("SELECT code, name FROM admin_unit WHERE edition = 'legacy' "
                    "AND level = 'district' ORDER BY code")
        return [(str(c), str(n)) for c, n in cur.fetchall()]


def check_district(conn: Connection, code: str | None) -> str | None:
    """The district code if it is a legacy district, None for empty; else InvalidInput."""
    if not code:
        return None
    if code not in dict(district_choices(conn)):
        raise InvalidInput(f"Huyện phải là mã đơn vị cấp huyện (trước 1/7/2025), "
                           f"không phải {code!r}")
    return code


def district_bbox(conn: Connection, code: str | None) -> list[float] | None:
    """[west, south, east, north] of a legacy district (boundary, else gazetteer box)."""
    if not code:
        return None
    with conn.cursor() as cur:
        cur.execute("""
            SELECT ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g)
            FROM (SELECT COALESCE(b.geom, u.bbox) AS g FROM admin_unit u
                  LEFT JOIN boundary b ON b.edition = u.edition AND b.code = u.code
                  WHERE u.edition = 'legacy' AND u.level = 'district' AND u.code = %s) s
            WHERE g IS NOT NULL""", (code,))
        row = cur.fetchone()
    return [float(v) for v in row] if row else None
