"""Vietnamese words for review pages: precision, status, flags, field names, changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving time

PRECISION = {"exact": "Điểm chính xác", "commune": "Cấp xã", "district": "Cấp huyện",
             "province": "Cấp tỉnh", "none": "Chưa có vị trí"}
STATUS = {"ok": "Ổn", "ambiguous": "Chưa rõ", "not_found": "Không tìm thấy",
          "conflict": "Xung đột"}
FLAGS = {"conflict": "Xung đột vị trí", "commune_only": "Chỉ đến cấp xã (chưa có điểm)",
         "outside_district": "Nằm ngoài ranh giới huyện", "unreviewed": "Chưa rà soát"}
METHODS = {"manual_review": "Sửa khi rà soát", "demo_synthetic": "Dữ liệu mẫu (tổng hợp)",
           "wgs84": "Tọa độ trong tệp", "wgs84_swapped": "Tọa độ trong tệp (đã đổi chỗ)",
           "outside_province": "Tọa độ ngoài tỉnh", "none": "Chưa xác định",
           "centroid:commune": "Tâm xã (theo địa chỉ)", "centroid:district": "Tâm huyện",
           "centroid:province": "Tâm tỉnh"}
ACTIONS = {"edit": "Sửa", "confirm": "Xác nhận", "revert": "Hoàn tác", "import": "Nhập tệp",
           "import_undo": "Hoàn tác lô nhập"}
FIELDS = {"name": "Tên", "owner_name": "Chủ cơ sở", "phone": "Điện thoại",
          "trade": "Ngành nghề", "workers": "Số lao động", "address_raw": "Địa chỉ",
          "lon": "Kinh độ", "lat": "Vĩ độ", "commune_code": "Mã xã", "district_code": "Mã huyện",
          "precision": "Độ chính xác", "geocode_status": "Trạng thái vị trí",
          "method": "Cách xác định", "score": "Điểm tin cậy",
          "reviewed_at": "Rà soát lúc", "reviewed_by": "Người rà soát (mã)",
          "has_location": "Có vị trí", "archived_at": "Lưu trữ lúc",
          "archived_batch_id": "Lưu trữ bởi lô nhập"}


def word(table: dict[str, str], key: object) -> str:
    """The Vietnamese word for a code, or the code itself."""
    return table.get(str(key), "" if key is None else str(key))


def local_time(iso: str | None) -> str:
    """An ISO timestamp as Vietnamese local time, '28/11/2026 16:42'; '' for None."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def value_text(value: Any, key: str = "") -> str:
    """A before/after value as plain text ('—' for empty)."""
    if value is None or value == "":
        return "—"
    if key in ("reviewed_at", "archived_at"):
        return local_time(str(value))
    if key == "precision":
        return word(PRECISION, value)
    if key == "geocode_status":
        return word(STATUS, value)
    if key == "method":
        text = str(value)
        if text.startswith("vn2000:"):
            return "Tọa độ VN-2000 trong tệp"
        return METHODS.get(text, text)
    if key == "score" and isinstance(value, (int, float)):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, bool):
        return "có" if value else "không"
    return str(value)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field label, old text, new text) of the fields that differ."""
    items = []
    for key in FIELDS:
        if key in ("reviewed_by", "has_location"):
            continue
        if key in before or key in after:
            old, new = before.get(key), after.get(key)
            if old != new:
                items.append((FIELDS[key], value_text(old, key), value_text(new, key)))
    return items
