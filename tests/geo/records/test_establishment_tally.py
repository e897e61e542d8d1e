"""The establishment counts and cluster cells kept by migration 0016 stay exact after every kind
of write (insert, update, delete, a second location, an audited edit, an import and its undo),
and concurrent writers of the same category never wait for each other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from geo.records.public_establishments import establishment_counts, fold_sums
from tests.world import BINH_SON, add_establishment, communes_of, one, rows

# The counts as the page computed them before 0016: every establishment's first location
# through record_place (an independent path to the same figures).
DIRECT = """
WITH first_ AS (
    SELECT DISTINCT ON (e.id) e.id, COALESCE(e.trade, '') AS trade, x.id AS lid
    FROM establishment e LEFT JOIN location x ON x.establishment_id = e.id
    WHERE e.archived_at IS NULL
    ORDER BY e.id, x.id)
SELECT f.trade, p.geocode_status, count(*), count(p.point)
FROM first_ f LEFT JOIN record_place p ON p.location_id = f.lid
WHERE %(district)s::text IS NULL OR p.district_code = %(district)s
GROUP BY 1, 2
"""

# Drawable first locations per level-16 cell (611 m; columns from the west, rows from the
# north), commune, district and trade, straight from the locations.
DIRECT_CELLS = """
SELECT floor((ST_X(l.point_3857) + 20037508.342789244) / (40075016.685578488 / 65536))::int,
       floor((20037508.342789244 - ST_Y(l.point_3857)) / (40075016.685578488 / 65536))::int,
       COALESCE(l.commune_code, ''), COALESCE(l.district_code, ''), COALESCE(e.trade, ''),
       count(*), sum(ST_X(l.point_3857)), sum(ST_Y(l.point_3857))
FROM establishment e
JOIN LATERAL (SELECT * FROM location x WHERE x.establishment_id = e.id
              ORDER BY x.id LIMIT 1) l ON true
