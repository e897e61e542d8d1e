"""Synthetic demo records: counts, labels, determinism, replacement, precision, sparse areas."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from data.demo import generate
from geo.core.errors import InvalidInput
from geo.intake.demo_store import load_demo, read_activity_types, read_units
from tests.world import one, rows

MOUNTAIN = ("525", "529", "530", "531", "535")


def table_counts(conn: Any) -> tuple[int, int, int, int]:
    """Demo establishments, villages, projects and demo locations in the database."""
    return (one(conn, "SELECT count(*) FROM establishment WHERE is_demo"),
            one(conn, "SELECT count(*) FROM craft_village WHERE is_demo"),
            one(conn, "SELECT count(*) FROM project WHERE is_demo"),
            one(conn, "SELECT count(*) FROM location WHERE method = 'demo_synthetic'"))


def test_generator_is_deterministic(conn: Any) -> None:
    districts, communes = read_units(conn)
    types = read_activity_types(conn)
    a = generate(districts, communes, types, seed=2021)
    b = generate(districts, communes, types, seed=2021)
    assert a == b
    assert [e.record_key for e in a.establishments][:3] == [
        "demo:est:000001", "demo:est:000002", "demo:est:000003"]
    c = generate(districts, communes, types, seed=7)
    assert [e.name for e in c.establishments] != [e.name for e in a.establishments]
    assert [p.kc_vnd for p in c.projects] != [p.kc_vnd for p in a.projects]


def test_load_counts_and_labels(conn: Any) -> None:
    counts = load_demo(conn)
    assert 1350 <= counts.establishments <= 1650
    assert 30 <= counts.craft_villages <= 50
    assert 270 <= counts.projects <= 330
    assert table_counts(conn) == (counts.establishments, counts.craft_villages,
                                  counts.projects, counts.locations)
    for table in ("establishment", "craft_village", "project"):
        assert one(conn, f"SELECT count(*) FROM {table} WHERE is_demo AND "  # noqa: S608
                         "record_key NOT LIKE 'demo:%'") == 0
    bad = one(conn, """
        SELECT count(*) FROM location
        WHERE method = 'demo_synthetic' AND NOT (
            source_file = 'kcmap-demo' AND score = 1.0 AND geocode_status = 'ok'
            AND district_code IS NOT NULL AND raw_address <> '' AND ST_SRID(geom) = 4326
            AND GeometryType(geom) = 'POINT'
            AND (precision NOT IN ('exact', 'commune') OR commune_code IS NOT NULL))""")
    assert bad == 0
    # Every location's units exist and the commune lies in the district.
    assert one(conn, """
        SELECT count(*) FROM location l
        LEFT JOIN admin_unit d ON d.edition = 'legacy' AND d.code = l.district_code
                              AND d.level = 'district'
        LEFT JOIN admin_unit c ON c.edition = 'legacy' AND c.code = l.commune_code
        WHERE l.method = 'demo_synthetic'
          AND (d.code IS NULL OR (l.commune_code IS NOT NULL
                                  AND c.parent_code IS DISTINCT FROM l.district_code))""") == 0
    # Synthetic personal data in a recognisable fake pattern.
    phones = rows(conn, "SELECT phone FROM establishment WHERE is_demo AND phone IS NOT NULL")
    assert len(phones) > 1000 and all(p.startswith("09000") and len(p) == 10 for (p,) in phones)
    assert one(conn, "SELECT count(*) FROM establishment WHERE is_demo AND "
                     "(owner_name IS NULL OR workers IS NULL OR trade IS NULL)") == 0
    assert one(conn, "SELECT count(DISTINCT trade) FROM establishment WHERE is_demo") >= 12
    village = rows(conn, "SELECT decision, recognised_year, households, workers "
                         "FROM craft_village WHERE is_demo")
    assert all(d.endswith("/QĐ-UBND") and 2000 <= y <= 2025 and h > 0 and wk >= h
               for d, y, h, wk in village)


def test_reload_replaces_and_keeps_imported_records(conn: Any) -> None:
    with conn.cursor() as cur:
        cur.execute("INSERT INTO establishment (record_key, name) "
                    "VALUES ('import:1', 'Cơ sở mộc thật') RETURNING id")
        est_id = cur.fetchone()[0]
        cur.execute("INSERT INTO location (establishment_id, geom, precision, commune_code, "
                    "district_code, method) VALUES (%s, ST_SetSRID(ST_MakePoint(108.8, 15.1), "
                    "4326), 'exact', '21010', '522', 'import')", (est_id,))
    first = load_demo(conn)
    demo_est = one(conn, "SELECT id FROM establishment WHERE record_key = 'demo:est:000001'")
    with conn.cursor() as cur:
        cur.execute("INSERT INTO project (record_key, title, year, funding_source, "
                    "activity_type, kc_vnd, beneficiary_establishment_id) VALUES "
                    "('import:p1', 'Đề án thật', 2022, 'KCDP', 'training', 100000000, %s)",
                    (demo_est,))
    second = load_demo(conn)
    assert first == second
    assert table_counts(conn) == (second.establishments, second.craft_villages,
                                  second.projects, second.locations)
    assert one(conn, "SELECT count(*) FROM establishment WHERE NOT is_demo") == 1
    assert one(conn, "SELECT count(*) FROM location WHERE establishment_id = %s", (est_id,)) == 1
    # The imported project survives; its link to a deleted demo establishment is cleared.
    assert one(conn, "SELECT beneficiary_establishment_id IS NULL FROM project "
                     "WHERE record_key = 'import:p1'") is True


def test_projects_funding_types_years_and_beneficiaries(conn: Any) -> None:
    load_demo(conn)
    sources = dict(rows(conn, "SELECT funding_source, count(*) FROM project WHERE is_demo "
                              "GROUP BY 1"))
    assert set(sources) == {"KCQG", "KCDP"} and sources["KCDP"] > sources["KCQG"]
    assert one(conn, "SELECT count(*) FROM activity_type a WHERE NOT EXISTS "
                     "(SELECT 1 FROM project p WHERE p.is_demo "
                     "AND p.activity_type = a.code)") == 0
    assert [y for (y,) in rows(conn, "SELECT DISTINCT year FROM project WHERE is_demo "
                                     "ORDER BY 1")] == [2021, 2022, 2023, 2024, 2025]
    lo, hi, odd = rows(conn, "SELECT min(kc_vnd), max(kc_vnd), "
                             "count(*) FILTER (WHERE kc_vnd % 1000000 <> 0 "
                             "OR counterpart_vnd % 1000000 <> 0) "
                             "FROM project WHERE is_demo")[0]
    assert lo >= 50_000_000 and hi <= 1_500_000_000 and odd == 0
    qg, dp = rows(conn, "SELECT avg(kc_vnd) FILTER (WHERE funding_source = 'KCQG'), "
                        "avg(kc_vnd) FILTER (WHERE funding_source = 'KCDP') "
                        "FROM project WHERE is_demo")[0]
    assert qg > 2 * dp
    completed = one(conn, "SELECT avg((status = 'completed')::int) FROM project WHERE is_demo")
    assert completed > 0.7
    # Linked beneficiaries are demo establishments of the same name, at their location.
    linked, mismatched = rows(conn, """
        SELECT count(*), count(*) FILTER (WHERE e.name <> p.beneficiary OR NOT e.is_demo
                                             OR NOT ST_Equals(lp.geom, le.geom))
        FROM project p JOIN establishment e ON e.id = p.beneficiary_establishment_id
        JOIN location lp ON lp.project_id = p.id
        JOIN location le ON le.establishment_id = e.id
        WHERE p.is_demo""")[0]
    assert linked > 150 and mismatched == 0
    assert one(conn, "SELECT count(*) FROM project WHERE is_demo AND beneficiary IS NULL") == 0
    multi = one(conn, "SELECT count(*) FROM (SELECT project_id FROM location "
                      "WHERE method = 'demo_synthetic' AND project_id IS NOT NULL "
                      "GROUP BY 1 HAVING count(*) BETWEEN 2 AND 3) m")
    assert 3 <= multi <= 40


def test_precision_mix(conn: Any) -> None:
    load_demo(conn)
    est = dict(rows(conn, "SELECT precision, count(*) FROM location "
                          "WHERE establishment_id IS NOT NULL AND method = 'demo_synthetic' "
                          "GROUP BY 1"))
    assert set(est) == {"exact", "commune", "district"}
    assert est["exact"] > est["commune"] > est["district"]
    projects = one(conn, "SELECT count(*) FROM project WHERE is_demo")
    prec = dict(rows(conn, "SELECT l.precision, count(DISTINCT l.project_id) FROM location l "
                           "WHERE l.project_id IS NOT NULL AND l.method = 'demo_synthetic' "
                           "GROUP BY 1"))
    assert prec["exact"] > projects / 2
    assert prec["commune"] > 0
    assert 0.05 * projects <= prec["district"] <= 0.2 * projects
    # District precision never pretends to be in a commune; its point is the district's.
    assert one(conn, """
        SELECT count(*) FROM location l
        JOIN admin_unit d ON d.edition = 'legacy' AND d.code = l.district_code
        LEFT JOIN boundary b ON b.edition = 'legacy' AND b.code = d.code
        WHERE l.method = 'demo_synthetic' AND l.precision = 'district'
          AND (l.commune_code IS NOT NULL
               OR NOT ST_Equals(l.geom, COALESCE(ST_PointOnSurface(b.geom), d.centroid)))
        """) == 0
    # Commune precision sits on the commune's representative point.
    assert one(conn, """
        SELECT count(*) FROM location l
        JOIN admin_unit c ON c.edition = 'legacy' AND c.code = l.commune_code
        LEFT JOIN boundary b ON b.edition = 'legacy' AND b.code = c.code
        WHERE l.method = 'demo_synthetic' AND l.precision = 'commune'
          AND NOT ST_Equals(l.geom, COALESCE(ST_PointOnSurface(b.geom), c.centroid))""") == 0


EXACT_OUTSIDE = """
SELECT count(*) FILTER (WHERE NOT ST_Covers(COALESCE(b.geom, c.bbox), l.geom)),
       count(*) FILTER (WHERE b.geom IS NOT NULL), count(*)
