"""Which database error is which: psycopg2 errors turned into kcmap's classified errors.

Each class carries a Vietnamese message saying what happened and what to do next; the API
maps the classes to HTTP statuses in api/web/errors.py, the CLI prints the message.
"""

from __future__ import annotations

import psycopg2
import psycopg2.errors as pgerr

from geo.core.errors import (
    DatabaseBusy,
    DatabaseDiskFull,
    DatabasePermission,
    DatabaseReadOnly,
    DatabaseRetry,
    DatabaseUnavailable,
    KcmapError,
)

LOST = "Mất kết nối cơ sở dữ liệu PostGIS; thử lại sau ít phút"
UNREACHABLE = "Không kết nối được cơ sở dữ liệu PostGIS; thử lại sau ít phút"
DISK_FULL = ("Ổ đĩa của cơ sở dữ liệu đã đầy, không ghi được dữ liệu; báo quản trị hệ thống "
             "giải phóng dung lượng rồi thử lại")
READ_ONLY = ("Cơ sở dữ liệu đang ở chế độ chỉ đọc, chưa ghi được thay đổi; thử lại sau hoặc "
             "báo quản trị hệ thống")
BUSY = ("Truy vấn bị hủy hoặc chạy quá thời gian cho phép (máy chủ đang bận hoặc đang dừng); "
        "thử lại sau ít phút")
PERMISSION = ("Tài khoản cơ sở dữ liệu của kcmap thiếu quyền cần thiết; báo quản trị hệ thống "
              "kiểm tra quyền trên cơ sở dữ liệu")
RETRY = ("Thao tác trùng với một thay đổi đồng thời khác và đã được hủy, chưa có gì được ghi; "
         "hãy thử lại")
TOO_MANY = "Cơ sở dữ liệu đang quá tải (hết kết nối hoặc bộ nhớ); thử lại sau ít phút"

# SQLSTATE classes (first two characters) and codes, per the PostgreSQL manual, appendix A.
_BY_CODE: dict[str, tuple[type[KcmapError], str]] = {
    "53100": (DatabaseDiskFull, DISK_FULL),
    "25006": (DatabaseReadOnly, READ_ONLY),
    "42501": (DatabasePermission, PERMISSION),
    "57014": (DatabaseBusy, BUSY),
    "55P03": (DatabaseRetry, RETRY),
    "40001": (DatabaseRetry, RETRY),
    "40P01": (DatabaseRetry, RETRY),
    "57P01": (DatabaseUnavailable, LOST),
    "57P02": (DatabaseUnavailable, LOST),
    "57P03": (DatabaseUnavailable, UNREACHABLE),
}
_BY_CLASS: dict[str, tuple[type[KcmapError], str]] = {
    "08": (DatabaseUnavailable, LOST),
    "53": (DatabaseUnavailable, TOO_MANY),
}
# Classes psycopg2 raises for those codes, for errors built without a SQLSTATE.
_BY_TYPE: tuple[tuple[type[psycopg2.Error], str], ...] = (
    (pgerr.DiskFull, "53100"),
    (pgerr.ReadOnlySqlTransaction, "25006"),
    (pgerr.InsufficientPrivilege, "42501"),
    (pgerr.QueryCanceled, "57014"),
    (pgerr.LockNotAvailable, "55P03"),
    (pgerr.SerializationFailure, "40001"),
    (pgerr.DeadlockDetected, "40P01"),
    (pgerr.AdminShutdown, "57P01"),
)


def sqlstate(exc: psycopg2.Error) -> str | None:
    """The SQLSTATE of an error: sent by the server, else implied by its psycopg2 class."""
    if exc.pgcode:
        return str(exc.pgcode)
    return next((code for cls, code in _BY_TYPE if isinstance(exc, cls)), None)


def classify(exc: psycopg2.Error) -> KcmapError | None:
    """The kcmap error a database error means, or None for errors of kcmap's own making."""
    code = sqlstate(exc)
    if code is not None:
        found = _BY_CODE.get(code) or _BY_CLASS.get(code[:2])
        if found is not None:
            cls, message = found
            return cls(message)
    if isinstance(exc, psycopg2.OperationalError | psycopg2.InterfaceError):
        return DatabaseUnavailable(LOST)  # the connection broke (no SQLSTATE to go by)
    return None


def connection_lost(error: KcmapError) -> bool:
    """Whether the connection that raised the error can no longer be used."""
    return type(error) is DatabaseUnavailable
