"""The one builder of test data: query helpers, records and locations by hand, prepared worlds.

Tests never build data any other way: the `boundaries` and `world` fixtures (tests/conftest.py)
hand a test a connection to a database prepared once per session from a template, and the
functions below add hand-made records inside the test's rolled-back transaction.
"""

from __future__ import annotations

from typing import Any

EVIL = "<img src=x onerror=alert(1)>"
JINJA = "{{ 7*7 }}"
TP_QNG, BINH_SON, SON_TINH = "522", "524", "527"
HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% raw %}{# c #}",
    "'; DROP TABLE establishment; --",
    "Robert\u202e gnp.exe \u2028 &amp; &lt;b&gt;",
]


# ---------------------------------------------------------------- queries


def one(conn: Any, sql: str, params: Any = None) -> Any:
    """The first column of the first row of a query (None when there is no row)."""
    with conn.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return row[0] if row else None


def rows(conn: Any, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    """All rows of a query."""
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def communes_of(conn: Any, district: str) -> list[str]:
    """Legacy commune codes of a district, by code."""
    return [r[0] for r in rows(conn, "SELECT code FROM admin_unit WHERE edition = 'legacy' "
                                     "AND level = 'commune' AND parent_code = %s ORDER BY code",
                               (district,))]


def by_code(units: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows keyed by their 'code'."""
    return {r["code"]: r for r in units}


# ---------------------------------------------------------------- records by hand


def project(conn: Any, key: str, kc: int, cp: int = 0, year: int = 2022,
            source: str = "KCDP", activity: str = "machinery", status: str = "completed",
            beneficiary: str | None = None, beneficiary_id: int | None = None,
            title: str | None = None, demo: bool = False) -> int:
    """Insert a project; return its id."""
    return int(one(conn, """
        INSERT INTO project (record_key, title, year, funding_source, activity_type, kc_vnd,
                             counterpart_vnd, status, beneficiary,
                             beneficiary_establishment_id, is_demo)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id""",
        (key, title or f"Đề án {key}", year, source, activity, kc, cp, status, beneficiary,
         beneficiary_id, demo)))


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
           commune: str | None = None, district: str | None = None,
           at: str | None = None) -> None:
    """A location at the centroid of AT, else of its commune, district or the province."""
    at = at or commune or district or "51"
    with conn.cursor() as cur:
        cur.execute("""
            INSERT INTO location (project_id, establishment_id, village_id, geom, precision,
                                  commune_code, district_code, method)
            SELECT %s, %s, %s, centroid, %s, %s, %s, 'test'
            FROM admin_unit WHERE edition = 'legacy' AND code = %s""",
                    (project_id, establishment_id, village_id, precision, commune, district, at))
        assert cur.rowcount == 1


def add_establishment(conn: Any, key: str, district: str, precision: str = "exact",
                      status: str = "ok", commune_index: int = 0,
                      offset: tuple[float, float] = (0.0, 0.0)) -> int:
    """An establishment (owner, phone) at a commune centroid (plus an offset) of a district."""
    commune = communes_of(conn, district)[commune_index]
    eid = int(one(conn, "INSERT INTO establishment (record_key, name, owner_name, phone, trade, "
                        "workers, address_raw) VALUES (%s, %s, 'Nguyễn Văn Chủ', '0905123456', "
                        "'Mây tre đan', 12, 'Thôn 1') RETURNING id",
                  (key, f"Cơ sở {key}")))
    with conn.cursor() as cur:
        cur.execute("""
            INSERT INTO location (establishment_id, geom, precision, commune_code, district_code,
                                  method, geocode_status)
            SELECT %s, ST_Translate(centroid, %s, %s), %s, code, parent_code, 'test', %s
            FROM admin_unit WHERE edition = 'legacy' AND code = %s""",
                    (eid, offset[0], offset[1], precision, status, commune))
    return eid


def point_of(conn: Any, eid: int) -> tuple[float, float]:
    """(lon, lat) of an establishment's location."""
    with conn.cursor() as cur:
        cur.execute("SELECT ST_X(geom), ST_Y(geom) FROM location WHERE establishment_id = %s",
                    (eid,))
        row = cur.fetchone()
    assert row is not None
    return float(row[0]), float(row[1])


# ---------------------------------------------------------------- sets of records


def coverage_records(conn: Any) -> dict[str, str]:
    """Coverage tests: projects and establishments of every precision; their communes a, b, c."""
    a, b = communes_of(conn, TP_QNG)[:2]
    c = communes_of(conn, BINH_SON)[0]
    p1 = project(conn, "P1", 1_000_000_000, 200_000_000)
    locate(conn, "exact", project_id=p1, commune=a, district=TP_QNG)
    p2 = project(conn, "P2", 600_000_000, demo=True)
    locate(conn, "commune", project_id=p2, commune=b)
    p3 = project(conn, "P3", 300_000_000, 90_000_000)
    locate(conn, "district", project_id=p3, district=TP_QNG)
    p4 = project(conn, "P4", 100_000_000, 10_000_001)  # three locations: even split
    locate(conn, "exact", project_id=p4, commune=a, district=TP_QNG)
    locate(conn, "commune", project_id=p4, commune=c)
    locate(conn, "district", project_id=p4, district=BINH_SON)
    p5 = project(conn, "P5", 50_000_000)
    locate(conn, "province", project_id=p5)
    project(conn, "P6", 70_000_000)  # no location at all
    p7 = project(conn, "P7", 999, year=2019)  # outside 2021–2025
    locate(conn, "exact", project_id=p7, commune=a)
    p8 = project(conn, "P8", 888, status="cancelled")
    locate(conn, "exact", project_id=p8, commune=a)
    p9 = project(conn, "P9", 40_000_000)  # district precision with a stray commune code
    with conn.cursor() as cur:
        cur.execute("""INSERT INTO location (project_id, geom, precision, commune_code,
                                             district_code, method)
                       SELECT %s, centroid, 'district', %s, %s, 'test' FROM admin_unit
                       WHERE edition = 'legacy' AND code = %s""", (p9, b, TP_QNG, TP_QNG))
    locate(conn, "exact", establishment_id=establishment(conn, "E1"), commune=a)
    locate(conn, "commune", establishment_id=establishment(conn, "E2"), commune=a)
    locate(conn, "exact", establishment_id=establishment(conn, "E3"), commune=c)
    locate(conn, "district", establishment_id=establishment(conn, "E4"), district=BINH_SON)
    locate(conn, "province", establishment_id=establishment(conn, "E5", EVIL))
    return {"a": a, "b": b, "c": c}


# ---------------------------------------------------------------- prepared worlds


def build_boundaries(conn: Any) -> None:
    """Approximate polygons for every legacy unit (what the `boundaries` template holds)."""
    from geo.boundaries.approx import build_approximate

    build_approximate(conn)


def build_world(conn: Any) -> None:
    """On top of build_boundaries: the 2025 polygons and the synthetic demo records.

    This is what the `world` template database holds.
    """
    from geo.boundaries.approx import build_approximate
    from geo.intake.demo_store import load_demo

    build_approximate(conn, "2025")
    load_demo(conn, scale=1)