FROM location l
JOIN admin_unit c ON c.edition = 'legacy' AND c.code = l.commune_code
LEFT JOIN boundary b ON b.edition = 'legacy' AND b.code = c.code
WHERE l.method = 'demo_synthetic' AND l.precision = 'exact'
"""


def test_exact_points_inside_their_commune(conn: Any) -> None:
    load_demo(conn)
    outside, _, total = rows(conn, EXACT_OUTSIDE)[0]
    assert total > 1000 and outside == 0


def test_exact_points_inside_a_boundary_polygon(conn: Any) -> None:
    # A triangle inside the bbox of the busiest commune: points must now fall in it.
    load_demo(conn)
    code = one(conn, "SELECT commune_code FROM location WHERE method = 'demo_synthetic' "
                     "AND precision = 'exact' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    with conn.cursor() as cur:
        cur.execute("""
            INSERT INTO boundary (edition, code, geom, source, quality, area_km2)
            SELECT 'legacy', code, ST_Multi(ST_MakePolygon(ST_MakeLine(ARRAY[
                       ST_MakePoint(ST_XMin(bbox), ST_YMin(bbox)),
                       ST_MakePoint(ST_XMax(bbox), ST_YMin(bbox)),
                       ST_MakePoint(ST_XMin(bbox), ST_YMax(bbox)),
                       ST_MakePoint(ST_XMin(bbox), ST_YMin(bbox))]))),
                   'test triangle', 'approximate', 1.0
            FROM admin_unit WHERE edition = 'legacy' AND code = %s""", (code,))
    load_demo(conn)
    outside, in_polygon, _ = rows(conn, EXACT_OUTSIDE)[0]
    assert outside == 0 and in_polygon > 5


def test_exact_points_inside_approximate_boundaries(world: Any) -> None:
    outside, in_polygon, total = rows(world, EXACT_OUTSIDE)[0]
    assert outside == 0 and in_polygon == total > 1000


def test_sparse_areas(conn: Any) -> None:
    load_demo(conn)
    per_commune = dict(rows(conn, """
        SELECT c.code, count(l.id) FROM admin_unit c
        LEFT JOIN location l ON l.commune_code = c.code AND l.establishment_id IS NOT NULL
                             AND l.method = 'demo_synthetic'
        WHERE c.edition = 'legacy' AND c.level = 'commune' GROUP BY 1"""))
    parents = dict(rows(conn, "SELECT code, parent_code FROM admin_unit "
                              "WHERE edition = 'legacy' AND level = 'commune'"))
    empty = [c for c, n in per_commune.items() if n == 0]
    assert 5 <= len(empty) <= 80
    assert any(parents[c] not in MOUNTAIN for c in empty)
    lowland = [n for c, n in per_commune.items() if parents[c] not in MOUNTAIN]
    mountain = [n for c, n in per_commune.items() if parents[c] in MOUNTAIN]
    assert sum(lowland) / len(lowland) > 4 * sum(mountain) / len(mountain)
    with_projects = {c for (c,) in rows(conn, "SELECT DISTINCT commune_code FROM location "
                                              "WHERE project_id IS NOT NULL "
                                              "AND method = 'demo_synthetic'")}
    unfunded = [c for c, n in per_commune.items() if n > 0 and c not in with_projects]
    assert len(unfunded) >= 5


def test_scale_two_doubles(conn: Any) -> None:
    one_x = load_demo(conn, scale=1)
    two_x = load_demo(conn, scale=2)
    assert 1.8 <= two_x.establishments / one_x.establishments <= 2.2
    assert 1.8 <= two_x.projects / one_x.projects <= 2.2
    assert table_counts(conn) == (two_x.establishments, two_x.craft_villages,
                                  two_x.projects, two_x.locations)


def test_bad_scale_is_refused(conn: Any) -> None:
    with pytest.raises(InvalidInput):
        load_demo(conn, scale=0)


def test_cli_reports_errors_in_one_line(test_dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli.main import app

    monkeypatch.setenv("DATABASE_URL", test_dsn)
    result = CliRunner().invoke(app, ["demo", "load", "--scale", "0"])
    assert result.exit_code == 1
    assert "--scale phải từ 1 đến" in result.output and result.output.count("\n") == 1

