"""`kcmap users`: accounts (password from stdin), API tokens, disabling."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from api.cli import vi_typer
from api.cli.common import fail, in_transaction
from geo.accounts import users as accounts
from geo.accounts.authz import ROLES
from geo.core.errors import InvalidInput

app = vi_typer.Typer(help="Tài khoản người dùng và token API", no_args_is_help=True)


def read_password() -> str:
    """The new password: one line from stdin, or typed twice at a terminal (never echoed)."""
    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu mới: ")
        if getpass.getpass("Nhập lại: ") != first:
            raise fail(InvalidInput("Hai lần nhập mật khẩu không khớp"))
        return first
    text = sys.stdin.read()
    if text.endswith("\n"):
        text = text[:-1].removesuffix("\r")
    if not text or "\n" in text:
        raise fail(InvalidInput("Hãy đưa mật khẩu vào stdin trên một dòng"))
    return text


@app.command("add")
def add(
    username: str,
    role: Annotated[str, typer.Option(help=f"một trong: {', '.join(ROLES)}")],
    district: Annotated[str | None, typer.Option(
        help="mã huyện (trước 1/7/2025), cho district_officer")] = None,
) -> None:
    """Tạo người dùng; mật khẩu đọc từ stdin (không có mật khẩu mặc định)."""
    if role not in ROLES:
        raise fail(InvalidInput(f"Vai trò phải là một trong: {', '.join(ROLES)}"))
    password = read_password()
    actor = in_transaction(lambda c: accounts.add_user(c, username, password, role, district))
    where = f", huyện {actor.district_code}" if actor.district_code else ""
    typer.echo(f"đã tạo người dùng {actor.username} ({actor.role}{where})")


@app.command("token")
def token(
    username: str,
    days: Annotated[int | None, typer.Option(
        help="Số ngày token còn hiệu lực (mặc định KCMAP_TOKEN_DAYS, 90)")] = None,
    name: Annotated[str, typer.Option(help="Tên gợi nhớ của token, vd. tên script")] = "",
) -> None:
    """In một token API mới cho người dùng (chỉ hiện một lần; chỉ lưu giá trị băm)."""
    from geo.core.settings import AuthSettings

    lifetime = days if days is not None else AuthSettings().token_days
    typer.echo(in_transaction(lambda c: accounts.issue_token(c, username, lifetime, name)))


@app.command("tokens")
def tokens(username: str) -> None:
    """Liệt kê token API của người dùng: số, tên, trạng thái, ngày (không bao giờ in token)."""
    rows = in_transaction(lambda c: accounts.list_tokens(c, username))
    if not rows:
        typer.echo("(không có token)")
    for t in rows:
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "-"
        state = {"live": "còn hiệu lực", "expired": "hết hạn", "revoked": "đã thu hồi"}[t.state]
        typer.echo(f"{t.id}\t{t.name or '-'}\t{t.prefix}…\t{state}\t"
                   f"tạo {t.created_at:%Y-%m-%d}\thết hạn {t.expires_at:%Y-%m-%d}\t"
                   f"dùng lần cuối {used}")


@app.command("revoke-token")
def revoke_token(token_id: Annotated[int, typer.Argument(
        help="Số của token (xem `kcmap users tokens USER`)")]) -> None:
    """Thu hồi ngay một token API."""
    owner = in_transaction(lambda c: accounts.revoke_token(c, token_id))
    typer.echo(f"đã thu hồi token {token_id} của {owner}")


@app.command("disable")
def disable(username: str) -> None:
    """Khóa người dùng: phiên đăng nhập kết thúc, token API ngừng hoạt động ngay."""
    in_transaction(lambda c: accounts.disable_user(c, username))
    typer.echo(f"đã khóa người dùng {username.strip().lower()}")


@app.command("enable")
def enable(username: str) -> None:
    """Mở lại người dùng đã khóa (cần cấp token mới; token cũ vẫn bị thu hồi)."""
    in_transaction(lambda c: accounts.enable_user(c, username))
    typer.echo(f"đã mở lại người dùng {username.strip().lower()}")


@app.command("passwd")
def passwd(username: str) -> None:
    """Đặt mật khẩu mới (đọc từ stdin); phiên đăng nhập và token API của người này kết thúc."""
    password = read_password()
    in_transaction(lambda c: accounts.set_password(c, username, password))
    typer.echo(f"đã đổi mật khẩu của {username.strip().lower()}; "
               "mọi phiên đăng nhập và token API của người này đã bị thu hồi")


@app.command("list")
def list_users() -> None:
    """Liệt kê người dùng: vai trò, huyện, trạng thái, số token còn hiệu lực."""
    for u in in_transaction(accounts.list_users):
        state = "đang hoạt động" if u.is_active else "đã khóa"
        typer.echo(f"{u.username}\t{u.role}\t{u.district_code or '-'}\t{state}\t"
                   f"token={u.tokens}")
