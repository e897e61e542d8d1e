"""User accounts and API tokens (created by the `kcmap users` commands)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.accounts.authz import ROLES, Actor
from geo.accounts.passwords import TOKEN_PREFIX, hash_password, new_token, token_digest
from geo.core.db import Connection, dict_cursor
from geo.core.errors import InvalidInput, NotFound

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


@dataclass(frozen=True)
class UserRow:
    """A user as listed by `kcmap users list`."""

    username: str
    role: str
    district_code: str | None
    is_active: bool
    tokens: int


def normalise_username(username: str) -> str:
    """Lower-cased, stripped username; InvalidInput unless 2–64 of a-z 0-9 . _ -."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInput("Tên đăng nhập: 2–64 ký tự a-z, 0-9, dấu chấm, gạch dưới, gạch ngang")
    return name


def _check_district(conn: Connection, role: str, district_code: str | None) -> str | None:
    """The district code a role needs (officers only), checked against the gazetteer."""
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if role != "district_officer":
        if district_code:
            raise InvalidInput("--district is only for the district_officer role")
        return None
    if not district_code:
        raise InvalidInput("a district_officer needs --district CODE (legacy district code)")
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM admin_unit WHERE edition = 'legacy' AND level = 'district' "
                    "AND code = %s", (district_code,))
        if cur.fetchone() is None:
            raise InvalidInput(f"unknown legacy district code {district_code!r}")
    return district_code


def add_user(conn: Connection, username: str, password: str, role: str,
             district_code: str | None = None) -> Actor:
    """Create an active user with an argon2 password hash."""
    name = normalise_username(username)
    district = _check_district(conn, role, district_code)
    hashed = hash_password(password)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM app_user WHERE username = %s", (name,))
        if cur.fetchone() is not None:
            raise InvalidInput(f"user {name!r} already exists")
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
        raise NotFound(f"no active user {name!r}")
    return int(row[0])


def set_password(conn: Connection, username: str, password: str) -> None:
    """Replace a user's password and end their page sessions."""
    uid = _user_id(conn, username, active_only=False)
    hashed = hash_password(password)
    with conn.cursor() as cur:
        cur.execute("UPDATE app_user SET password_hash = %s WHERE id = %s", (hashed, uid))
        cur.execute("DELETE FROM user_session WHERE user_id = %s", (uid,))


def issue_token(conn: Connection, username: str) -> str:
    """A new API token for an active user; only its digest is stored."""
    uid = _user_id(conn, username)
    token = new_token(TOKEN_PREFIX)
    with conn.cursor() as cur:
        cur.execute("INSERT INTO api_token (user_id, token_hash, prefix) VALUES (%s, %s, %s)",
                    (uid, token_digest(token), token[:10]))
    return token


def disable_user(conn: Connection, username: str) -> None:
    """Disable a user: sessions end and API tokens are revoked at once."""
    uid = _user_id(conn, username, active_only=False)
    with conn.cursor() as cur:
        cur.execute("UPDATE app_user SET is_active = false, disabled_at = now() WHERE id = %s",
                    (uid,))
        cur.execute("DELETE FROM user_session WHERE user_id = %s", (uid,))
        cur.execute("UPDATE api_token SET revoked_at = now() WHERE user_id = %s "
                    "AND revoked_at IS NULL", (uid,))


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
                   count(t.id) FILTER (WHERE t.revoked_at IS NULL) AS tokens
            FROM app_user u LEFT JOIN api_token t ON t.user_id = u.id
            GROUP BY u.id ORDER BY u.username""")
        rows = cur.fetchall()
    return [UserRow(r["username"], r["role"], r["district_code"], r["is_active"],
                    int(r["tokens"])) for r in rows]
