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
