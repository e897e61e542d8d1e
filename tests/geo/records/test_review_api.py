"""The establishments API and the domain rules behind it: scope, roles, versions, audit, revert."""

from __future__ import annotations

from typing import Any

import pytest

from geo.accounts.authz import Actor
from geo.core.errors import Forbidden, Unauthorized
from geo.records.audit import history
from geo.records.edit import edit_establishment, revert_change
from geo.records.review import review_progress
from tests.review_helpers import auth_client
from tests.world import BINH_SON, HOSTILE, SON_TINH, add_establishment, communes_of, one, point_of


@pytest.fixture()
def two(conn: Any) -> dict[str, int]:
    """One establishment in Bình Sơn (524), one in Sơn Tịnh (527)."""
    return {"in": add_establishment(conn, "E-524", BINH_SON),
            "out": add_establishment(conn, "E-527", SON_TINH)}


def _patch(c: Any, eid: int, headers: dict[str, str], version: int | str | None,
           **body: Any) -> Any:
    extra = {"If-Match": str(version)} if version is not None else {}
    body.setdefault("reason", "rà soát vị trí")  # every change carries a reason
    return c.patch(f"/api/establishments/{eid}", json=body, headers={**headers, **extra})


def test_officer_edits_own_district_and_gets_403_elsewhere(conn: Any, two: dict[str, int],
                                                           bearer: Any) -> None:
    c = auth_client(conn)
    officer = bearer("district_officer", BINH_SON)
    r = _patch(c, two["in"], officer, 1, name="Cơ sở đã sửa", reason="đúng tên")
    assert r.status_code == 200
    assert r.json()["name"] == "Cơ sở đã sửa" and r.json()["version"] == 2
    assert r.headers["etag"] == '"2"'
    r = _patch(c, two["out"], officer, 1, name="Không được sửa")
    assert r.status_code == 403
    assert r.json()["error"] == "Forbidden"
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (two["out"],)) \
        == "Cơ sở E-527"
    # moving an own establishment into another district's commune is out of scope too
    r = _patch(c, two["in"], officer, 2, commune_code=communes_of(conn, SON_TINH)[0])
    assert r.status_code == 403
    assert one(conn, "SELECT version FROM establishment WHERE id = %s", (two["in"],)) == 2


def test_every_role_against_the_domain_layer(conn: Any, two: dict[str, int],
                                             make_user: Any) -> None:
    """The rules hold in geo/, whatever route (or none) calls them."""
    admin, planner = make_user("admin"), make_user("planner")
    viewer, other = make_user("viewer"), make_user("district_officer", SON_TINH)
    for actor in (planner, viewer, other):
        with pytest.raises(Forbidden):
            edit_establishment(conn, actor, two["in"], 1, {"name": "x", "reason": "r"})
    with pytest.raises(Unauthorized):
        edit_establishment(conn, None, two["in"], 1, {"name": "x", "reason": "r"})
    ghost = Actor(999, "ghost", "superuser")
    with pytest.raises(Forbidden):
        edit_establishment(conn, ghost, two["in"], 1, {"name": "x", "reason": "r"})
    assert edit_establishment(conn, admin, two["out"], 1, {"name": "Sửa bởi quản trị",
                                                      "reason": "r"}).version \
        == 2
    assert edit_establishment(conn, other, two["out"], 2,
                              {"workers": 30, "reason": "r"}).version == 3


def test_viewer_cannot_edit_and_sees_no_owner_or_phone(conn: Any, two: dict[str, int],
                                                       bearer: Any, make_user: Any) -> None:
    c = auth_client(conn)
    viewer = bearer("viewer")
    r = c.get(f"/api/establishments/{two['in']}", headers=viewer)
    assert r.status_code == 200
    body = r.json()
    assert "phone" not in body and "owner_name" not in body
    assert "0905123456" not in r.text and "Nguyễn Văn Chủ" not in r.text
    assert body["version"] == 1
    listing = c.get("/api/establishments", params={"district": BINH_SON}, headers=viewer)
    assert listing.status_code == 200 and listing.json()["total"] == 1
    assert "0905123456" not in listing.text and "Nguyễn Văn Chủ" not in listing.text
    assert _patch(c, two["in"], viewer, 1, name="x").status_code == 403
    assert _patch(c, two["in"], viewer, 1, phone="0000").status_code == 403
    # viewers do not read the audit trail at all (issue 11; it holds personal fields)
    officer = bearer("district_officer", BINH_SON)
    assert _patch(c, two["in"], officer, 1, phone="0911222333").status_code == 200
    h = c.get(f"/api/establishments/{two['in']}/history", headers=viewer)
    assert h.status_code == 403
    assert "0911222333" not in h.text and "0905123456" not in h.text
    # viewers get no review pages (which show owners and phones)
    vc = auth_client(conn)
    from tests.review_helpers import login

    login(vc, make_user("viewer").username)
    assert vc.get(f"/review/{BINH_SON}").status_code == 403
    assert vc.get(f"/review/{BINH_SON}/establishments/{two['in']}").status_code == 403
    # those who may see personal fields do
    planner = bearer("planner")
    full = c.get(f"/api/establishments/{two['in']}", headers=planner).json()
    assert full["phone"] == "0911222333" and full["owner_name"] == "Nguyễn Văn Chủ"


