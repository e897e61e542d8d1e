"""Helpers of the analytics and map tests: insert records and locations by hand."""

from __future__ import annotations

from typing import Any

EVIL = "<img src=x onerror=alert(1)>"
JINJA = "{{ 7*7 }}"
TP_QNG, BINH_SON = "522", "524"


def one(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """The first column of the first row."""
    with conn.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return row[0] if row else None


def communes_of(conn: Any, district: str) -> list[str]:
    """Legacy commune codes of a district, by code."""
    with conn.cursor() as cur:
        cur.execute("SELECT code FROM admin_unit WHERE edition = 'legacy' AND level = 'commune'"
                    " AND parent_code = %s ORDER BY code", (district,))
        return [r[0] for r in cur.fetchall()]


def project(conn: Any, key: str, kc: int, cp: int = 0, year: int = 2022,
            source: str = "KCDP", activity: str = "machinery", status: str = "completed",
            beneficiary: str | None = None, beneficiary_id: int | None = None,
            title: str | None = None) -> int:
    """Insert a project; return its id."""
    return int(one(conn, """
        INSERT INTO project (record_key, title, year, funding_source, activity_type, kc_vnd,
                             counterpart_vnd, status, beneficiary,
                             beneficiary_establishment_id)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id""",
        (key, title or f"Đề án {key}", year, source, activity, kc, cp, status, beneficiary,
         beneficiary_id)))


def establishment(conn: Any, key: str, name: str | None = None, workers: int | None = None,
                  trade: str | None = "Mộc dân dụng", owner: str | None = None,
                  phone: str | None = None) -> int:
    """Insert an establishment; return its id."""
    return int(one(conn, "INSERT INTO establishment (record_key, name, workers, trade, "
                         "owner_name, phone) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                   (key, name or f"Cơ sở {key}", workers, trade, owner, phone)))


def village(conn: Any, key: str, name: str | None = None, trade: str = "Dệt chiếu") -> int:
    """Insert a craft village; return its id."""
    return int(one(conn, "INSERT INTO craft_village (record_key, name, trade, households, "
                         "workers) VALUES (%s, %s, %s, 50, 90) RETURNING id",
                   (key, name or f"Làng nghề {key}", trade)))


def locate(conn: Any, precision: str, *, project_id: int | None = None,
           establishment_id: int | None = None, village_id: int | None = None,
           commune: str | None = None, district: str | None = None) -> None:
    """A location at the centroid of its commune, district or the province."""
    at = commune or district or "51"
    with conn.cursor() as cur:
        cur.execute("""
            INSERT INTO location (project_id, establishment_id, village_id, geom, precision,
                                  commune_code, district_code, method)
            SELECT %s, %s, %s, centroid, %s, %s, %s, 'test'
            FROM admin_unit WHERE edition = 'legacy' AND code = %s""",
                    (project_id, establishment_id, village_id, precision, commune, district, at))
        assert cur.rowcount == 1


def build_boundaries(conn: Any) -> None:
    """Approximate polygons for every legacy unit."""
    from geo.boundaries.approx import build_approximate

    build_approximate(conn)


def by_code(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows keyed by their 'code'."""
    return {r["code"]: r for r in rows}
