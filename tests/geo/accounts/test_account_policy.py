"""Password policy, API token expiry and revocation, and a password change ending access."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from geo.accounts import users as accounts
from geo.accounts.passwords import check_password_strength
from geo.accounts.sessions import token_actor
from geo.core.db import SingleConnectionDatabase
from geo.core.errors import InvalidInput, NotFound
from tests.review_helpers import auth_client, login
from tests.world import one

LEAKS = ("Traceback", "SELECT", "psycopg2", "File \"")


@pytest.fixture()
def cli(conn: Any, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner whose commands use the test transaction."""
    monkeypatch.setattr("api.database.database_from_env",
                        lambda *a, **k: SingleConnectionDatabase(conn))
    return CliRunner()


# ---------------------------------------------------------------- password policy


@pytest.mark.parametrize("password, username, words", [
    (" " * 10, None, "khoảng trắng"),
    ("\t \u00a0" * 5, None, "khoảng trắng"),
    ("a" * 12, None, "lặp lại một ký tự"),
    ("AaAaAaAaAaAa", None, "lặp lại một ký tự"),
    ("0000000000", None, "lặp lại một ký tự"),
    ("ke.hoach-524", "ke.hoach-524", "tên đăng nhập"),
    ("KE.HOACH-524", "ke.hoach-524", "tên đăng nhập"),
    ("xx-Ke.Hoach-524-2025", "ke.hoach-524", "tên đăng nhập"),
    ("short", None, "ít nhất 10"),
])
def test_weak_passwords_are_refused_in_vietnamese(password: str, username: str | None,
                                                  words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check_password_strength(password, username)
    assert words in str(err.value)


def test_good_passwords_pass() -> None:
    check_password_strength("mot-mat-khau-dai", "ke.hoach")
    check_password_strength("aaaaaaaaab", None)  # not one repeated character


def test_username_inside_password_is_refused_even_when_short_name() -> None:
    with pytest.raises(InvalidInput):
        check_password_strength("xx-an-mat-khau", "an")


def test_cli_add_and_passwd_refuse_the_username_and_blank(conn: Any, cli: CliRunner) -> None:
    r = cli.invoke(cli_app, ["users", "add", "Ke.Hoach", "--role", "planner"],
                   input="ke.hoach-2025\n")
    assert r.exit_code == 1 and "tên đăng nhập" in r.output
    for word in LEAKS:
        assert word not in r.output
    assert one(conn, "SELECT count(*) FROM app_user") == 0
    assert cli.invoke(cli_app, ["users", "add", "ke.hoach", "--role", "planner"],
                      input="mot-mat-khau-dai\n").exit_code == 0
    before = one(conn, "SELECT password_hash FROM app_user WHERE username = 'ke.hoach'")
    for bad in (" " * 12, "z" * 12, "KE.HOACH.moi.2025"):
        r = cli.invoke(cli_app, ["users", "passwd", "ke.hoach"], input=bad + "\n")
        assert r.exit_code == 1, bad
        assert "Traceback" not in r.output
    assert one(conn, "SELECT password_hash FROM app_user WHERE username = 'ke.hoach'") == before


# ---------------------------------------------------------------- API tokens


def _add(cli: CliRunner, name: str = "script") -> None:
    r = cli.invoke(cli_app, ["users", "add", name, "--role", "viewer"],
                   input="mot-mat-khau-dai\n")
    assert r.exit_code == 0, r.output


def test_token_expires_after_its_days(conn: Any, cli: CliRunner) -> None:
    _add(cli)
    r = cli.invoke(cli_app, ["users", "token", "script", "--days", "7", "--name", "bao cao"])
    assert r.exit_code == 0, r.output
    token = r.output.strip()
    days = one(conn, "SELECT round(extract(epoch FROM expires_at - created_at) / 86400) "
                     "FROM api_token WHERE name = 'bao cao'")
    assert int(days) == 7
    assert token_actor(conn, token) is not None
    c = auth_client(conn)
    headers = {"Authorization": f"Bearer {token}"}
    assert c.get("/api/establishments", headers=headers).status_code == 200
    with conn.cursor() as cur:  # time passes: the token is 8 days old
        cur.execute("UPDATE api_token SET created_at = created_at - interval '8 days', "
                    "expires_at = expires_at - interval '8 days'")
    assert token_actor(conn, token) is None
    assert c.get("/api/establishments", headers=headers).status_code == 401
    listing = cli.invoke(cli_app, ["users", "tokens", "script"])
    assert "hết hạn\t" in listing.output and "bao cao" in listing.output
    assert "token=0" in cli.invoke(cli_app, ["users", "list"]).output


def test_default_lifetime_comes_from_settings(conn: Any, cli: CliRunner,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _add(cli)
    assert cli.invoke(cli_app, ["users", "token", "script"]).exit_code == 0
    monkeypatch.setenv("KCMAP_TOKEN_DAYS", "30")
    assert cli.invoke(cli_app, ["users", "token", "script", "--name", "ngan"]).exit_code == 0
    rows = {r.name: (r.expires_at - r.created_at).days
            for r in accounts.list_tokens(conn, "script")}
    assert rows == {"": 90, "ngan": 30}


@pytest.mark.parametrize("days", ["0", "-3", "100000"])
def test_token_days_out_of_range_refused(conn: Any, cli: CliRunner, days: str) -> None:
    _add(cli)
    r = cli.invoke(cli_app, ["users", "token", "script", "--days", days])
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert one(conn, "SELECT count(*) FROM api_token") == 0


def test_tokens_listing_never_shows_the_secret(conn: Any, cli: CliRunner) -> None:
    _add(cli)
    token = cli.invoke(cli_app, ["users", "token", "script", "--name", "may chu"]).output.strip()
    listing = cli.invoke(cli_app, ["users", "tokens", "script"])
    assert listing.exit_code == 0
    assert token not in listing.output and token[10:30] not in listing.output
    assert "may chu" in listing.output and "còn hiệu lực" in listing.output
    assert cli.invoke(cli_app, ["users", "tokens", "nobody"]).exit_code == 1


def test_revoke_one_token_keeps_the_others(conn: Any, cli: CliRunner) -> None:
    _add(cli)
    first = cli.invoke(cli_app, ["users", "token", "script", "--name", "a"]).output.strip()
    second = cli.invoke(cli_app, ["users", "token", "script", "--name", "b"]).output.strip()
    ids = {t.name: t.id for t in accounts.list_tokens(conn, "script")}
    r = cli.invoke(cli_app, ["users", "revoke-token", str(ids["a"])])
    assert r.exit_code == 0 and "script" in r.output
    assert token_actor(conn, first) is None
    assert token_actor(conn, second) is not None
    states = {t.name: t.state for t in accounts.list_tokens(conn, "script")}
    assert states == {"a": "revoked", "b": "live"}
    for missing in ("999999", "99999999999999999999", "0"):
        r = cli.invoke(cli_app, ["users", "revoke-token", missing])
        assert r.exit_code == 1 and "Traceback" not in r.output, missing
    with pytest.raises(NotFound):
        accounts.revoke_token(conn, 10**30)


def test_password_change_revokes_tokens_and_sessions(conn: Any, cli: CliRunner,
                                                     make_user: Any) -> None:
    user = make_user("planner")
    token = accounts.issue_token(conn, user.username)
    c = auth_client(conn)
    assert login(c, user.username).status_code == 303
    assert c.get("/review").status_code == 200
    r = cli.invoke(cli_app, ["users", "passwd", user.username], input="mat-khau-moi-2026\n")
    assert r.exit_code == 0, r.output
    assert token_actor(conn, token) is None
    assert one(conn, "SELECT count(*) FROM user_session") == 0
    assert c.get("/review", follow_redirects=False).status_code == 303
    assert all(t.state == "revoked" for t in accounts.list_tokens(conn, user.username))
    # a token issued after the change works
    assert token_actor(conn, accounts.issue_token(conn, user.username)) is not None


def test_set_password_directly_revokes_tokens(conn: Any, make_user: Any) -> None:
    user = make_user("viewer")
    token = accounts.issue_token(conn, user.username, days=1)
    accounts.set_password(conn, user.username, "mat-khau-moi-2026")
    assert token_actor(conn, token) is None
