"""Vietnamese labels of the codes a download would otherwise show (sources, precisions, …)."""

from __future__ import annotations

from maps.pages.review_words import PRECISION, STATUS

SOURCE = {"KCQG": "Khuyến công quốc gia", "KCDP": "Khuyến công địa phương"}
PROJECT_STATUS = {"planned": "Dự kiến", "approved": "Đã phê duyệt",
                  "in_progress": "Đang thực hiện", "completed": "Hoàn thành",
                  "cancelled": "Đã hủy"}
BOUNDARY = {"official": "Chính thức", "approximate": "Gần đúng"}
DATA_STATUS = {"ok": "Có dữ liệu", "no_data": "Chưa có dữ liệu"}
TRANSFER = {"whole": "Nguyên xã cũ", "area": "Chia theo diện tích",
            "crosswalk": "Theo bảng chuyển đổi", "district_whole": "Cả huyện cũ",
            "points": "Theo vị trí điểm", "no_data": "Chưa có dữ liệu"}

LABELS: dict[str, dict[str, str]] = {
    "funding_source": SOURCE, "precision": PRECISION, "geocode_status": STATUS,
    "status": PROJECT_STATUS, "boundary_quality": BOUNDARY, "data_status": DATA_STATUS,
    "allocation_method": TRANSFER, "count_method": TRANSFER,
}


def label(key: str, value: object) -> object:
    """The label of a coded value of column KEY (the value itself when it has none)."""
    table = LABELS.get(key)
    if table is None or not isinstance(value, str):
        return value
    return table.get(value, value)


def source_words(sources: tuple[str, ...] | list[str]) -> str:
    """'Khuyến công quốc gia, …' or 'tất cả'."""
    return ", ".join(SOURCE.get(s, s) for s in sources) or "tất cả"
