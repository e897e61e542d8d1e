"""Review on a phone, server side: pages of cards, OR filters, outside-district confirm, reasons,
Vietnamese labels and error pages (issue 12)."""

from __future__ import annotations

import html
from typing import Any

import pytest

from geo.records.edit import edit_establishment
from tests.review_helpers import auth_client, form_token, login
from tests.world import BINH_SON, SON_TINH, add_establishment, communes_of, one, point_of


def _square_boundary(conn: Any) -> None:
    """Bình Sơn's boundary: a small square around its first commune (0.1° each way)."""
    with conn.cursor() as cur:
        cur.execute("""
            INSERT INTO boundary (edition, code, geom, source, quality, area_km2)
            SELECT 'legacy', %s, ST_Multi(ST_Expand(centroid, 0.1)), 'test', 'approximate', 1
            FROM admin_unit WHERE edition = 'legacy' AND code = %s""",
                    (BINH_SON, communes_of(conn, BINH_SON)[0]))


def _away(conn: Any) -> tuple[float, float]:
    """A point 0.3° (about 33 km) south of the square: in the province, outside the district."""
    return point_of(conn, add_establishment(conn, "AWAY", SON_TINH, offset=(0.0, -0.3)))


def _officer(conn: Any, make_user: Any) -> Any:
    c = auth_client(conn)
    assert login(c, make_user("district_officer", BINH_SON).username).status_code == 303
    return c


def test_bad_filter_on_a_map_page_is_a_vietnamese_html_page(client: Any) -> None:
    for path in ("/maps/coverage?years=abc", "/maps/coverage?years=2025-2021",
                 "/maps/gaps?source=XYZ", "/maps/coverage?edition=2025&level=district",
                 "/maps/coverage?indicator=money"):
        r = client.get(path)
        assert 400 <= r.status_code < 500, path
        assert r.headers["content-type"].startswith("text/html"), path
        assert '<html lang="vi">' in r.text and "Quay lại" in r.text, path
        assert "{" not in r.text.split("<main", 1)[1].split("</main>")[0], path  # no JSON
    assert "Năm: 'abc' không phải một năm" in html.unescape(
        client.get("/maps/coverage?years=abc").text)


def test_api_validation_errors_keep_fastapis_shape_in_vietnamese(client: Any) -> None:
    r = client.get("/api/coverage?level=province")
    assert r.status_code == 422 and r.headers["content-type"] == "application/json"
    [item] = r.json()["detail"]
    assert set(item) == {"loc", "msg", "type"} and item["loc"] == ["query", "level"]
    assert item["msg"] == "giá trị không hợp lệ; chọn một trong: 'commune', 'district'"
    r = client.get("/api/coverage?years=abc")  # a domain error stays {"error", "detail"}
    assert r.status_code == 422 and r.json()["detail"].startswith("Năm:")


def test_cards_come_fifty_to_a_page(conn: Any, make_user: Any) -> None:
    ids = [add_establishment(conn, f"PG-{n:03d}", BINH_SON) for n in range(60)]
    c = _officer(conn, make_user)
    first = c.get(f"/review/{BINH_SON}")
    assert first.text.count('class="kc-card"') == 50
    assert "Cơ sở 1–50 / 60 (trang 1/2)" in first.text
    assert 'href="?filter=&amp;page=2"' not in first.text  # no empty filter in links
    assert 'href="?page=2"' in first.text
    second = c.get(f"/review/{BINH_SON}?page=2")
    assert second.text.count('class="kc-card"') == 10 and f'id="est-{ids[-1]}"' in second.text
    bad = c.get(f"/review/{BINH_SON}?page=abc")
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    assert "Trang (page): cần một số nguyên" in bad.text


def test_filters_combine_with_or_and_an_empty_result_says_why(conn: Any, make_user: Any
                                                               ) -> None:
    conflict = add_establishment(conn, "OR-CONFLICT", BINH_SON, status="conflict")
    coarse = add_establishment(conn, "OR-COMMUNE", BINH_SON, precision="commune")
    c = _officer(conn, make_user)
    r = c.get(f"/review/{BINH_SON}?filter=conflict&filter=commune_only")
    assert "OR-CONFLICT" in r.text and "OR-COMMUNE" in r.text  # neither has both flags
    assert f'id="est-{conflict}"' in r.text and f'id="est-{coarse}"' in r.text
    r = c.get(f"/review/{BINH_SON}?filter=outside_district&q=zzz")
    assert "Không có cơ sở nào có một trong các dấu hiệu: Nằm ngoài ranh giới huyện và có " \
           "tên hoặc mã chứa “zzz”." in r.text
    assert "Xem tất cả cơ sở" in r.text and 'class="kc-card"' not in r.text


def test_next_record_needing_attention(conn: Any, make_user: Any) -> None:
    a = add_establishment(conn, "NX-A", BINH_SON, status="conflict")
    b = add_establishment(conn, "NX-B", BINH_SON)
    officer = make_user("district_officer", BINH_SON)
    edit_establishment(conn, officer, b, 1, {"confirm": True, "reason": "đúng"})
    c_ = add_establishment(conn, "NX-C", BINH_SON, precision="commune")
    c = _officer(conn, make_user)
    listing = c.get(f"/review/{BINH_SON}").text
    assert f'id="kc-next" href="/review/{BINH_SON}/establishments/{a}"' in listing
    detail = c.get(f"/review/{BINH_SON}/establishments/{a}").text
    assert f'id="kc-next" href="/review/{BINH_SON}/establishments/{c_}"' in detail  # skips B


