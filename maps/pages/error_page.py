"""The HTML error page of the web pages: what happened, what to do next (pages/error.html)."""

from __future__ import annotations

from maps.pages.layout import render_page

# What a person can do about each HTTP status, in the order to try.
NEXT_STEPS: dict[int, tuple[str, ...]] = {
    503: ("Chờ vài phút rồi tải lại trang (phím F5).",
          "Nếu lỗi còn kéo dài, báo quản trị hệ thống: cơ sở dữ liệu cần được kiểm tra."),
    500: ("Báo quản trị hệ thống, gửi kèm mã yêu cầu bên dưới.",),
    409: ("Tải lại trang để xem dữ liệu mới nhất, rồi làm lại thao tác.",),
    404: ("Kiểm tra lại địa chỉ, hoặc quay về trang chủ để tìm lại.",),
    403: ("Tài khoản này không có quyền xem trang này; đăng nhập bằng tài khoản khác "
          "hoặc hỏi quản trị hệ thống.",),
    401: ("Đăng nhập rồi thử lại.",),
}
DEFAULT_STEPS = ("Kiểm tra lại thông tin đã nhập rồi thử lại.",)
TITLES = {503: "Tạm thời không phục vụ được", 500: "Lỗi máy chủ", 409: "Xung đột dữ liệu",
          404: "Không tìm thấy", 403: "Không có quyền", 401: "Cần đăng nhập"}


def error_page(status: int, detail: str, request_id: str = "") -> str:
    """A whole Vietnamese page for an error with this status and message."""
    return render_page("pages/error.html", TITLES.get(status, "Không thực hiện được"),
                       detail=detail, next_steps=NEXT_STEPS.get(status, DEFAULT_STEPS),
                       status=status, request_id=request_id)
