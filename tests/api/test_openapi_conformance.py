"""schemathesis (`run --checks all`, every phase) against the real app: the OpenAPI document
matches what the API answers, anonymously (public maps) and with an admin token."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from api.web.app import create_app
from geo.core.db import SingleConnectionDatabase
from geo.core.settings import AuthSettings, MapSettings
from tests.api.schemathesis_run import Refusal, run_schemathesis
from tests.world import BINH_SON, add_establishment, communes_of, locate, project, village

MAX_EXAMPLES = 4


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one operation ('GET /api/gaps')."""

    label: str
    params: frozenset[str]  # query, path and header parameter names (headers lower-case)


@dataclass(frozen=True)
class Allowed:
    """A refusal of schema-valid data that is intended: where, which answer, and why the
    schema cannot rule the value out."""

    reason: str
    status: int
    message: str  # a regular expression the refusal's message must match from its start
    applies: Callable[[Operation], bool]

    def covers(self, refusal: Refusal, op: Operation) -> bool:
        return (refusal.status == self.status and self.applies(op)
                and re.match(self.message, refusal.message) is not None)


def _has(name: str) -> Callable[[Operation], bool]:
    return lambda op: name in op.params


def _is(*labels: str) -> Callable[[Operation], bool]:
    return lambda op: op.label in labels


# The khuyến công cycle's write operations (typed bodies, api/web/cycle_bodies.py).
NEED_WRITES = ("POST /api/needs", "PATCH /api/needs/{need_id}")
LINE_WRITES = ("POST /api/plans/{year}/lines", "PATCH /api/plans/{year}/lines/{line_id}")
CYCLE_WRITES = (*NEED_WRITES, "POST /api/plans", *LINE_WRITES, "POST /api/plans/{year}/approve",
                "POST /api/products", "PATCH /api/products/{product_id}",
                "POST /api/collaborators", "PATCH /api/collaborators/{collaborator_id}",
                "PUT /api/projects/{project_id}/money")


