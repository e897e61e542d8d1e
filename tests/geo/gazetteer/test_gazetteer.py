"""The gazetteer loaded from vietnamadminunits: counts, GSO codes, crosswalk, aliases."""

from __future__ import annotations

import csv

from geo.gazetteer import loader as gazetteer
from tests.conftest import SHARED_DATA
from tests.world import one


def test_gazetteer_counts(conn) -> None:  # type: ignore[no-untyped-def]
    q = "SELECT count(*) FROM admin_unit WHERE edition=%s AND level=%s"
    assert one(conn, q, ("legacy", "province")) == 1
    assert one(conn, q, ("legacy", "district")) == 13
    assert one(conn, q, ("legacy", "commune")) == 170
    assert one(conn, q, ("2025", "commune")) == 96
    assert one(conn, q, ("2025", "district")) == 0
    # Lý Sơn (536) has no communes in the legacy edition
    assert one(conn, "SELECT count(*) FROM admin_unit WHERE edition='legacy' AND "
                     "parent_code='536'") == 0


def test_gazetteer_codes_match_gso_list(conn) -> None:  # type: ignore[no-untyped-def]
    with open(SHARED_DATA / "quang_ngai_units_gso.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # the GSO list carries Lý Sơn (536) as a district row without communes
    assert [r["district_code"] for r in rows if not r["commune_code"]] == ["536"]
    gso = {(r["commune_code"], r["district_code"]) for r in rows if r["commune_code"]}
    assert len(gso) == 170
    with conn.cursor() as cur:
        cur.execute("SELECT code, parent_code FROM admin_unit WHERE edition='legacy'"
                    " AND level='commune'")
        ours = set(cur.fetchall())
    assert ours == gso


def test_crosswalk_covers_every_legacy_commune(conn) -> None:  # type: ignore[no-untyped-def]
    missing = one(conn, "SELECT count(*) FROM admin_unit u WHERE edition='legacy' AND "
                        "level='commune' AND NOT EXISTS (SELECT 1 FROM unit_crosswalk x "
                        "WHERE x.legacy_code = u.code)")
    assert missing == 0
    # shares of each legacy unit add up to 1
    bad = one(conn, "SELECT count(*) FROM (SELECT legacy_code, sum(share) s FROM unit_crosswalk"
                    " GROUP BY 1) t WHERE abs(s - 1) > 1e-9")
    assert bad == 0
    # Lý Sơn district becomes the special zone (đặc khu) Lý Sơn
    with conn.cursor() as cur:
        cur.execute("SELECT u.name FROM unit_crosswalk x JOIN admin_unit u ON u.edition='2025'"
                    " AND u.code = x.code_2025 WHERE x.legacy_code = '536'")
        assert cur.fetchone()[0] == "Đặc khu Lý Sơn"


def test_history_aliases_present(conn) -> None:  # type: ignore[no-untyped-def]
    # Tây Trà district (merged into Trà Bồng in 2020) and Thị trấn Đức Phổ (now Phường Nguyễn
    # Nghiêm, Đức Phổ) are findable by their old names.
    with conn.cursor() as cur:
        cur.execute("SELECT code FROM unit_alias WHERE alias_key = 'taytra' AND edition='legacy'")
        assert ("525",) in cur.fetchall()
        cur.execute("SELECT code FROM unit_alias WHERE alias_key = 'ducpho' AND edition='legacy'")
        assert ("21439",) in cur.fetchall()


def test_gazetteer_load_is_idempotent(conn) -> None:  # type: ignore[no-untyped-def]
    before = one(conn, "SELECT count(*) FROM admin_unit") + one(
        conn, "SELECT count(*) FROM unit_crosswalk")
    gazetteer.load(conn)
    after = one(conn, "SELECT count(*) FROM admin_unit") + one(
        conn, "SELECT count(*) FROM unit_crosswalk")
    assert before == after