def test_patch_outside_the_district_needs_confirm_outside(conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "OUT-1", BINH_SON)
    _square_boundary(conn)
    lon, lat = _away(conn)
    c = auth_client(conn)
    officer = bearer("district_officer", BINH_SON)
    headers = {**officer, "If-Match": "1"}
    body = {"lat": lat, "lon": lon, "reason": "đi thực địa"}
    r = c.patch(f"/api/establishments/{eid}", json=body, headers=headers)
    assert r.status_code == 422
    assert "nằm ngoài ranh giới huyện" in r.json()["detail"]
    assert "confirm_outside" in r.json()["detail"]
    assert one(conn, "SELECT version FROM establishment WHERE id = %s", (eid,)) == 1
    inside = point_of(conn, eid)
    r = c.patch(f"/api/establishments/{eid}", json={**body, "lat": inside[1] + 0.01,
                                                    "lon": inside[0]}, headers=headers)
    assert r.status_code == 200  # inside: no question asked
    r = c.patch(f"/api/establishments/{eid}", json={**body, "confirm_outside": True},
                headers={**officer, "If-Match": "2"})
    assert r.status_code == 200 and point_of(conn, eid) == pytest.approx((lon, lat), abs=1e-6)
    assert r.json()["location"]["commune_code"] == communes_of(conn, BINH_SON)[0]


def test_the_form_asks_before_saving_a_point_outside(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "OUT-F", BINH_SON)
    _square_boundary(conn)
    lon, lat = _away(conn)
    c = _officer(conn, make_user)
    url = f"/review/{BINH_SON}/establishments/{eid}"
    form = {"csrf_token": form_token(c.get(url).text), "version": "1", "action": "save",
            "name": "Cơ sở OUT-F", "lat": str(lat), "lon": str(lon), "reason": ""}
    r = c.post(url, data=form)
    assert r.status_code == 422 and "Hãy ghi lý do thay đổi" in r.text  # reason required
    r = c.post(url, data={**form, "reason": "đi thực địa"})
    assert r.status_code == 422 and 'id="kc-confirm-outside"' in r.text
    assert 'type="checkbox" name="confirm_outside"' in r.text and f'value="{lat}"' in r.text
    r = c.post(url, data={**form, "reason": "đi thực địa", "confirm_outside": "1"},
               follow_redirects=False)
    assert r.status_code == 303 and point_of(conn, eid) == pytest.approx((lon, lat), abs=1e-6)


def test_history_speaks_vietnamese_and_an_officer_undoes_their_last_change(
        conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "HIS-1", BINH_SON, precision="commune")
    c = _officer(conn, make_user)
    url = f"/review/{BINH_SON}/establishments/{eid}"
    lon, lat = point_of(conn, eid)
    form = {"csrf_token": form_token(c.get(url).text), "version": "1", "action": "save",
            "name": "Cơ sở HIS-1", "lat": "15,2x", "lon": "108,7", "reason": "đo lại"}
    r = c.post(url, data=form)
    assert r.status_code == 422 and "Tọa độ không đọc được" in r.text
    assert "not a number" not in r.text
    r = c.post(url, data={**form, "lat": f"{lat + 0.001:.6f}".replace(".", ","),
                          "lon": f"{lon:.6f}"}, follow_redirects=False)
    assert r.status_code == 303
    page = c.get(url).text
    assert "Cấp xã" in page and "Điểm chính xác" in page and "Sửa khi rà soát" in page
    for code in ("commune → exact", "→ manual_review", "test →"):
        assert code not in page, code
    assert "Hoàn tác thay đổi của tôi" in page
    audit_id = one(conn, "SELECT max(id) FROM audit_log WHERE entity_id = %s", (eid,))
    r = c.post(f"/review/{BINH_SON}/history/{audit_id}/revert",
               data={"csrf_token": form_token(page), "back": url}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == url + "?done=reverted"
    assert point_of(conn, eid) == pytest.approx((lon, lat), abs=1e-6)


def test_confirm_from_a_card_keeps_it_in_view_with_an_undo(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "CF-1", BINH_SON)
    c = _officer(conn, make_user)
    page = c.get(f"/review/{BINH_SON}")
    r = c.post(f"/review/{BINH_SON}/establishments/{eid}",
               data={"csrf_token": form_token(page.text), "version": "1", "action": "confirm",
                     "back": f"/review/{BINH_SON}"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"#est-{eid}")
    assert one(conn, "SELECT reason FROM audit_log WHERE entity_id = %s", (eid,)) == \
        "Xác nhận vị trí đúng"
    after = c.get(r.headers["location"]).text
    card = after.split(f'id="est-{eid}"', 1)[1].split("</li>", 1)[0]
    assert "Đã xác nhận vị trí." in card and "Hoàn tác" in card
