"""Every change made through PATCH carries a reason (issue 12: 'The reason is required'):
without one the API answers 422 with a Vietnamese detail and nothing is written; a confirm
alone is recorded with the standard reason."""

from __future__ import annotations

from typing import Any

from tests.review_helpers import auth_client
from tests.world import BINH_SON, add_establishment, communes_of, locate, one, point_of, project
from tests.world import village as make_village


def _patch(c: Any, url: str, headers: dict[str, str], version: int, body: dict[str, Any]) -> Any:
    return c.patch(url, json=body, headers={**headers, "If-Match": str(version)})


def _refused(r: Any) -> str:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/json")
    detail = r.json()["detail"]
    assert isinstance(detail, str) and "lý do" in detail.lower()
    return detail


def test_patch_without_reason_is_refused_for_every_kind(conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "E-R1", BINH_SON)
    vid = make_village(conn, "V-R1", "Làng R1")
    locate(conn, "commune", village_id=vid, commune=communes_of(conn, BINH_SON)[0])
    pid = project(conn, "P-R1", 100_000_000)
    c = auth_client(conn)
    officer, planner = bearer("district_officer", BINH_SON), bearer("planner")
    lon, lat = point_of(conn, eid)
    cases = [
        (f"/api/establishments/{eid}", officer, {"name": "Tên mới"}),
        (f"/api/establishments/{eid}", officer, {"lat": lat + 0.001, "lon": lon + 0.001}),
        (f"/api/establishments/{eid}", officer, {"workers": 13, "reason": "   "}),
        (f"/api/villages/{vid}", officer, {"name": "Làng mới"}),
        (f"/api/projects/{pid}", planner, {"kc_vnd": 120_000_000}),
    ]
    for url, headers, body in cases:
        _refused(_patch(c, url, headers, 1, body))
        assert c.get(url, headers=headers).json()["version"] == 1, url  # nothing written
    for url, headers, body in cases:
        version = c.get(url, headers=headers).json()["version"]
        r = _patch(c, url, headers, version, {**body, "reason": "đối chiếu hồ sơ"})
        assert r.status_code == 200 and r.json()["changed"] is True, (url, r.text)
        history = c.get(f"{url}/history", headers=headers).json()
        assert history[0]["reason"] == "đối chiếu hồ sơ", url
    assert one(conn, "SELECT count(*) FROM audit_log WHERE reason = ''") == 0


def test_confirm_alone_gets_the_standard_reason_and_no_change_needs_none(
        conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "E-R2", BINH_SON)
    c = auth_client(conn)
    officer = bearer("district_officer", BINH_SON)
    url = f"/api/establishments/{eid}"
    name = c.get(url, headers=officer).json()["name"]
    r = _patch(c, url, officer, 1, {"name": name})  # the same value: nothing to explain
    assert r.status_code == 200 and r.json()["changed"] is False
    r = _patch(c, url, officer, 1, {"confirm": True})
    assert r.status_code == 200 and r.json()["changed"] is True
    history = c.get(f"{url}/history", headers=officer).json()
    assert (history[0]["action"], history[0]["reason"]) == ("confirm", "Xác nhận vị trí đúng")
    # Confirming and changing a field at once is an edit: it needs a reason.
    _refused(_patch(c, url, officer, 2, {"confirm": True, "workers": 7}))
