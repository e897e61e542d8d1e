"""What every `kcmap` command shares: one transaction on the configured database, and the
one error exit: anticipated problems become a short Vietnamese message and exit status 1."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable
from typing import NoReturn, TypeVar

import psycopg2
import typer

from geo.core.db import Connection
from geo.core.db_errors import classify
from geo.core.errors import KcmapError

T = TypeVar("T")

_OS_MESSAGES = {
    errno.ENOENT: "không tồn tại (hoặc thư mục chứa nó không tạo được)",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không được phép thao tác",
    errno.EROFS: "nằm trên ổ chỉ đọc, không ghi được",
    errno.ENOSPC: "không ghi được vì ổ đĩa đã đầy",
    errno.EISDIR: "là một thư mục, không phải một tệp",
    errno.ENOTDIR: "có một phần đường dẫn không phải thư mục",
    errno.EEXIST: "đã tồn tại",
    errno.ENAMETOOLONG: "có tên quá dài",
}


def _related(path: str, home: str) -> bool:
    """Whether a path is KCMAP_HOME, inside it or one of its parents."""
    a, b = os.path.abspath(path), os.path.abspath(home)
    return a == b or a.startswith(b + os.sep) or b.startswith(a.rstrip(os.sep) + os.sep)


def os_error_message(exc: OSError) -> str:
    """One Vietnamese sentence for a file or directory problem, naming the path."""
    path = exc.filename if exc.filename is not None else ""
    what = _OS_MESSAGES.get(exc.errno or 0, f"gặp lỗi hệ thống ({exc.strerror or exc})")
    text = f"Tệp/thư mục '{path}' {what}." if path else f"Lỗi hệ thống: {what}."
    home = os.environ.get("KCMAP_HOME")
    if home and path and _related(str(path), home):
        text += (f" Thư mục KCMAP_HOME ('{home}') phải là một thư mục ghi được; "
                 "đặt KCMAP_HOME sang chỗ khác hoặc sửa quyền rồi chạy lại.")
    else:
        text += " Kiểm tra đường dẫn và quyền truy cập rồi chạy lại."
    return text


def error_message(exc: BaseException) -> str | None:
    """The message for an anticipated problem, or None for a bug (which keeps its traceback)."""
    if isinstance(exc, KcmapError):
        return str(exc)
    if isinstance(exc, psycopg2.Error):
        known = classify(exc)
        if known is not None:
            return str(known)
        first = (exc.pgerror or str(exc)).strip().splitlines()
        return ("Lỗi cơ sở dữ liệu: " + (first[0] if first else type(exc).__name__)
                + ". Đã chạy `kcmap db migrate` chưa?")
    if isinstance(exc, OSError):
        return os_error_message(exc)
    if isinstance(exc, subprocess.CalledProcessError):
        detail = (exc.stderr or "").strip() if isinstance(exc.stderr, str) else ""
        return f"Lệnh {exc.cmd[0] if exc.cmd else ''} thất bại (mã {exc.returncode}). {detail}"
    return None


def fail(exc: Exception) -> typer.Exit:
    """Print a one-line error (no traceback) and return the Exit to raise."""
    typer.echo(f"kcmap: {error_message(exc) or exc}", err=True)
    return typer.Exit(code=1)


def die(message: object) -> NoReturn:
    """Print a one-line error (no traceback) and exit with status 1."""
    raise fail(Exception(message) if not isinstance(message, Exception) else message)


def run_guarded(command: Callable[[], object]) -> int:
    """Run the CLI; an anticipated error ends it with its message and status 1, never a
    traceback. Ctrl-C ends it with status 130."""
    try:
        command()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        typer.echo("kcmap: đã dừng theo yêu cầu (Ctrl-C)", err=True)
        return 130
    except Exception as exc:
        message = error_message(exc)
        if message is None:
            raise
        typer.echo(f"kcmap: {message}", err=True)
        return 1
    return 0


def in_transaction(work: Callable[[Connection], T]) -> T:
    """Run work(conn) in one transaction (local cluster started if needed); exit 1 on errors."""
    from api import database as db_module

    try:
        database = db_module.database_from_env()
        with database.transaction() as conn:
            return work(conn)
    except KcmapError as exc:
        raise fail(exc) from exc
