"""Record pages for people: popups link here (not to JSON), and they name the commune."""

from __future__ import annotations

from typing import Any

from tests.world import BINH_SON, communes_of, establishment, locate, project, village


def test_record_pages_name_the_commune_in_vietnamese(conn: Any, client: Any) -> None:
    commune = communes_of(conn, BINH_SON)[0]
    eid = establishment(conn, "RP-E", workers=1200, owner="Bà Chủ", phone="0905000000")
    locate(conn, "exact", establishment_id=eid, commune=commune)
    vid = village(conn, "RP-V")
    locate(conn, "commune", village_id=vid, commune=commune)
    pid = project(conn, "RP-P", kc=1_250_000_000, source="KCQG", status="in_progress")
    locate(conn, "commune", project_id=pid, commune=commune)
    name = one_name(conn, commune)
    page = client.get(f"/records/establishments/{eid}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert name in page.text and "1.200" in page.text and "Điểm chính xác" in page.text
    assert "Bà Chủ" not in page.text and "0905000000" not in page.text  # anonymous
    assert f'href="/api/establishments/{eid}"' in page.text
    text = client.get(f"/records/villages/{vid}").text
    assert name in text and "Cấp xã" in text
    text = client.get(f"/records/projects/{pid}").text
    assert "1.250.000.000 đ" in text and "Khuyến công quốc gia" in text
    assert "Đang thực hiện" in text and name in text
    missing = client.get("/records/projects/999999")
    assert missing.status_code == 404 and "Không có đề án số 999999" in missing.text
    assert missing.headers["content-type"].startswith("text/html")
    points = client.get("/api/establishments.geojson").json()["features"]
    assert [f["properties"]["commune"] for f in points if f["id"] == eid] == [name]
    assert '"recordUrl":"/records/establishments/"' in client.get("/maps/establishments").text


def one_name(conn: Any, code: str) -> str:
    with conn.cursor() as cur:
        cur.execute("SELECT name FROM admin_unit WHERE edition = 'legacy' AND code = %s", (code,))
        row = cur.fetchone()
    return str(row[0])
