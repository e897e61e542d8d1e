"""Spreadsheet header variants of the record fields (used by geo.records.spec).

Each tuple starts with the header the importer names in its messages. Headers of location
columns (address, commune, coordinates…) are shared by every kind: geo.intake.columns."""

from __future__ import annotations

ESTABLISHMENT_NAME = (
    "Tên cơ sở", "Tên cơ sở CNNT", "Tên cơ sở sản xuất", "Tên cơ sở công nghiệp nông thôn",
    "Tên doanh nghiệp", "Tên DN", "Tên đơn vị", "Tên cơ sở/doanh nghiệp",
    "Tên doanh nghiệp/cơ sở", "Tên DN/HTX/Hộ kinh doanh", "Tên DN, HTX, hộ kinh doanh",
    "Cơ sở", "Tên")
VILLAGE_NAME = (
    "Tên làng nghề", "Làng nghề", "Tên làng", "Làng nghề truyền thống",
    "Tên làng nghề/làng nghề truyền thống", "Tên làng nghề, làng nghề truyền thống", "Tên")
TITLE = (
    "Nội dung/Tên đề án", "Tên đề án/Nội dung", "Tên đề án, nội dung", "Nội dung",
    "Tên đề án", "Đề án", "Tên đề án khuyến công", "Nội dung đề án", "Nội dung hỗ trợ",
    "Tên dự án", "Tên đề án/dự án", "Tên nhiệm vụ")
OWNER_NAME = (
    "Chủ cơ sở", "Họ tên chủ cơ sở", "Họ và tên chủ cơ sở", "Chủ hộ", "Người đại diện",
    "Đại diện", "Người đại diện theo pháp luật", "Giám đốc", "Chủ doanh nghiệp",
    "Chủ cơ sở/người đại diện")
TRADE = (
    "Ngành nghề", "Ngành nghề sản xuất", "Ngành nghề kinh doanh", "Ngành nghề SXKD",
    "Lĩnh vực", "Lĩnh vực hoạt động", "Sản phẩm", "Sản phẩm chính", "Nghề",
    "Nghề truyền thống", "Ngành nghề, sản phẩm")
PHONE = ("Điện thoại", "Số điện thoại", "SĐT", "ĐT", "Điện thoại liên hệ", "ĐT liên hệ")
WORKERS = (
    "Số lao động", "Lao động", "Số LĐ", "LĐ", "Tổng số lao động", "Số lao động thường xuyên",
    "Lao động thường xuyên", "Số người lao động")
HOUSEHOLDS = ("Số hộ", "Số hộ tham gia", "Số hộ làm nghề", "Số hộ tham gia làng nghề", "Hộ",
              "Tổng số hộ")
DECISION = (
    "Quyết định công nhận", "Số quyết định công nhận", "QĐ công nhận", "Số QĐ công nhận",
    "Quyết định", "Số quyết định", "Số QĐ", "Quyết định công nhận làng nghề")
RECOGNISED_YEAR = ("Năm công nhận", "Năm được công nhận", "Năm")
YEAR = ("Năm", "Năm thực hiện", "Năm kế hoạch", "Năm KH", "Năm hỗ trợ")
KC_VND = (
    "Kinh phí", "Kinh phí khuyến công", "Kinh phí KC", "Kinh phí hỗ trợ",
    "Kinh phí KC hỗ trợ", "Kinh phí khuyến công hỗ trợ", "Kinh phí hỗ trợ từ khuyến công",
    "Kinh phí hỗ trợ từ nguồn khuyến công", "Số tiền hỗ trợ", "Kinh phí được duyệt",
    "Kinh phí KC (đồng)")
COUNTERPART_VND = (
    "Vốn đối ứng", "Đối ứng", "Kinh phí đối ứng", "Vốn đối ứng của cơ sở",
    "Đối ứng của cơ sở", "Vốn đối ứng của đơn vị", "Vốn tự có", "Đơn vị đối ứng")
