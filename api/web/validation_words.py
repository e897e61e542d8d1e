"""Vietnamese messages for FastAPI/pydantic validation errors, and names of the parameters."""

from __future__ import annotations

from typing import Any

# pydantic error type -> message; {…} are filled from the error's ctx.
MESSAGES = {
    "missing": "thiếu giá trị bắt buộc",
    "enum": "giá trị không hợp lệ; chọn một trong: {expected}",
    "literal_error": "giá trị không hợp lệ; chọn một trong: {expected}",
    "int_parsing": "cần một số nguyên",
    "int_type": "cần một số nguyên",
    "int_from_float": "cần một số nguyên",
    "float_parsing": "cần một số",
    "float_type": "cần một số",
    "finite_number": "cần một số hữu hạn",
    "bool_parsing": "cần true hoặc false",
    "bool_type": "cần true hoặc false",
    "string_type": "cần một chuỗi chữ",
    "string_too_long": "quá dài (tối đa {max_length} ký tự)",
    "string_too_short": "quá ngắn (ít nhất {min_length} ký tự)",
    "string_pattern_mismatch": "không đúng dạng cho phép",
    "too_long": "quá nhiều giá trị (tối đa {max_length})",
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "extra_forbidden": "trường này không được phép",
    "json_invalid": "JSON không hợp lệ",
    "model_attributes_type": "cần một đối tượng JSON",
    "model_type": "cần một đối tượng JSON",
    "dict_type": "cần một đối tượng JSON",
    "list_type": "cần một danh sách",
    "union_tag_invalid": "giá trị không hợp lệ",
    "value_error": "giá trị không hợp lệ",
}
DEFAULT = "giá trị không hợp lệ"

LOCATION_WORDS = {
    "years": "Năm", "source": "Nguồn kinh phí", "activity": "Hoạt động",
    "status": "Trạng thái đề án", "level": "Cấp đơn vị", "edition": "Địa giới",
    "indicator": "Chỉ số", "classes": "Cách chia lớp", "allocation": "Cách phân bổ",
    "district": "Huyện", "trade": "Ngành nghề", "color": "Tô màu theo", "view": "Bản đồ",
    "fmt": "Định dạng", "q": "Tìm kiếm", "filter": "Bộ lọc", "page": "Trang",
    "limit": "Số dòng", "offset": "Vị trí bắt đầu", "year": "Năm",
    "district_code": "Mã huyện", "establishment_id": "Mã cơ sở", "audit_id": "Số thay đổi",
}


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


def message_of(error: dict[str, Any]) -> str:
    """The Vietnamese message of one pydantic error (its ctx filled in)."""
    if error.get("type") == "value_error":  # raised by kcmap's own checks, in Vietnamese
        return str(error.get("msg", DEFAULT)).removeprefix("Value error, ")
    template = MESSAGES.get(str(error.get("type", "")), DEFAULT)
    ctx = {k: _text(v) for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:
        ctx["expected"] = ctx["expected"].replace(" or ", ", ")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split(";")[0].split("(")[0].strip()