# positive_data_acceptance: schemathesis sends values the schema allows and expects them
# accepted. These refusals are deliberate; each names the operations it may occur on and the
# message it must carry. Any other refusal of schema-valid data fails the test.
ALLOWED = (
    Allowed("a NUL or a non-ASCII digit (e.g. '²') anywhere in the URL is refused before any "
            "route (api/web/request_guard.py); JSON Schema strings cannot exclude them",
            400, "Địa chỉ yêu cầu chứa ký tự không hợp lệ", lambda op: True),
    Allowed("district codes are the legacy districts of the gazetteer tables, known only to "
            "the database", 422, "Huyện phải là mã đơn vị cấp huyện", _has("district")),
    Allowed("source is a comma list of KCQG/KCĐP in any letter case (no ECMA regex for it)",
            422, "Nguồn kinh phí phải là KCQG hoặc KCĐP", _has("source")),
    Allowed("activity codes are the rows of the activity_type table", 422,
            "Hoạt động phải là một trong", _has("activity")),
    Allowed("years: 2023, 2021-2025 or lists of them, within 2000–2100 and not reversed", 422,
            "Năm", _has("years")),
    Allowed("project status is a comma list of statuses or 'all'", 422,
            "Trạng thái đề án phải là một trong", _has("status")),
    Allowed("an OGC bbox is 4 (or 6) numbers in CRS84 ranges, south below north", 400,
            "bbox phải là", _has("bbox")),
    Allowed("geocoding needs an address or both coordinates (parameters that go together)",
            422, r"Hãy cho địa chỉ \(q\) hoặc tọa độ", _is("GET /api/geocode")),
    Allowed("a tile's x and y must be below 2^z, and z at most the tile pyramid's depth", 400,
            r"(mức thu phóng z|ô x, y ở mức)", _has("z")),
    Allowed("If-Match must hold a record version ('3', '\"3\"' or 'W/\"3\"'); it stays "
            "optional in the schema so that its absence is answered 428 with guidance", 422,
            "If-Match phải là số phiên bản", _has("if-match")),
    Allowed("an edit without If-Match is answered 428 Precondition Required (RFC 6585)", 428,
            "Cần phiên bản bản ghi", _has("if-match")),
    Allowed("record edits: text fields may not be blank, lon and lat go together, coordinates "
            "must lie in the province, codes come from the record spec (geo/records/spec.py)",
            422, "(không được để trống|lon và lat|[Tt]ọa độ|phải là một trong|bắt buộc)",
            _has("if-match")),
    Allowed("a change of a record's fields or location needs a reason (a confirm alone does "
            "not); the schema keeps reason optional for that confirm", 422,
            "Hãy ghi lý do thay đổi", _has("if-match")),
    Allowed("the one rule joining two vocabularies: the 2025 edition has no district level "
            "(geo.core.vocab.check_edition_level)", 422, "Địa giới 2025 không có cấp huyện",
            lambda op: {"level", "edition"} <= op.params),
    Allowed("the plan what-if ranks legacy communes only (plan lines name legacy communes)",
            422, "Xếp hạng giả định theo kế hoạch", _has("plan")),
    Allowed("uploads are recognised by their content (xlsx, xls, ods, csv, txt with data), "
            "not by the declared part type", 415, "Tệp .* không được nhận",
            _is("POST /api/imports")),
    Allowed("target periods, activities, indicators and districts come from the catalogue",
            422, "(giai đoạn|mục tiêu|hoạt động|chỉ tiêu|mã huyện)", _is("POST /api/targets")),
    Allowed("an inspection's date must be a real YYYY-MM-DD date; inspector and conclusion "
            "may not be blank", 422, "(Ngày kiểm tra|Người kiểm tra|Kết luận kiểm tra)",
            _is("POST /api/projects/{project_id}/inspections")),
    Allowed("a mapping name may not be blank once trimmed", 422, "Tên ánh xạ",
            _is("POST /api/import-mappings")),
    Allowed("a targets CSV is text whose header and rows geo/cycle/targets checks", 422,
            r"(tệp CSV|dòng \d+)", _is("POST /api/targets/import")),
    Allowed("cycle bodies name codes only the database knows: activity types, legacy "
            "communes and districts, establishments", 422,
            r"(Loại hoạt động không có|Không có xã mã|Huyện phải là mã đơn vị cấp huyện|"
            r"commune_code: không có xã|không có cơ sở)", _is(*CYCLE_WRITES)),
    Allowed("cycle texts may not be blank once trimmed nor hold control characters "
            "(JSON Schema strings cannot say 'not only spaces')", 422,
            r"(Thiếu trường \w+$|Trường \w+ có ký tự điều khiển|name: tên sản phẩm bắt buộc|"
            r"full_name: họ tên bắt buộc)", _is(*CYCLE_WRITES)),
    Allowed("amounts that must agree: requested + counterpart within the total cost, a line's "
            "amount above 0, settled within disbursed", 422,
            r"(Kinh phí đề nghị hỗ trợ cộng vốn đối ứng vượt tổng chi phí|Kinh phí khuyến công "
            r"của dòng phải lớn hơn 0|Số đã quyết toán không được lớn hơn)", _is(*CYCLE_WRITES)),
    Allowed("a need is for an establishment located at least to its district", 422,
            "Cơ sở chưa có vị trí cấp huyện", _is(*NEED_WRITES)),
    Allowed("a declined need needs its reason (decline_reason goes with status declined)",
            422, "Không chọn nhu cầu thì cần ghi lý do", _is("PATCH /api/needs/{need_id}")),
    Allowed("a new proposal line needs title, activity, place and amount together (a need's "
            "line takes them from the need); a need's line keeps the need's place", 422,
            r"(Thiếu trường (title|activity_type|district_code)|Thiếu số tiền \(kc_vnd\)|"
            r"Xã \S+ không thuộc huyện|Dòng từ nhu cầu ở nơi cơ sở đặt)", _is(*LINE_WRITES)),
    Allowed("a plan without lines cannot be approved", 422, r"Kế hoạch năm \d+ chưa có dòng nào",
            _is("POST /api/plans/{year}/approve")),
    Allowed("an OCOP product has 3–5 stars and no regional level (kind decides which of "
            "stars and level apply)", 422, "(stars: sản phẩm OCOP|level: provincial)",
            _is("POST /api/products", "PATCH /api/products/{product_id}")),
)


