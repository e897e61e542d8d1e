"""User accounts and API tokens (created by the `kcmap users` commands)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from geo.accounts.authz import ROLES, Actor
from geo.accounts.passwords import TOKEN_PREFIX, hash_password, new_token, token_digest
from geo.core.db import Connection, dict_cursor
from geo.core.errors import InvalidInput, NotFound
from geo.gazetteer.places import check_district

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


@dataclass(frozen=True)
class UserRow:
    """A user as listed by `kcmap users list`."""

    username: str
    role: str
    district_code: str | None
    is_active: bool
    tokens: int


@dataclass(frozen=True)
class TokenRow:
    """An API token as listed by `kcmap users tokens` (never the secret itself)."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def state(self) -> str:
        """'revoked', 'expired' or 'live' (as of the listing)."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= datetime.now(self.expires_at.tzinfo) else "live"


DEFAULT_TOKEN_DAYS = 90  # AuthSettings.token_days is the configured value
MAX_TOKEN_DAYS = 3650
MAX_TOKEN_NAME = 100


def normalise_username(username: str) -> str:
    """Lower-cased, stripped username; InvalidInput unless 2–64 of a-z 0-9 . _ -."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInput("Tên đăng nhập: 2–64 ký tự a-z, 0-9, dấu chấm, gạch dưới, gạch ngang")
    return name


def _check_district(conn: Connection, role: str, district_code: str | None) -> str | None:
    """The district code a role needs (officers only), checked against the gazetteer."""
    if role not in ROLES:
        raise InvalidInput(f"Vai trò phải là một trong: {', '.join(ROLES)} (không phải {role!r})")
    if role != "district_officer":
        if district_code:
            raise InvalidInput("Chỉ vai trò district_officer mới có --district (huyện)")
        return None
    if not district_code:
        raise InvalidInput("Vai trò district_officer cần --district MÃ (mã huyện trước 1/7/2025)")
    check_district(conn, district_code)
    return district_code


def add_user(conn: Connection, username: str, password: str, role: str,
             district_code: str | None = None) -> Actor:
    """Create an active user with an argon2 password hash."""
    name = normalise_username(username)
    district = _check_district(conn, role, district_code)
    hashed = hash_password(password, name)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM app_user WHERE username = %s", (name,))
        if cur.fetchone() is not None:
            raise InvalidInput(f"Người dùng {name!r} đã tồn tại")
        cur.execute("INSERT INTO app_user (username, password_hash, role, district_code) "
                    "VALUES (%s, %s, %s, %s) RETURNING id", (name, hashed, role, district))
        row = cur.fetchone()
    assert row is not None
    return Actor(int(row[0]), name, role, district)


def _user_id(conn: Connection, username: str, active_only: bool = True) -> int:
    """Id of a user by name; NotFound if missing (or disabled, when asked)."""
    name = normalise_username(username)
    with conn.cursor() as cur:
        cur.execute("SELECT id, is_active FROM app_user WHERE username = %s", (name,))
        row = cur.fetchone()
    if row is None or (active_only and not row[1]):
        raise NotFound(f"Không có người dùng đang hoạt động tên {name!r}")
    return int(row[0])


def end_access(conn: Connection, user_id: int) -> None:
    """End every page session and revoke every API token of a user."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM user_session WHERE user_id = %s", (user_id,))
        cur.execute("UPDATE api_token SET revoked_at = now() WHERE user_id = %s "
                    "AND revoked_at IS NULL", (user_id,))


def set_password(conn: Connection, username: str, password: str) -> None:
    """Replace a user's password; their page sessions end and their API tokens are revoked."""
    uid = _user_id(conn, username, active_only=False)
    hashed = hash_password(password, normalise_username(username))
    with conn.cursor() as cur:
        cur.execute("UPDATE app_user SET password_hash = %s WHERE id = %s", (hashed, uid))
    end_access(conn, uid)


def issue_token(conn: Connection, username: str, days: int = DEFAULT_TOKEN_DAYS,
                name: str = "") -> str:
    """A new API token for an active user, valid `days` days; only its digest is stored."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InvalidInput(f"Thời hạn token phải từ 1 đến {MAX_TOKEN_DAYS} ngày")
    label = " ".join(name.split())
    if len(label) > MAX_TOKEN_NAME or "\x00" in label:
        raise InvalidInput(f"Tên token tối đa {MAX_TOKEN_NAME} ký tự")
    uid = _user_id(conn, username)
    token = new_token(TOKEN_PREFIX)
    with conn.cursor() as cur:
        cur.execute("INSERT INTO api_token (user_id, token_hash, prefix, name, expires_at) "
                    "VALUES (%s, %s, %s, %s, now() + %s)",
                    (uid, token_digest(token), token[:10], label, timedelta(days=days)))
    return token


def list_tokens(conn: Connection, username: str) -> list[TokenRow]:
    """Every API token of a user, newest first (ids, names, dates; never the secret)."""
    uid = _user_id(conn, username, active_only=False)
    with conn.cursor() as cur:
        cur.execute("SELECT id, name, prefix, created_at, expires_at, last_used_at, revoked_at "
                    "FROM api_token WHERE user_id = %s ORDER BY id DESC", (uid,))
        rows = cur.fetchall()
    return [TokenRow(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]


def revoke_token(conn: Connection, token_id: int) -> str:
    """Revoke one API token by id; the username it belonged to. NotFound if no such token."""
    if not 0 < token_id < 2**63:
        raise NotFound(f"Không có token số {token_id}")
    with conn.cursor() as cur:
        cur.execute("""
            UPDATE api_token t SET revoked_at = coalesce(t.revoked_at, now())
            FROM app_user u WHERE t.id = %s AND u.id = t.user_id
            RETURNING u.username""", (token_id,))
        row = cur.fetchone()
    if row is None:
        raise NotFound(f"Không có token số {token_id}")
    return str(row[0])


def disable_user(conn: Connection, username: str) -> None:
    """Disable a user: sessions end and API tokens are revoked at once."""
    uid = _user_id(conn, username, active_only=False)
    with conn.cursor() as cur:
        cur.execute("UPDATE app_user SET is_active = false, disabled_at = now() WHERE id = %s",
                    (uid,))
    end_access(conn, uid)


def enable_user(conn: Connection, username: str) -> None:
    """Enable a disabled user again (old tokens stay revoked)."""
    uid = _user_id(conn, username, active_only=False)
    with conn.cursor() as cur:
        cur.execute("UPDATE app_user SET is_active = true, disabled_at = NULL WHERE id = %s",
                    (uid,))


def list_users(conn: Connection) -> list[UserRow]:
    """Every user with role, district, state and number of live API tokens."""
    with dict_cursor(conn) as cur:
        cur.execute("""
            SELECT u.username, u.role, u.district_code, u.is_active,
                   count(t.id) FILTER (WHERE t.revoked_at IS NULL
                                      AND t.expires_at > now()) AS tokens
            FROM app_user u LEFT JOIN api_token t ON t.user_id = u.id
            GROUP BY u.id ORDER BY u.username""")
        rows = cur.fetchall()
    return [UserRow(r["username"], r["role"], r["district_code"], r["is_active"],
                    int(r["tokens"])) for r in rows]
