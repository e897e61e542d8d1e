"""The login page and short message pages (errors, refusals), in Vietnamese."""

from __future__ import annotations

from maps.core.format import esc
from maps.pages.layout import layout


def message_page(text: str, title: str = "Thông báo", back: str = "/") -> str:
    """A page with one message and a link back."""
    return layout(title, f'<h1>{esc(title)}</h1><p class="kc-msg">{esc(text)}</p>'
                         f'<p><a href="{esc(back)}">Quay lại</a></p>')


def login_page(csrf: str, next_path: str = "", error: str = "", username: str = "") -> str:
    """The login form (CSRF double-submit token, the page to return to, an error)."""
    err = f'<p class="kc-error" role="alert">{esc(error)}</p>' if error else ""
    body = f"""<h1>Đăng nhập</h1>
{err}
<form method="post" action="/login" class="kc-form kc-login">
<input type="hidden" name="csrf_token" value="{esc(csrf)}">
<input type="hidden" name="next" value="{esc(next_path)}">
<label>Tên đăng nhập <input name="username" autocomplete="username" required
 maxlength="64" value="{esc(username)}" autofocus></label>
<label>Mật khẩu <input name="password" type="password" autocomplete="current-password"
 required maxlength="1024"></label>
<button type="submit">Đăng nhập</button>
</form>
<p class="kc-note">Tài khoản do quản trị hệ thống cấp (lệnh <code>kcmap users add</code>).
Đăng nhập sai nhiều lần liên tiếp sẽ bị tạm khóa trong ít phút.</p>"""
    return layout("Đăng nhập", body)