FUNDING_SOURCE = (
    "Nguồn vốn", "Nguồn kinh phí", "Nguồn", "Nguồn KC", "Nguồn vốn khuyến công",
    "Nguồn ngân sách", "Nguồn vốn KC")
ACTIVITY_TYPE = (
    "Loại hoạt động", "Hoạt động", "Loại hình hỗ trợ", "Loại hình", "Nội dung hoạt động",
    "Loại đề án", "Hoạt động khuyến công", "Lĩnh vực hỗ trợ")
BENEFICIARY = (
    "Đơn vị thụ hưởng", "Cơ sở thụ hưởng", "Đơn vị hưởng lợi", "Đơn vị thực hiện",
    "Đơn vị thụ hưởng/Cơ sở", "Đơn vị được hỗ trợ", "Cơ sở được hỗ trợ", "Đơn vị/cơ sở")
STATUS = ("Tình trạng", "Trạng thái", "Tiến độ", "Kết quả thực hiện", "Tình hình thực hiện")

# Needs (nhu cầu hỗ trợ) as the districts' registration sheets head them (geo.intake.need_columns).
NEED_ESTABLISHMENT_ID = (
    "Mã cơ sở", "Mã số cơ sở", "Số cơ sở", "ID cơ sở", "Mã CS", "Mã cơ sở CNNT", "Số hiệu cơ sở",
    "establishment_id")
NEED_ESTABLISHMENT_NAME = (
    "Tên cơ sở", "Tên cơ sở CNNT", "Tên cơ sở đăng ký", "Cơ sở đăng ký", "Cơ sở đề nghị",
    "Tên cơ sở đề nghị hỗ trợ", "Đơn vị đề nghị", "Tên đơn vị đề nghị", "Tên doanh nghiệp",
    "Tên đơn vị", "Tên cơ sở/doanh nghiệp", "Tên DN/HTX/Hộ kinh doanh", "Cơ sở", "Tên")
NEED_ACTIVITY = (*ACTIVITY_TYPE, "Hình thức hỗ trợ", "Loại hỗ trợ",
                 "Hoạt động đề nghị", "Loại hoạt động khuyến công")
NEED_DESCRIPTION = (
    "Nội dung hỗ trợ", "Nội dung đề nghị", "Nội dung đề nghị hỗ trợ", "Nội dung đăng ký",
    "Nội dung", "Mô tả", "Mô tả nhu cầu", "Nội dung nhu cầu", "Nhu cầu hỗ trợ", "Tên đề án")
NEED_TOTAL = (
    "Tổng kinh phí", "Tổng kinh phí dự kiến", "Tổng chi phí", "Tổng chi phí dự kiến",
    "Tổng kinh phí thực hiện", "Tổng vốn", "Tổng mức đầu tư", "Kinh phí tổng", "Kinh phí / Tổng",
    "Tổng", "Tổng số")
NEED_REQUESTED = (
    "Kinh phí khuyến công đề nghị", "Kinh phí KC đề nghị", "Kinh phí đề nghị hỗ trợ",
    "Đề nghị hỗ trợ", "Đề nghị hỗ trợ khuyến công", "Kinh phí đề nghị", "Kinh phí khuyến công",
    "Kinh phí hỗ trợ", "KP khuyến công đề nghị", "Khuyến công đề nghị", "KC đề nghị",
    "Kinh phí / Khuyến công đề nghị", "Kinh phí / Đề nghị hỗ trợ", "Ngân sách khuyến công")
NEED_COUNTERPART = (
    "Vốn đối ứng", "Đối ứng", "Vốn đối ứng của cơ sở", "Kinh phí đối ứng", "Vốn tự có",
    "Kinh phí / Đối ứng", "Cơ sở đối ứng")
NEED_YEAR = ("Năm", "Năm đề nghị", "Năm thực hiện", "Năm dự kiến", "Năm đăng ký", "Năm hỗ trợ",
             "Năm kế hoạch", "Năm dự kiến thực hiện")
NEED_PRIORITY = ("Ưu tiên", "Mức ưu tiên", "Mức độ ưu tiên", "Thứ tự ưu tiên", "Độ ưu tiên")