def operations(doc: dict[str, Any]) -> dict[str, Operation]:
    """The operations of an OpenAPI document by label."""
    found: dict[str, Operation] = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            names = frozenset(p["name"].lower() if p["in"] == "header" else p["name"]
                              for p in op.get("parameters", []))
            label = f"{method.upper()} {path}"
            found[label] = Operation(label, names)
    return found


def unexplained(refusals: list[Refusal], ops: dict[str, Operation]) -> list[Refusal]:
    """The refusals of schema-valid data that no entry of ALLOWED explains."""
    out = []
    for r in refusals:
        op = ops.get(r.operation)
        if op is None or not any(a.covers(r, op) for a in ALLOWED):
            out.append(r)
    return out


@pytest.fixture()
def api_app(conn: Any) -> Any:
    """The app on a test database with a little data of every kind."""
    commune = communes_of(conn, BINH_SON)[0]
    add_establishment(conn, "ST-1", BINH_SON)
    add_establishment(conn, "ST-2", BINH_SON, precision="commune", commune_index=1)
    locate(conn, "exact", project_id=project(conn, "ST-P", 150_000_000), commune=commune)
    locate(conn, "exact", village_id=village(conn, "ST-V"), commune=commune)
    return create_app(database=SingleConnectionDatabase(conn),
                      map_settings=MapSettings(tiles="none"),
                      auth_settings=AuthSettings(public_maps=True))


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_openapi_document_matches_the_answers(api_app: Any, bearer: Any, who: str) -> None:
    headers = bearer("admin") if who == "admin" else None
    found = run_schemathesis(api_app, headers, max_examples=MAX_EXAMPLES)
    assert found.responses > 300  # the run reached the operations
    assert found.errors == []
    assert found.server_errors == 0, found.report()
    assert found.mismatches(("positive_data_acceptance",)) == [], found.report()
    accepted = [f for f in found.failures if f[1] == "positive_data_acceptance"]
    assert len(found.refusals) == len(accepted)  # each refusal was recorded with its answer
    left = unexplained(found.refusals, operations(api_app.openapi()))
    assert left == [], "\n".join(map(str, left))


def test_unexplained_refusals_are_caught(api_app: Any) -> None:
    """The tolerance is exact: the same message on an operation without the parameter, or
    another message or status is not explained; on the cycle's typed bodies only the named
    domain refusals are (no longer any 422 InvalidInput), and never FastAPI's own 422."""
    ops = operations(api_app.openapi())
    district = "Huyện phải là mã đơn vị cấp huyện (trước 1/7/2025), không phải '000'"
    assert unexplained([Refusal("GET /api/villages", 422, "InvalidInput", district),
                        Refusal("PATCH /api/needs/{need_id}", 428, "PreconditionRequired",
                                "Cần phiên bản bản ghi (If-Match: <version>, lấy từ GET)"),
                        Refusal("POST /api/needs", 422, "InvalidInput",
                                "Loại hoạt động không có: xx"),
                        Refusal("POST /api/plans", 422, "InvalidInput", district),
                        Refusal("POST /api/plans/{year}/lines", 422, "InvalidInput",
                                "Thiếu trường title"),
                        Refusal("POST /api/products", 422, "InvalidInput",
                                "stars: sản phẩm OCOP phải có 3, 4 hoặc 5 sao")], ops) == []
    wrong = [Refusal("GET /api/units", 422, "InvalidInput", district),
             Refusal("GET /api/villages", 400, "InvalidInput", district),
             Refusal("GET /api/villages", 422, "InvalidInput", "Lỗi khác"),
             Refusal("POST /api/needs", 422, "", "thiếu giá trị bắt buộc"),
             Refusal("POST /api/needs", 422, "InvalidInput", "Thiếu năm"),
             Refusal("POST /api/needs", 422, "InvalidInput", "Trường không nhận: x"),
             Refusal("POST /api/plans/{year}/approve", 422, "InvalidInput",
                     "Thiếu trường title bắt buộc"),
             Refusal("POST /api/products", 422, "InvalidInput",
                     "Kế hoạch năm 2027 chưa có dòng nào"),
             Refusal("PUT /api/projects/{project_id}/outputs", 422, "InvalidInput",
                     "Loại hoạt động không có: xx"),
             Refusal("GET /khong-co", 422, "InvalidInput", district)]
    assert unexplained(wrong, ops) == wrong
