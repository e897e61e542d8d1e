"""CSV/XLSX tables of any map view: Vietnamese headers, VND as numbers formatted '#,##0'."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geo.publish.map_views import ViewData
from geo.records.spec import CRAFT_VILLAGE, ESTABLISHMENT, PROJECT, KindSpec
from maps.export.labels import source_words
from maps.export.map_titles import view_title
from maps.export.tables import INDICATOR_COLUMNS, Column, gap_columns, to_csv, to_xlsx
from maps.views.choropleth import ALLOCATION_WORDS

EDITION_COLUMNS = (
    Column("data_status", "Tình trạng dữ liệu"),
    Column("allocation_method", "Cách chuyển kinh phí từ xã cũ"),
    Column("count_method", "Cách chuyển số cơ sở, làng nghề"),
    Column("legacy_codes", "Mã xã cũ (trước 1/7/2025)"),
)
_HEAD = (Column("id", "Mã bản ghi", "int"), Column("record_key", "Khóa bản ghi"))
_PLACE = (Column("commune_code", "Mã xã"), Column("commune_name", "Xã"),
          Column("district_code", "Mã huyện"), Column("district_name", "Huyện"),
          Column("precision", "Độ chính xác vị trí"))
_POINT = (Column("lon", "Kinh độ"), Column("lat", "Vĩ độ"))
_DEMO = (Column("is_demo", "Dữ liệu mẫu", "bool"),)


def _fields(spec: KindSpec, personal: bool = False) -> tuple[Column, ...]:
    """The columns of a kind's public (or personal) fields, from its spec."""
    return tuple(Column(f.download_key, f.label, f.cell) for f in spec.fields
                 if f.personal == personal)


ESTABLISHMENT_COLUMNS = (
    *_HEAD, *_fields(ESTABLISHMENT), *_PLACE, Column("geocode_status", "Tình trạng định vị"),
    *_POINT, *_DEMO)
PERSONAL_COLUMNS = _fields(ESTABLISHMENT, personal=True)
VILLAGE_COLUMNS = (*_HEAD, *_fields(CRAFT_VILLAGE), *_PLACE, *_POINT, *_DEMO)
PROJECT_COLUMNS = (
    *_HEAD, *_fields(PROJECT), Column("locations", "Số địa điểm", "int"),
    Column("commune_codes", "Mã xã"), Column("district_codes", "Mã huyện"),
    Column("district_precision_districts", "Huyện (địa điểm chỉ xác định đến huyện)"),
    *_DEMO,
)
SHEETS = {"coverage": "Chỉ số", "gaps": "Xếp hạng", "projects": "Đề án",
          "establishments": "Cơ sở CNNT", "villages": "Làng nghề"}


def columns(view: str, edition: str = "legacy", personal: bool = False,
            level: str = "commune") -> tuple[Column, ...]:
    """The columns of a view's table."""
    if view == "coverage":
        return INDICATOR_COLUMNS + EDITION_COLUMNS if edition == "2025" else INDICATOR_COLUMNS
    if view == "gaps":
        return gap_columns(level, edition) + (EDITION_COLUMNS if edition == "2025" else ())
    if view == "projects":
        return PROJECT_COLUMNS
    if view == "establishments":
        return ESTABLISHMENT_COLUMNS + (PERSONAL_COLUMNS if personal else ())
    return VILLAGE_COLUMNS


def rows(data: ViewData) -> list[dict[str, Any]]:
    """One row per feature: its properties, plus lon/lat of a point."""
    out = []
    for f in data["features"]:
        row = dict(f.get("properties") or {})
        g = f.get("geometry")
        if g and g.get("type") == "Point":
            row["lon"], row["lat"] = g["coordinates"][0], g["coordinates"][1]
        out.append(row)
    return out


def notes(data: ViewData) -> list[tuple[str, Any]]:
    """The 'Ghi chú' sheet: filter, edition and the totals the table reconciles to."""
    flt = data.get("filter")
    title, subtitle = view_title(data)
    lines: list[tuple[str, Any]] = [("Nội dung", f"{title}. {subtitle}".replace("\n", "; "))]
    if flt is not None:
        lines += [("Năm", flt.years_text()), ("Nguồn kinh phí", source_words(flt.sources)),
                  ("Hoạt động", ", ".join(flt.activities) or "tất cả"),
                  ("Trạng thái đề án", ", ".join(flt.statuses))]
    if data["view"] in ("coverage", "gaps"):
        lines += [("Đơn vị hành chính", "sau 1/7/2025" if data["edition"] == "2025"
                   else "trước 1/7/2025"),
                  ("Đề án cấp huyện (bản đồ cấp xã)", ALLOCATION_WORDS[data["allocation"]])]
    s = data["summary"]
    if data["view"] == "coverage":
        lines += [("Tổng kinh phí khuyến công (đ)", s["total_vnd"]),
                  ("Đã phân bổ cho đơn vị (đ)", s["allocated_vnd"]),
                  ("Chưa phân bổ (đ)", s["unallocated_vnd"]),
                  ("Tổng vốn đối ứng (đ)", s["total_counterpart_vnd"]),
                  ("Số đề án", s["projects"])]
        if data["edition"] == "2025":
            lines += [("Đã phân bổ theo xã cũ (đ)", s["legacy_allocated_vnd"]),
                      ("Đề án cấp huyện của huyện nằm trọn trong một xã mới (đ)",
                       s["district_whole_vnd"]),
                      ("Số xã mới chưa có dữ liệu", s["no_data_units"])]
    elif data["view"] == "gaps":
        word = "huyện" if data.get("level") == "district" else "xã"
        lines += [("Công thức", s["formula"]), (f"Số {word} xếp hạng", s["ranked"]),
                  (f"Số {word} chưa được hỗ trợ", s["no_support"])]
    elif data["view"] == "projects":
        lines += [("Số đề án", s["projects"]), ("Tổng kinh phí khuyến công (đ)", s["total_vnd"])]
    else:
        lines += [("Số bản ghi", s["records"]), ("Có tọa độ để vẽ", s["drawn"])]
    lines += [("Dữ liệu đến ngày", data.get("data_date") or ""),
              ("Dữ liệu mẫu", "có" if data.get("has_demo") else "không"),
              ("Ranh giới gần đúng", "có" if data.get("has_approximate") else "không")]
    return lines


def table_csv(data: ViewData, personal: bool = False) -> bytes:
    """The view's table as CSV (UTF-8 with BOM)."""
    return to_csv(columns(data["view"], data["edition"], personal, data.get("level", "commune")),
                  rows(data))


def table_xlsx(data: ViewData, personal: bool = False) -> bytes:
    """The view's table as XLSX, with a notes sheet of the filter and totals."""
    cols: Sequence[Column] = columns(data["view"], data["edition"], personal,
                                     data.get("level", "commune"))
    return to_xlsx([(SHEETS[data["view"]], cols, rows(data))], ("Ghi chú", notes(data)))
