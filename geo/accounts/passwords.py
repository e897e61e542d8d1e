"""Password hashing (argon2id) and random tokens stored only as SHA-256 digests."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from geo.core.errors import InvalidInput

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
TOKEN_PREFIX = "kcm_"
_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the username does not exist, so timing does not reveal it.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def check_password_strength(password: str, username: str | None = None) -> None:
    """Refuse short, overlong, NUL-containing, blank, one-character and username passwords."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự")
    if len(password) > MAX_PASSWORD or "\x00" in password:
        raise InvalidInput("Mật khẩu không hợp lệ")
    if not password.strip():
        raise InvalidInput("Mật khẩu không được chỉ gồm khoảng trắng")
    if len(set(password.casefold())) == 1:
        raise InvalidInput("Mật khẩu không được chỉ lặp lại một ký tự")
    name = (username or "").strip().casefold()
    if name and name in password.casefold():
        raise InvalidInput("Mật khẩu không được chứa tên đăng nhập")


def hash_password(password: str, username: str | None = None) -> str:
    """The argon2id hash of a password (after the strength check)."""
    check_password_strength(password, username)
    return _HASHER.hash(password)


def rehash_password(password: str) -> str:
    """A fresh hash of an already accepted password (no strength check)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; a missing hash costs the same time and fails."""
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def new_token(prefix: str = "") -> str:
    """A fresh random token (256 bits), optionally prefixed."""
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time string comparison."""
    return hmac.compare_digest(a.encode("utf-8", "surrogatepass"), b.encode("utf-8",
                                                                            "surrogatepass"))
