"""Logins (rate-limited in the database), page sessions and API token look-ups.

Rate limit: a login is refused, without checking the password, while the (username, client
address) pair has `login_max_failures` failures within the last `login_window_minutes`, or
the address has `login_max_failures_per_ip` failures for any usernames. Failures are rows in
`login_failure`, so the limit holds across workers and restarts; a success clears the pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from geo.accounts.authz import Actor
from geo.accounts.passwords import (
    needs_rehash,
    new_token,
    rehash_password,
    token_digest,
    verify_password,
)
from geo.core.db import Connection
from geo.core.settings import AuthSettings

MAX_USERNAME = 200


@dataclass(frozen=True)
class Session:
    """A page session: the cookie token (given to the browser once) and its CSRF token."""

    token: str
    csrf_token: str
    actor: Actor


@dataclass(frozen=True)
class LoginResult:
    """Outcome of a login attempt: an actor, or why not ('invalid' or 'limited')."""

    actor: Actor | None
    reason: str = ""


def _failures(conn: Connection, username: str, ip: str, minutes: int) -> tuple[int, int]:
    """Failures of the (username, ip) pair and of the ip alone within the window."""
    with conn.cursor() as cur:
        cur.execute("""
            SELECT count(*) FILTER (WHERE username = %(u)s), count(*)
            FROM login_failure
            WHERE ip = %(ip)s AND at > now() - make_interval(mins => %(m)s)""",
                    {"u": username, "ip": ip, "m": minutes})
        row = cur.fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _record_failure(conn: Connection, username: str, ip: str, minutes: int) -> None:
    """Store one failure and forget failures well outside any window."""
    with conn.cursor() as cur:
        cur.execute("INSERT INTO login_failure (username, ip) VALUES (%s, %s)", (username, ip))
        cur.execute("DELETE FROM login_failure WHERE at < now() - make_interval(mins => %s)",
                    (minutes * 4,))


def authenticate(conn: Connection, username: str, password: str, ip: str,
                 settings: AuthSettings) -> LoginResult:
    """Check a password login under the rate limit; failures are recorded (commit them)."""
    name = username.strip().lower()[:MAX_USERNAME]
    pair, per_ip = _failures(conn, name, ip, settings.login_window_minutes)
    if pair >= settings.login_max_failures or per_ip >= settings.login_max_failures_per_ip:
        return LoginResult(None, "limited")
    with conn.cursor() as cur:
        cur.execute("SELECT id, password_hash, role, district_code FROM app_user "
                    "WHERE username = %s AND is_active", (name,))
        row = cur.fetchone()
    if not verify_password(row[1] if row else None, password) or row is None:
        _record_failure(conn, name, ip, settings.login_window_minutes)
        return LoginResult(None, "invalid")
    uid, stored, role, district = row
    with conn.cursor() as cur:
        cur.execute("DELETE FROM login_failure WHERE username = %s AND ip = %s", (name, ip))
        if needs_rehash(stored):
            cur.execute("UPDATE app_user SET password_hash = %s WHERE id = %s",
                        (rehash_password(password), uid))
    return LoginResult(Actor(int(uid), name, role, district))


def start_session(conn: Connection, actor: Actor, settings: AuthSettings) -> Session:
    """A new page session for a logged-in actor; expired sessions are cleaned up."""
    token, csrf = new_token(), new_token()
    with conn.cursor() as cur:
        cur.execute("DELETE FROM user_session WHERE expires_at < now()")
        cur.execute("INSERT INTO user_session (token_hash, user_id, csrf_token, expires_at) "
                    "VALUES (%s, %s, %s, now() + %s)",
                    (token_digest(token), actor.user_id, csrf,
                     timedelta(hours=settings.session_hours)))
    return Session(token, csrf, actor)


def session_for(conn: Connection, token: str) -> Session | None:
    """The live session of a cookie token whose user is active, or None."""
    with conn.cursor() as cur:
        cur.execute("""
            SELECT s.csrf_token, u.id, u.username, u.role, u.district_code
            FROM user_session s JOIN app_user u ON u.id = s.user_id
            WHERE s.token_hash = %s AND s.expires_at > now() AND u.is_active""",
                    (token_digest(token),))
        row = cur.fetchone()
    if row is None:
        return None
    csrf, uid, name, role, district = row
    return Session(token, csrf, Actor(int(uid), name, role, district))


def end_session(conn: Connection, token: str) -> None:
    """Delete a page session (logout)."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM user_session WHERE token_hash = %s", (token_digest(token),))


def token_actor(conn: Connection, token: str) -> Actor | None:
    """The active user of a live (not revoked, not expired) API token, or None.

    Its last use is recorded."""
    with conn.cursor() as cur:
        cur.execute("""
            UPDATE api_token t SET last_used_at = now()
            FROM app_user u
            WHERE t.token_hash = %s AND t.revoked_at IS NULL AND t.expires_at > now()
                  AND u.id = t.user_id
                  AND u.is_active
            RETURNING u.id, u.username, u.role, u.district_code""", (token_digest(token),))
        row = cur.fetchone()
    if row is None:
        return None
    uid, name, role, district = row
    return Actor(int(uid), name, role, district)