def test_two_edits_from_the_same_version_one_wins(conn: Any, two: dict[str, int],
                                                  bearer: Any) -> None:
    c = auth_client(conn)
    a, b = bearer("district_officer", BINH_SON), bearer("admin")
    first = _patch(c, two["in"], a, 1, name="Tên của A", reason="A")
    second = _patch(c, two["in"], b, 1, name="Tên của B", reason="B")
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    loser = second.json()
    assert loser["current_version"] == 2
    assert loser["current"]["name"] == "Tên của A"
    assert loser["rejected_changes"] == {"name": "Tên của B", "reason": "B"}
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (two["in"],)) == "Tên của A"
    changes = c.get(f"/api/establishments/{two['in']}/history", headers=b).json()
    assert len(changes) == 1
    assert changes[0]["before"]["name"] == "Cơ sở E-524"
    assert changes[0]["after"]["name"] == "Tên của A"
    assert changes[0]["reason"] == "A" and changes[0]["username"].startswith("district-officer")


def test_an_edit_needs_if_match(conn: Any, two: dict[str, int], bearer: Any) -> None:
    c = auth_client(conn)
    officer = bearer("district_officer", BINH_SON)
    assert _patch(c, two["in"], officer, None, name="x").status_code == 428
    assert _patch(c, two["in"], officer, "abc", name="x").status_code == 422
    assert _patch(c, two["in"], officer, 'W/"1"', name="ok").status_code == 200


def test_move_then_revert_restores_the_geometry(conn: Any, bearer: Any, make_user: Any
                                                ) -> None:
    eid = add_establishment(conn, "E-MOVE", BINH_SON, precision="commune", status="conflict")
    before = point_of(conn, eid)
    c = auth_client(conn)
    officer, planner = bearer("district_officer", BINH_SON), bearer("planner")
    r = _patch(c, eid, officer, 1, lat=before[1] + 0.01, lon=before[0] + 0.02,
               reason="đo lại tại chỗ")
    assert r.status_code == 200
    moved = point_of(conn, eid)
    assert moved == pytest.approx((before[0] + 0.02, before[1] + 0.01), abs=1e-7)
    loc = r.json()["location"]
    assert loc["precision"] == "exact" and loc["geocode_status"] == "ok"
    assert r.json()["reviewed_by"] is not None
    audit_id = r.json()["audit_id"]
    history_rows = c.get(f"/api/establishments/{eid}/history", headers=planner).json()
    assert history_rows[0]["geometry_before"]["coordinates"] == pytest.approx(list(before))
    assert history_rows[0]["geometry_after"]["coordinates"] == pytest.approx(list(moved))
    colleague = bearer("district_officer", BINH_SON)  # not their change
    assert c.post(f"/api/audit/{audit_id}/revert", headers=colleague).status_code == 403
    r = c.post(f"/api/audit/{audit_id}/revert", headers=planner,
               json={"reason": "nhầm điểm"})
    assert r.status_code == 200
    assert point_of(conn, eid) == pytest.approx(before, abs=1e-9)
    assert one(conn, "SELECT ST_Equals(l.geom, a.geom_before) FROM location l, audit_log a "
                     "WHERE l.establishment_id = %s AND a.id = %s", (eid, audit_id)) is True
    restored = r.json()
    assert restored["location"]["precision"] == "commune"
    assert restored["location"]["geocode_status"] == "conflict"
    assert restored["reviewed_at"] is None and restored["version"] == 3
    rows = c.get(f"/api/establishments/{eid}/history", headers=planner).json()
    assert [x["action"] for x in rows] == ["revert", "edit"]
    assert rows[1]["reverted_by_id"] == rows[0]["id"] and rows[0]["reverts_id"] == audit_id
    assert c.post(f"/api/audit/{audit_id}/revert", headers=planner).status_code == 409


