"""The login page and short message pages (errors, refusals), in Vietnamese."""

from __future__ import annotations

from collections.abc import Sequence

from maps.pages.layout import render_page


def message_page(text: str | Sequence[str], title: str = "Thông báo", back: str = "/") -> str:
    """A page with a message (or several lines) and a link back."""
    lines = [text] if isinstance(text, str) else list(text)
    return render_page("pages/message.html", title, lines=lines, back=back)


def login_page(csrf: str, next_path: str = "", error: str = "", username: str = "") -> str:
    """The login form (CSRF double-submit token, the page to return to, an error)."""
    return render_page("pages/login.html", "Đăng nhập", csrf=csrf, next_path=next_path,
                       error=error, username=username)
