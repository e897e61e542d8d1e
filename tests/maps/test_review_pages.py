"""Review pages: district scope, forms, refused saves that keep what was typed, escaping."""

from __future__ import annotations

import html
import re
from typing import Any

from geo.records.edit import edit_establishment
from maps.pages.review_progress import review_progress_box
from tests.review_helpers import auth_client, form_token, login
from tests.world import BINH_SON, HOSTILE, SON_TINH, add_establishment, one

LEAKS = ("Traceback", "SELECT", "psycopg2", "/work/")


def _client_for(conn: Any, make_user: Any, role: str, district: str | None = None) -> Any:
    c = auth_client(conn)
    assert login(c, make_user(role, district).username).status_code == 303
    return c


def test_officer_sees_own_district_only(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "P-1", BINH_SON)
    other = add_establishment(conn, "P-2", SON_TINH)
    c = _client_for(conn, make_user, "district_officer", BINH_SON)
    r = c.get("/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/review/{BINH_SON}"
    page = c.get(f"/review/{BINH_SON}")
    assert page.status_code == 200 and 'lang="vi"' in page.text
    assert "Cơ sở P-1" in page.text and "Cơ sở P-2" not in page.text
    assert "Xác nhận đúng" in page.text and "/static/kcmap/review.js" in page.text
    for url in (f"/review/{SON_TINH}", f"/review/{SON_TINH}/establishments/{other}",
                f"/review/{SON_TINH}/history"):
        r = c.get(url)
        assert r.status_code == 403, url
        for word in LEAKS:
            assert word not in r.text
    # a form aimed at another district's record is refused by the domain layer
    token = form_token(page.text)
    r = c.post(f"/review/{BINH_SON}/establishments/{other}",
               data={"csrf_token": token, "version": "1", "action": "confirm"})
    assert r.status_code == 403
    assert one(conn, "SELECT reviewed_at FROM establishment WHERE id = %s", (other,)) is None
    assert c.get(f"/review/{BINH_SON}/establishments/{eid}").status_code == 200
    assert c.get("/review/999").status_code == 403


def test_pages_use_only_local_assets(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "P-ASSET", BINH_SON)
    c = _client_for(conn, make_user, "district_officer", BINH_SON)
    for url in ("/login", f"/review/{BINH_SON}", f"/review/{BINH_SON}/establishments/{eid}",
                f"/review/{BINH_SON}/history"):
        text = c.get(url).text
        refs = re.findall(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', text)
        assert refs, url
        for ref in refs:
            assert ref.startswith("/static/"), (url, ref)
            assert c.get(ref).status_code == 200, ref


def test_confirm_from_the_list_and_save_from_the_detail_page(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "P-SAVE", BINH_SON, precision="commune")
    c = _client_for(conn, make_user, "district_officer", BINH_SON)
    page = c.get(f"/review/{BINH_SON}?filter=unreviewed")
    r = c.post(f"/review/{BINH_SON}/establishments/{eid}",
               data={"csrf_token": form_token(page.text), "version": "1", "action": "confirm",
                     "back": f"/review/{BINH_SON}?filter=unreviewed"}, follow_redirects=False)
    audit_id = one(conn, "SELECT max(id) FROM audit_log WHERE entity_id = %s", (eid,))
    assert r.status_code == 303 and r.headers["location"] == (
        f"/review/{BINH_SON}?filter=unreviewed&done=confirmed&id={eid}&change={audit_id}"
        f"#est-{eid}")  # the card stays in view
    assert "P-SAVE" not in c.get(r.headers["location"]).text  # reviewed: filtered out now
    detail = c.get(f"/review/{BINH_SON}/establishments/{eid}")
    assert "0905123456" in detail.text  # officers see the phone
    form = {"csrf_token": form_token(detail.text), "version": "2", "action": "save",
            "name": "Cơ sở mới tên", "owner_name": "Nguyễn Văn Chủ", "phone": "0905123456",
            "trade": "Mây tre đan", "workers": "12", "address_raw": "Thôn 1",
            "lat": "", "lon": "", "commune_code": "", "reason": "đổi tên"}
    r = c.post(f"/review/{BINH_SON}/establishments/{eid}", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=saved")
    with conn.cursor() as cur:
        cur.execute("SELECT e.name, e.version, l.precision FROM establishment e "
                    "JOIN location l ON l.establishment_id = e.id WHERE e.id = %s", (eid,))
        assert cur.fetchone() == ("Cơ sở mới tên", 3, "commune")  # empty lat/lon: not moved
    assert "Đã lưu thay đổi" in c.get(r.headers["location"]).text


def test_refused_save_keeps_what_was_typed(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "P-RACE", BINH_SON)
    a = _client_for(conn, make_user, "district_officer", BINH_SON)
    b = _client_for(conn, make_user, "district_officer", BINH_SON)
    url = f"/review/{BINH_SON}/establishments/{eid}"
    form_a, form_b = a.get(url).text, b.get(url).text
    base = {"version": "1", "action": "save", "reason": "sửa tên"}
    r = a.post(url, data={**base, "csrf_token": form_token(form_a), "name": "Tên của A"},
               follow_redirects=False)
    assert r.status_code == 303
    r = b.post(url, data={**base, "csrf_token": form_token(form_b), "name": "Tên của B",
                          "lat": "15.31", "lon": "108.76"})
    assert r.status_code == 409
    assert 'value="Tên của B"' in r.text and 'value="15.31"' in r.text
    assert "Tên của A" in r.text  # the current value is shown next to the form
    assert 'name="version" value="2"' in r.text
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (eid,)) == "Tên của A"
    r = b.post(url, data={**base, "csrf_token": form_token(form_b), "name": "x",
                          "lat": "99", "lon": "500"})
    assert r.status_code == 422 and "Tọa độ" in r.text and 'value="99"' in r.text


def test_planner_sees_history_and_reverts_from_the_page(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "P-REV", BINH_SON)
    officer = make_user("district_officer", BINH_SON)
    edit_establishment(conn, officer, eid, 1, {"lat": 15.3, "lon": 108.7, "reason": "đi thực địa"})
    c = _client_for(conn, make_user, "planner")
    listing = c.get(f"/review/{BINH_SON}")
    assert listing.status_code == 200 and "Xác nhận đúng" not in listing.text  # cannot edit
    page = c.get(f"/review/{BINH_SON}/history")
    assert page.status_code == 200 and "đi thực địa" in page.text and "Hoàn tác" in page.text
    audit_id = one(conn, "SELECT max(id) FROM audit_log WHERE entity_id = %s", (eid,))
    r = c.post(f"/review/{BINH_SON}/history/{audit_id}/revert",
               data={"csrf_token": form_token(page.text), "reason": "sai",
                     "back": f"/review/{BINH_SON}/history"}, follow_redirects=False)
    assert r.status_code == 303
    assert one(conn, "SELECT precision FROM location WHERE establishment_id = %s", (eid,)) \
        == "exact"
    assert one(conn, "SELECT method FROM location WHERE establishment_id = %s", (eid,)) == "test"
    after = c.get(r.headers["location"]).text
    assert "Đã hoàn tác" in after and "đã hoàn tác (thay đổi số" in after
    oc = auth_client(conn)
    login(oc, officer.username)
    text = oc.get(f"/review/{BINH_SON}/history").text
    assert "Hoàn tác</button>" not in text  # officers do not get revert buttons


def test_hostile_text_is_rendered_escaped_everywhere(conn: Any, make_user: Any) -> None:
    officer = make_user("district_officer", BINH_SON)
    ids = []
    for i, text in enumerate(HOSTILE):
        eid = add_establishment(conn, f"H-{i}", BINH_SON, commune_index=i)
        edit_establishment(conn, officer, eid, 1, {
            "name": text, "owner_name": text, "phone": text[:100], "trade": text,
            "address_raw": text, "reason": text})
        ids.append(eid)
    c = auth_client(conn)
    login(c, officer.username)
    pages = [c.get(f"/review/{BINH_SON}").text, c.get(f"/review/{BINH_SON}/history").text]
    pages += [c.get(f"/review/{BINH_SON}/establishments/{eid}").text for eid in ids]
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "{{ 7*7 }}" not in page.split('type="application/json"')[0]
        for island in re.findall(r'type="application/json"[^>]*>(.*?)</script>', page, re.S):
            assert "<" not in island and ">" not in island
    listing = pages[0]
    assert html.escape(HOSTILE[0]) in listing or "&lt;script&gt;alert" in listing
    assert "&#123;&#123; 7*7 &#125;&#125;" in listing
    assert "\\u003cscript\\u003e" in listing  # in the map data, as JSON escapes


def test_review_progress_box_escapes_names() -> None:
    box = review_progress_box([{"district_code": "1", "district_name": HOSTILE[0], "total": 3,
                                "confirmed": 1, "percent_confirmed": 33.3, "conflicts": 0,
                                "commune_only": 0}])
    assert "<script>" not in box.content and "33,3 %" in box.content


def _form_values(page: str) -> dict[str, str]:
    """name -> value of the inputs of the edit form, as a browser would submit them."""
    form = page[page.index('id="kc-edit-form"'):]
    form = form[:form.index("</form>")]
    values = {m.group(1): html.unescape(m.group(2))
              for m in re.finditer(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', form)}
    values.update({m.group(1): "" for m in re.finditer(r'<input name="([^"]+)" id=', form)
                   if m.group(1) not in values})
    chosen = re.search(r'<option value="([^"]*)" selected>', form)
    values["commune_code"] = chosen.group(1) if chosen else ""
    return values


def test_an_unchanged_form_only_confirms(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "P-SAME", BINH_SON)
    with conn.cursor() as cur:
        cur.execute("UPDATE establishment SET workers = 0, trade = NULL WHERE id = %s", (eid,))
    c = _client_for(conn, make_user, "district_officer", BINH_SON)
    url = f"/review/{BINH_SON}/establishments/{eid}"
    values = _form_values(c.get(url).text)
    assert values["workers"] == "0" and values["lat"] == "" and values["version"] == "1"
    r = c.post(url, data={**values, "action": "confirm"}, follow_redirects=False)
    assert r.status_code == 303
    with conn.cursor() as cur:
        cur.execute("SELECT action, before - 'reviewed_at' - 'reviewed_by' = "
                    "after - 'reviewed_at' - 'reviewed_by' FROM audit_log WHERE entity_id = %s",
                    (eid,))
        assert cur.fetchall() == [("confirm", True)]
    assert one(conn, "SELECT workers FROM establishment WHERE id = %s", (eid,)) == 0