def test_revert_refuses_when_a_later_change_exists(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "E-LATER", BINH_SON)
    officer, planner = make_user("district_officer", BINH_SON), make_user("planner")
    first = edit_establishment(conn, officer, eid, 1, {"name": "Một", "reason": "r"})
    edit_establishment(conn, officer, eid, 2, {"name": "Hai", "reason": "r"})
    from geo.core.errors import Conflict

    assert first.audit_id is not None
    with pytest.raises(Conflict):
        revert_change(conn, planner, first.audit_id)
    latest = history(conn, planner, "establishment", eid)[0]
    revert_change(conn, planner, latest["id"])
    revert_change(conn, planner, first.audit_id)
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (eid,)) == "Cơ sở E-LATER"


def test_typed_coordinates_decimal_dms_vn2000(conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "E-TYPED", BINH_SON)
    c = auth_client(conn)
    officer = bearer("district_officer", BINH_SON)
    r = _patch(c, eid, officer, 1, lat="15,2950", lon="108,7510")
    assert r.status_code == 200
    assert point_of(conn, eid) == pytest.approx((108.751, 15.295))
    r = _patch(c, eid, officer, 2, lat="15°17'42\"N", lon="108°45'03.6\"E")
    assert r.status_code == 200
    assert point_of(conn, eid) == pytest.approx((108.751, 15.295), abs=1e-6)
    from geo.geocoding.coords import vn2000_to_wgs84

    e, n = 580_000.0, 1_691_000.0
    r = _patch(c, eid, officer, 3, lat=str(n), lon=str(e))
    assert r.status_code == 200
    assert point_of(conn, eid) == pytest.approx(vn2000_to_wgs84(e, n), abs=1e-6)
    for lat, lon in [("10.5", "106.7"), ("abc", "108.7"), ("15.2", None)]:
        body = {"lat": lat, "lon": lon} if lon else {"lat": lat}
        r = _patch(c, eid, officer, 4, **body)
        assert r.status_code == 422, (lat, lon)
    assert one(conn, "SELECT version FROM establishment WHERE id = %s", (eid,)) == 4


def test_setting_the_commune_of_a_district_level_record(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "E-DIST", BINH_SON, precision="district")
    with conn.cursor() as cur:
        cur.execute("UPDATE location SET commune_code = NULL WHERE establishment_id = %s",
                    (eid,))
    officer = make_user("district_officer", BINH_SON)
    commune = communes_of(conn, BINH_SON)[2]
    edit_establishment(conn, officer, eid, 1, {"commune_code": commune, "reason": "r"})
    assert one(conn, "SELECT precision || ' ' || commune_code FROM location "
                     "WHERE establishment_id = %s", (eid,)) == f"commune {commune}"
    assert one(conn, "SELECT ST_Equals(l.geom, u.centroid) FROM location l, admin_unit u "
                     "WHERE l.establishment_id = %s AND u.edition = 'legacy' AND u.code = %s",
               (eid, commune)) is True


def test_confirm_counts_in_progress(conn: Any, make_user: Any, bearer: Any) -> None:
    ids = [add_establishment(conn, f"E-P{i}", BINH_SON, commune_index=i) for i in range(4)]
    officer = make_user("district_officer", BINH_SON)
    assert review_progress(conn, BINH_SON)[0]["percent_confirmed"] == 0.0
    result = edit_establishment(conn, officer, ids[0], 1, {"confirm": True, "reason": "đã đến"})
    assert result.version == 2
    assert history(conn, officer, "establishment", ids[0])[0]["action"] == "confirm"
    row = review_progress(conn, BINH_SON)[0]
    assert (row["total"], row["confirmed"], row["percent_confirmed"]) == (4, 1, 25.0)
    c = auth_client(conn)
    rows = c.get("/api/review/progress", headers=bearer("viewer")).json()
    assert {r["district_code"] for r in rows} >= {BINH_SON, SON_TINH}
    assert next(r for r in rows if r["district_code"] == BINH_SON)["percent_confirmed"] == 25.0
    assert next(r for r in rows if r["district_code"] == SON_TINH)["percent_confirmed"] is None


