"""The khuyến công cycle's write endpoints take typed bodies: the OpenAPI document describes
each (fields, types, limits, no other fields), and a malformed body is a 422 whose every
message is Vietnamese, naming the field, before anything is read or written."""

from __future__ import annotations

import re
from typing import Any

import pytest

from api.web.cycle_bodies import OutputsIn
from geo.cycle.targets import OUTPUT_INDICATORS
from tests.world import BINH_SON, add_establishment, one

WRITES = {  # operation -> its body schema's required fields
    ("post", "/api/needs"): {"establishment_id", "activity_type", "total_cost_vnd",
                             "requested_vnd", "desired_year"},
    ("patch", "/api/needs/{need_id}"): set(),
    ("post", "/api/plans"): {"year"},
    ("post", "/api/plans/{year}/lines"): {"funding_source"},
    ("patch", "/api/plans/{year}/lines/{line_id}"): set(),
    ("post", "/api/plans/{year}/approve"): set(),
    ("post", "/api/products"): {"name", "establishment_id", "kind", "year"},
    ("patch", "/api/products/{product_id}"): set(),
    ("post", "/api/collaborators"): {"commune_code", "full_name"},
    ("patch", "/api/collaborators/{collaborator_id}"): set(),
    ("put", "/api/projects/{project_id}/outputs"): set(),
    ("put", "/api/projects/{project_id}/money"): set(),
    ("post", "/api/projects/{project_id}/inspections"): {"visit_date", "inspector", "finding"},
}
ENGLISH = re.compile(r"Input should|Field required|Value error|valid integer|at most|"
                     r"Extra inputs|String should", re.I)


def _schema(doc: dict[str, Any], ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    schema = next((s for s in ref_or_schema.get("anyOf", []) if "$ref" in s), ref_or_schema)
    if "$ref" in schema:
        return dict(doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
    return schema


@pytest.mark.parametrize(("method", "path"), list(WRITES))
def test_openapi_describes_the_body(app: Any, method: str, path: str) -> None:
    doc = app.openapi()
    body = doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    schema = _schema(doc, body)
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert schema["properties"], path
    assert set(schema.get("required", [])) == WRITES[(method, path)]
    for name, prop in schema["properties"].items():  # every field has a type or a choice
        assert {"type", "anyOf", "enum", "$ref"} & set(prop), (path, name, prop)


def test_the_limits_are_in_the_document(app: Any) -> None:
    schemas = app.openapi()["components"]["schemas"]
    need = schemas["NeedIn"]["properties"]
    year = need["desired_year"]
    assert (year["type"], year["minimum"], year["maximum"]) == ("integer", 2000, 2100)
    assert need["description"]["anyOf"][0]["maxLength"] == 2000
    money = need["total_cost_vnd"]["anyOf"]
    assert money[0] == {"type": "integer", "minimum": 0, "maximum": 10**15}
    assert re.fullmatch(money[1]["pattern"], "1.250.000.000 đ")
    assert schemas["PlanIn"]["properties"]["ceilings"]["propertyNames"]["enum"] == [
        "KCQG", "KCDP", "KCĐP"]
    assert schemas["ProductIn"]["properties"]["kind"]["enum"] == ["ocop", "cnnt"]
    assert "null" not in str(schemas["NeedPatch"]["properties"]["activity_type"])
    assert schemas["LinePatch"]["minProperties"] == 1
    assert tuple(OutputsIn.model_fields) == OUTPUT_INDICATORS


BAD = [
    ("post", "/api/needs", {"establishment_id": "7", "activity_type": "", "total_cost_vnd": -1,
                            "requested_vnd": "1,5 tỷ", "desired_year": 1999, "x": 1},
     {"establishment_id": "cần một số nguyên", "activity_type": "quá ngắn",
      "total_cost_vnd": "số tiền phải là số đồng", "requested_vnd": "số tiền phải là số đồng",
      "desired_year": "phải lớn hơn hoặc bằng 2000", "x": "trường này không được phép"}),
    ("post", "/api/needs", {},
     {"establishment_id": "thiếu giá trị bắt buộc", "desired_year": "thiếu giá trị bắt buộc"}),
    ("patch", "/api/needs/1", {"activity_type": None, "status": "done"},
     {"status": "giá trị không hợp lệ; chọn một trong: 'registered'"}),
    ("patch", "/api/needs/1", {"activity_type": None}, {"": "không nhận null cho activity_type"}),
    ("post", "/api/plans", {"year": 2027, "ceilings": {"XX": 1}, "district_ceilings": []},
     {"ceilings": "giá trị không hợp lệ", "district_ceilings": "cần một đối tượng JSON"}),
    ("post", "/api/plans/2027/lines", {"need_id": 0, "funding_source": "KCĐP"},
     {"need_id": "phải lớn hơn hoặc bằng 1", "funding_source": "giá trị không hợp lệ"}),
    ("patch", "/api/plans/2027/lines/1", {}, {"": "Không có trường nào để sửa"}),
    ("post", "/api/plans/1999/approve", {"accept_over_ceiling": "yes"},
     {"year": "phải lớn hơn hoặc bằng 2000", "accept_over_ceiling": "cần true hoặc false"}),
    ("post", "/api/products", {"name": "x" * 301, "establishment_id": 1, "kind": "OCOP",
                               "stars": 6, "year": 2024},
     {"name": "quá dài (tối đa 300 ký tự)", "kind": "giá trị không hợp lệ",
      "stars": "phải nhỏ hơn hoặc bằng 5"}),
    ("post", "/api/collaborators", {"commune_code": "20", "full_name": "A",
                                    "phone": "gọi tôi", "is_active": "true"},
     {"phone": "không đúng dạng", "is_active": "cần true hoặc false"}),
    ("put", "/api/projects/1/outputs", {"trainees": -3, "cows": 2},
     {"trainees": "phải là số nguyên từ 0 đến 1.000.000.000",
      "cows": "trường này không được phép"}),
    ("put", "/api/projects/1/money", {"disbursed_vnd": "nhiều"},
     {"disbursed_vnd": "số tiền phải là số đồng"}),
]


@pytest.mark.parametrize(("method", "url", "body", "wanted"), BAD)
def test_bad_bodies_are_vietnamese_422s(client: Any, bearer: Any, conn: Any, method: str,
                                        url: str, body: Any, wanted: dict[str, str]) -> None:
    before = one(conn, "SELECT count(*) FROM audit_log")
    r = client.request(method.upper(), url, json=body,
                       headers={**bearer("planner"), "If-Match": "1"})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    for item in detail:
        assert not ENGLISH.search(item["msg"]), item
    for field, message in wanted.items():  # "" : the body as a whole
        at = [d["msg"] for d in detail
              if (field in map(str, d["loc"][1:]) if field else len(d["loc"]) == 1)]
        assert any(m.startswith(message) for m in at), (field, detail)
    assert one(conn, "SELECT count(*) FROM audit_log") == before  # nothing written


def test_money_as_people_write_it_is_accepted(client: Any, conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "CB-1", BINH_SON)
    r = client.post("/api/needs", headers=bearer("planner"), json={
        "establishment_id": eid, "activity_type": "machinery", "total_cost_vnd": "1 250 000 đ",
        "requested_vnd": "250.000 VND", "counterpart_vnd": 1_000_000, "desired_year": 2026})
    assert r.status_code == 201, r.text
    assert (r.json()["total_cost_vnd"], r.json()["requested_vnd"]) == (1_250_000, 250_000)
    assert r.json()["priority"] == "medium"
