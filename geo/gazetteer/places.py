"""SQL pieces naming where a location is (legacy commune and district), shared by record queries."""

from __future__ import annotations

from geo.core.db import Connection
from geo.core.errors import InvalidInput

# Joins of a location row `l` to its legacy commune `cu` and district `du`
# (the district of a known commune wins over the location's district code).
PLACE_JOIN = """
LEFT JOIN admin_unit cu ON cu.edition = 'legacy' AND cu.level = 'commune'
                        AND cu.code = l.commune_code
LEFT JOIN admin_unit du ON du.edition = 'legacy' AND du.level = 'district'
                        AND du.code = COALESCE(cu.parent_code, l.district_code)
"""
# A drawable point of a location: exact or commune precision only (never a district's).
POINT_SQL = ("CASE WHEN l.precision IN ('exact', 'commune') AND l.geom IS NOT NULL THEN "
             "CASE WHEN GeometryType(l.geom) = 'POINT' THEN l.geom "
             "ELSE ST_PointOnSurface(l.geom) END END")
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
        raise InvalidInput(f"district must be a legacy district code, not {code!r}")
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