def test_filters_for_what_needs_attention(conn: Any, bearer: Any, make_user: Any) -> None:
    ok = add_establishment(conn, "F-OK", BINH_SON)
    conflict = add_establishment(conn, "F-CONFLICT", BINH_SON, status="conflict")
    coarse = add_establishment(conn, "F-COMMUNE", BINH_SON, precision="commune")
    away = add_establishment(conn, "F-AWAY", BINH_SON, offset=(0.5, 0.0))
    with conn.cursor() as cur:  # a small square boundary around Bình Sơn's first commune
        cur.execute("""
            INSERT INTO boundary (edition, code, geom, source, quality, area_km2)
            SELECT 'legacy', '524', ST_Multi(ST_Expand(centroid, 0.1)), 'test', 'approximate', 1
            FROM admin_unit WHERE edition = 'legacy' AND code = %s""",
                    (communes_of(conn, BINH_SON)[0],))
    edit_establishment(conn, make_user("district_officer", BINH_SON), ok, 1, {"confirm": True})
    c = auth_client(conn)
    headers = bearer("planner")

    def ids(*filters: str) -> set[int]:
        r = c.get("/api/establishments", headers=headers,
                  params={"district": BINH_SON, "filter": list(filters), "limit": 50})
        assert r.status_code == 200
        return {i["id"] for i in r.json()["items"]}

    assert ids() == {ok, conflict, coarse, away}
    assert ids("conflict") == {conflict}
    assert ids("commune_only") == {coarse}
    assert ids("outside_district") == {away}
    assert ids("unreviewed") == {conflict, coarse, away}
    assert ids("unreviewed", "conflict") == {conflict, coarse, away}  # OR
    assert ids("conflict", "outside_district") == {conflict, away}
    r = c.get("/api/establishments", headers=headers, params={"district": BINH_SON, "limit": 2})
    assert len(r.json()["items"]) == 2 and r.json()["total"] == 4


def test_hostile_input_is_stored_as_text(conn: Any, two: dict[str, int], bearer: Any) -> None:
    c = auth_client(conn)
    officer = bearer("district_officer", BINH_SON)
    version = 1
    for text in HOSTILE:
        body = {f: text for f in ("name", "owner_name", "phone", "trade", "address_raw")}
        r = _patch(c, two["in"], officer, version, **body, reason=text)
        assert r.status_code == 200, text
        version += 1
        with conn.cursor() as cur:
            cur.execute("SELECT name, owner_name, phone, trade, address_raw FROM establishment "
                        "WHERE id = %s", (two["in"],))
            assert cur.fetchone() == (text.strip(),) * 5
        got = c.get(f"/api/establishments/{two['in']}", headers=officer).json()
        assert got["name"] == text.strip() and got["phone"] == text.strip()
    assert one(conn, "SELECT count(*) FROM establishment") == 2  # no table was dropped
    for bad in [{"name": "a\x00b"}, {"name": ""}, {"name": "x" * 301}, {"workers": -1},
                {"workers": "nhiều"}, {"commune_code": "<x>"}, {"owner": "x"},
                {"confirm": "maybe"}, {"reason": "r" * 1001}, {"lat": "1e999", "lon": "1"}]:
        r = _patch(c, two["in"], officer, version, **bad)
        assert r.status_code == 422, bad
        assert "Traceback" not in r.text
    assert one(conn, "SELECT version FROM establishment WHERE id = %s", (two["in"],)) == version


def test_an_officer_undoes_only_their_own_last_change(conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "E-OWN", BINH_SON, precision="commune")
    c = auth_client(conn)
    officer, colleague = bearer("district_officer", BINH_SON), bearer("district_officer", BINH_SON)
    first = _patch(c, eid, officer, 1, name="Tên một", reason="sửa tên").json()["audit_id"]
    second = _patch(c, eid, colleague, 2, name="Tên hai", reason="sửa lại").json()["audit_id"]
    r = c.post(f"/api/audit/{first}/revert", headers=officer)  # not the last change any more
    assert r.status_code == 409 and one(conn, "SELECT name FROM establishment WHERE id = %s",
                                        (eid,)) == "Tên hai"
    assert c.post(f"/api/audit/{second}/revert", headers=officer).status_code == 403
    r = c.post(f"/api/audit/{second}/revert", headers=colleague, json={"reason": "nhầm"})
    assert r.status_code == 200 and r.json()["name"] == "Tên một"