WHERE l.point_3857 IS NOT NULL AND e.archived_at IS NULL
GROUP BY 1, 2, 3, 4, 5
"""

KEPT_CELLS = """
SELECT gx, gy, commune_code, district_code, trade, sum(n), sum(sx), sum(sy)
FROM establishment_cell GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0
"""


CELL_KEYS = ("SELECT count(DISTINCT (gx, gy, commune_code, district_code, trade)) "
             "FROM establishment_cell")
TALLY_KEYS = ("SELECT count(DISTINCT (commune_code, district_code, trade, status, drawn)) "
              "FROM establishment_tally")


def cells(conn: Any, sql: str) -> dict[tuple[Any, ...], tuple[int, float, float]]:
    return {tuple(r[:5]): (int(r[5]), float(r[6]), float(r[7])) for r in rows(conn, sql)}


def direct_counts(conn: Any, district: str | None) -> dict[str, Any]:
    trades: dict[str, int] = {}
    statuses: dict[str, int] = {}
    total = drawn = 0
    for trade, status, n, n_drawn in rows(conn, DIRECT, {"district": district}):
        trades[trade] = trades.get(trade, 0) + n_drawn
        if status is not None:
            statuses[status] = statuses.get(status, 0) + n_drawn
        total += n
        drawn += n_drawn
    return {"total": total, "drawn": drawn, "not_drawn": total - drawn,
            "trades": dict(sorted(trades.items(), key=lambda kv: (-kv[1], kv[0]))),
            "statuses": statuses}


def assert_exact(conn: Any) -> None:
    """Counts (all and one district), cells and low-zoom tile clusters match the data."""
    for district in (None, BINH_SON):
        assert establishment_counts(conn, district) == direct_counts(conn, district), district
    kept, direct = cells(conn, KEPT_CELLS), cells(conn, DIRECT_CELLS)
    assert kept.keys() == direct.keys()
    for key, (n, sx, sy) in direct.items():  # sums of metres: equal to a millimetre
        assert kept[key][0] == n and kept[key][1:] == pytest.approx((sx, sy), abs=1e-3), key
    assert one(conn, "SELECT count(*) FROM establishment_point") == \
        one(conn, "SELECT count(*) FROM establishment WHERE archived_at IS NULL")


def test_counts_stay_exact_after_inserts_updates_and_deletes(world: Any) -> None:
    assert_exact(world)
    before = establishment_counts(world)
    a = add_establishment(world, "TALLY-A", BINH_SON)
    add_establishment(world, "TALLY-B", BINH_SON, precision="commune", status="ambiguous")
    after = establishment_counts(world)
    assert after["total"] == before["total"] + 2 and after["drawn"] == before["drawn"] + 2
    assert after["trades"]["Mây tre đan"] == before["trades"].get("Mây tre đan", 0) + 2
    assert_exact(world)

    with world.cursor() as cur:
        # establishments and their locations written by one statement
        cur.execute("""WITH e AS (INSERT INTO establishment (record_key, name, trade)
                                  SELECT 'TALLY-W' || g, 'Cơ sở W', 'Nghề một lệnh TALLY'
                                  FROM generate_series(1, 3) g RETURNING id)
                       INSERT INTO location (establishment_id, geom, precision, method,
                                             geocode_status)
                       SELECT id, ST_SetSRID(ST_MakePoint(108.8, 15.0), 4326), 'exact', 'test',
                              'ok' FROM e""")
        assert establishment_counts(world)["trades"]["Nghề một lệnh TALLY"] == 3
        assert_exact(world)
        cur.execute("UPDATE establishment SET trade = 'Nghề thử TALLY' WHERE id = %s", (a,))
        assert_exact(world)
        assert establishment_counts(world)["trades"]["Nghề thử TALLY"] == 1
        # a second location changes nothing; without the first, the second one counts
        cur.execute("""INSERT INTO location (establishment_id, geom, precision, commune_code,
                                             district_code, method, geocode_status)
                       SELECT %s, centroid, 'commune', code, parent_code, 'test', 'conflict'
                       FROM admin_unit WHERE edition = 'legacy' AND code = %s""",
                    (a, communes_of(world, BINH_SON)[1]))
        assert_exact(world)
        cur.execute("DELETE FROM location WHERE id = (SELECT min(id) FROM location "
                    "WHERE establishment_id = %s)", (a,))
        assert_exact(world)
        assert establishment_counts(world)["statuses"]["conflict"] >= 1
        # many rows at once: no drawable point, other statuses, other trades
        cur.execute("UPDATE location SET precision = 'none', geom = NULL WHERE id IN ("
                    "SELECT id FROM location WHERE establishment_id IS NOT NULL "
                    "ORDER BY id LIMIT 40)")
        cur.execute("UPDATE location SET geocode_status = 'not_found' WHERE id IN ("
                    "SELECT id FROM location WHERE establishment_id IS NOT NULL "
                    "ORDER BY id DESC LIMIT 30)")
        cur.execute("UPDATE location SET geom = ST_Translate(geom, 0.02, -0.01) WHERE id IN ("
                    "SELECT id FROM location WHERE establishment_id IS NOT NULL "
                    "AND precision = 'exact' ORDER BY id LIMIT 25)")
        cur.execute("UPDATE establishment SET trade = NULL WHERE id % 9 = 0")
        assert_exact(world)
        # statements of many keys add rows without folding; fold_sums folds them
        for dx in (0.003, -0.003):
            cur.execute("UPDATE location SET geom = ST_Translate(geom, %s, 0) "
                        "WHERE establishment_id IS NOT NULL AND precision = 'exact'", (dx,))
        assert_exact(world)
        assert one(world, "SELECT count(*) FROM establishment_cell") > one(world, CELL_KEYS)
        fold_sums(world)
        assert one(world, "SELECT count(*) FROM establishment_cell") == one(world, CELL_KEYS)
        assert one(world, "SELECT count(*) FROM establishment_tally") == one(world, TALLY_KEYS)
        assert_exact(world)
        cur.execute("DELETE FROM establishment WHERE id %% 7 = 0 OR id = %s", (a,))
        cur.execute("DELETE FROM location WHERE establishment_id % 11 = 0")
        assert_exact(world)
        cur.execute("TRUNCATE location CASCADE")
        assert_exact(world)
        assert establishment_counts(world)["drawn"] == 0


def test_archived_establishments_leave_the_counts_and_come_back(world: Any) -> None:
    """Migration 0017: archiving (an import's explicit option) takes an establishment out of
    the kept sums; bringing it back (the batch's undo) puts it in again."""
    before = establishment_counts(world)
    with world.cursor() as cur:
        cur.execute("SELECT e.id FROM establishment e JOIN location l ON l.establishment_id = "
                    "e.id WHERE l.precision = 'exact' ORDER BY e.id LIMIT 5")
        ids = [r[0] for r in cur.fetchall()]
        assert len(ids) == 5
        cur.execute("UPDATE establishment SET archived_at = now() WHERE id = ANY(%s)", (ids,))
        assert_exact(world)
        archived = establishment_counts(world)
        assert archived["total"] == before["total"] - 5
        assert archived["drawn"] == before["drawn"] - 5
        cur.execute("UPDATE establishment SET archived_at = NULL WHERE id = ANY(%s)", (ids,))
        assert_exact(world)
        assert establishment_counts(world) == before


def test_low_zoom_tiles_count_what_the_tally_counts_after_writes(world: Any) -> None:
    from geo.core.vocab import TileLayer
    from geo.publish.tiles import TileQuery, build_tile
    from tests.api.test_tiles import features, province_tiles

    add_establishment(world, "TALLY-T1", BINH_SON, offset=(0.001, 0.001))
    with world.cursor() as cur:
        cur.execute("DELETE FROM establishment WHERE id IN (SELECT id FROM establishment "
                    "ORDER BY id LIMIT 50)")
    for district in (None, BINH_SON):
        q = TileQuery(TileLayer.establishments, district=district)
        total = sum(f["properties"]["count"] for x, y in province_tiles(world, 10)
                    for f in features(build_tile(world, q, 10, x, y), "establishments"))
        assert total == establishment_counts(world, district)["drawn"]


def test_counts_stay_exact_after_an_audited_edit_an_import_and_its_undo(
        world: Any, make_user: Any, tmp_path: Path) -> None:
    from geo.intake.batch_flow import undo_batch
    from geo.intake.importer import import_file
    from geo.records.edit import edit_record

    eid, version = rows(world, "SELECT id, version FROM establishment ORDER BY id LIMIT 1")[0]
    admin = make_user("admin")
    edit_record(world, admin, "establishment", eid, version,
                {"trade": "Nghề sửa TALLY", "reason": "kiểm thử"})
    assert establishment_counts(world)["trades"]["Nghề sửa TALLY"] == int(bool(one(
        world, "SELECT count(point_3857) FROM location WHERE id = (SELECT min(id) FROM "
               "location WHERE establishment_id = %s)", (eid,))))
    assert_exact(world)

    before = establishment_counts(world)
    lon, lat, commune, district = rows(world, """
        SELECT ST_X(ST_PointOnSurface(b.geom)), ST_Y(ST_PointOnSurface(b.geom)), u.name, d.name
        FROM admin_unit u JOIN admin_unit d ON d.edition = 'legacy' AND d.code = u.parent_code
        JOIN boundary b ON b.edition = 'legacy' AND b.code = u.code
        WHERE u.edition = 'legacy' AND u.parent_code = %s ORDER BY u.code LIMIT 1""",
                                       (BINH_SON,))[0]
    path = tmp_path / "co_so.csv"
    path.write_text(
        "STT,Tên cơ sở,Ngành nghề,Xã,Huyện,Vĩ độ,Kinh độ\n"
        f"1,Cơ sở nhập A,Nghề nhập TALLY,{commune},{district},{lat},{lon}\n"
        f"2,Cơ sở nhập B,Nghề nhập TALLY,{commune},{district},,\n", encoding="utf-8")
    result = import_file(world, "establishments", path, actor=admin)
    assert result.batch_id is not None
    imported = establishment_counts(world)
    assert imported["total"] == before["total"] + 2
    assert imported["trades"]["Nghề nhập TALLY"] == 2
    assert_exact(world)

    undo_batch(world, admin, result.batch_id)
    assert establishment_counts(world) == before
    assert_exact(world)


@pytest.fixture()
def committed(test_dsn: str) -> Iterator[list[psycopg2.extensions.connection]]:
    """Two connections to the plain test database; records TALLY-C* removed after."""
    conns = [psycopg2.connect(test_dsn), psycopg2.connect(test_dsn)]
    try:
        yield conns
    finally:
        for c in conns:
            c.rollback()
        with conns[0].cursor() as cur:
            cur.execute("DELETE FROM establishment WHERE record_key LIKE 'TALLY-C%'")
        conns[0].commit()
        for c in conns:
            c.close()


def test_a_writer_never_waits_for_another_on_the_kept_sums(committed: Any) -> None:
    """Writers of one table already queue on its data_version row (0007); the sums add no
    wait of their own: a location write and an establishment write of the same category run
    side by side, and the sums are exact after both commit."""
    first, second = committed
    a = add_establishment(first, "TALLY-C0", BINH_SON)
    b = add_establishment(first, "TALLY-C1", BINH_SON)
    first.commit()
    base = establishment_counts(first)
    with first.cursor() as cur:  # left open: it holds the sum rows of its categories
        cur.execute("UPDATE location SET geocode_status = 'ambiguous' "
                    "WHERE establishment_id = %s", (a,))
    with second.cursor() as cur:
        cur.execute("SET LOCAL lock_timeout = '3s'")  # a wait would fail the next statement
        cur.execute("UPDATE establishment SET trade = 'Nghề khác TALLY' WHERE id = %s", (b,))
    second.commit()
    first.commit()
    after = establishment_counts(first)
    assert after["trades"]["Mây tre đan"] == base["trades"]["Mây tre đan"] - 1
    assert after["trades"]["Nghề khác TALLY"] == 1
    assert after["statuses"]["ambiguous"] == base["statuses"].get("ambiguous", 0) + 1
    assert_exact(first)
    # the category both changed has a row from each; the next write to it folds them
    assert one(first, "SELECT count(*) FROM establishment_tally") == one(first, TALLY_KEYS) + 1
    add_establishment(first, "TALLY-C2", BINH_SON)
    first.commit()
    assert_exact(first)
    assert one(first, "SELECT count(*) FROM establishment_tally") == one(first, TALLY_KEYS)
