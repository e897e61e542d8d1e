"""Edits of craft villages and projects: roles, district scope, versions, audit and revert."""

from __future__ import annotations

from typing import Any

import pytest

from geo.core.errors import Forbidden
from geo.records.edit import edit_record
from tests.review_helpers import auth_client
from tests.world import BINH_SON, SON_TINH, communes_of, locate, one, project, village


def _village(conn: Any, key: str, district: str) -> int:
    vid = village(conn, key, f"Làng {key}", "Mây tre")
    locate(conn, "commune", village_id=vid, commune=communes_of(conn, district)[0],
           district=district)
    return vid


def _patch(c: Any, url: str, headers: dict[str, str], version: int, **body: Any) -> Any:
    body.setdefault("reason", "cập nhật")  # every change carries a reason
    return c.patch(url, json=body, headers={**headers, "If-Match": str(version)})


def test_planner_edits_projects_others_may_not(conn: Any, bearer: Any) -> None:
    pid = project(conn, "PR-1", 500_000_000, year=2023)
    c = auth_client(conn)
    url = f"/api/projects/{pid}"
    for role, district in (("district_officer", BINH_SON), ("viewer", None)):
        assert _patch(c, url, bearer(role, district), 1, title="x").status_code == 403
    planner = bearer("planner")
    r = _patch(c, url, planner, 1, title="Đề án máy sấy", kc_vnd=750_000_000,
               status="approved", reason="quyết định mới")
    assert r.status_code == 200, r.text
    assert (r.json()["title"], r.json()["budget_vnd"], r.json()["version"]) == \
        ("Đề án máy sấy", 750_000_000, 2)
    assert _patch(c, url, planner, 1, title="cũ").status_code == 409
    for bad in ({"funding_source": "XYZ"}, {"activity_type": "nope"}, {"kc_vnd": -5},
                {"year": 1999}, {"title": ""}, {"status": "done"}, {"owner_name": "x"}):
        assert _patch(c, url, planner, 2, **bad).status_code == 422, bad
    changes = c.get(f"/api/projects/{pid}/history", headers=planner).json()
    assert len(changes) == 1 and changes[0]["before"]["kc_vnd"] == 500_000_000
    r = c.post(f"/api/audit/{changes[0]['id']}/revert", headers=planner)
    assert r.status_code == 200 and r.json()["entity"] == "project"
    assert one(conn, "SELECT title || ' ' || kc_vnd FROM project WHERE id = %s", (pid,)) \
        == "Đề án PR-1 500000000"


def test_villages_follow_the_district_scope(conn: Any, bearer: Any, make_user: Any) -> None:
    own, other = _village(conn, "V-524", BINH_SON), _village(conn, "V-527", SON_TINH)
    c = auth_client(conn)
    officer = bearer("district_officer", BINH_SON)
    r = _patch(c, f"/api/villages/{own}", officer, 1, lat="15.30", lon="108.72",
               households=120, reason="khảo sát")
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2
    assert one(conn, "SELECT precision FROM location WHERE village_id = %s", (own,)) == "exact"
    assert _patch(c, f"/api/villages/{other}", officer, 1, name="x").status_code == 403
    assert _patch(c, f"/api/villages/{other}", bearer("planner"), 1,
                  name="Làng nghề sửa").status_code == 200
    assert _patch(c, f"/api/villages/{own}", officer, 2, confirm=True).status_code == 422
    with pytest.raises(Forbidden):
        edit_record(conn, make_user("viewer"), "craft_village", own, 2, {"name": "x"})
    h = c.get(f"/api/villages/{own}/history", headers=officer).json()
    assert h[0]["after"]["households"] == 120 and h[0]["geometry_after"]["type"] == "Point"
