"""Checked values of needs and plans: money in đồng, years, texts, vocabularies."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from geo.core.db import Connection
from geo.core.errors import InvalidInput

MAX_VND = 10**15
_MONEY_TEXT = re.compile(r"^\d{1,3}(?:[.\s]\d{3})+$|^\d+$")
E = TypeVar("E", bound=StrEnum)


def money(value: object, field: str, required: bool = True) -> int:
    """Whole đồng from an integer or text such as '1.250.000.000 đ'; refused otherwise."""
    if value is None or value == "":
        if required:
            raise InvalidInput(f"Thiếu số tiền ({field})")
        return 0
    if isinstance(value, bool):
        raise InvalidInput(f"Số tiền không hợp lệ ({field})")
    if isinstance(value, int):
        n = value
    elif isinstance(value, str):
        text = value.strip().removesuffix("đ").removesuffix("VND").strip()
        if not _MONEY_TEXT.match(text):
            raise InvalidInput(f"Số tiền không hợp lệ ({field}): ghi số đồng, ví dụ 1.250.000.000")
        n = int(re.sub(r"[.\s]", "", text))
    else:
        raise InvalidInput(f"Số tiền không hợp lệ ({field})")
    if not 0 <= n <= MAX_VND:
        raise InvalidInput(f"Số tiền ngoài khoảng cho phép ({field})")
    return n


def year(value: object, field: str = "year") -> int:
    """A year 2000–2100 from an integer or its text."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise InvalidInput(f"Năm không hợp lệ ({field}): 2000–2100")
    return value


def record_id(value: object, field: str) -> int:
    """A record id from an integer or its digits."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 18:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise InvalidInput(f"Thiếu hoặc sai số bản ghi ({field})")
    return value


def text(value: object, field: str, limit: int, required: bool = False) -> str:
    """Stripped text up to LIMIT characters, without control characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"Trường {field} phải là chữ")
    out = value.strip()
    if len(out) > limit:
        raise InvalidInput(f"Trường {field} dài quá {limit} ký tự")
    if any(ord(c) < 32 and c not in "\n\t" for c in out):
        raise InvalidInput(f"Trường {field} có ký tự điều khiển")
    if required and not out:
        raise InvalidInput(f"Thiếu trường {field}")
    return out


def choice(kind: type[E], value: object, field: str) -> E:
    """A member of the StrEnum KIND, or InvalidInput naming the allowed values."""
    try:
        return kind(str(value))
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidInput(f"Giá trị không hợp lệ cho {field}: chọn một trong {allowed}") from None


def activity(conn: Connection, value: object) -> str:
    """A known activity type code."""
    code = text(value, "activity_type", 40, required=True)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM activity_type WHERE code = %s", (code,))
        if cur.fetchone() is None:
            raise InvalidInput(f"Loại hoạt động không có: {code}")
    return code


def unknown_fields(data: Mapping[str, Any], allowed: set[str]) -> None:
    """Refuse fields the caller may not send."""
    extra = sorted(set(data) - allowed)
    if extra:
        raise InvalidInput(f"Trường không nhận: {', '.join(extra)}")
