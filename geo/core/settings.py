"""Settings read from environment variables, one class per concern (prefix KCMAP_)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class HomeSettings(BaseSettings):
    """Where kcmap keeps its local state (the project-local PostGIS cluster, logs)."""

    model_config = SettingsConfigDict(env_prefix="KCMAP_")
    home: Path = Path(".kcmap")
    pg_port: int = 54329


class DatabaseSettings(BaseSettings):
    """How to reach PostGIS; empty url means the project-local cluster."""

    model_config = SettingsConfigDict(env_prefix="KCMAP_")
    url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "KCMAP_DATABASE_URL")
    )
    pool_size: int = 8
    connect_timeout: int = 3


def _cores() -> int:
    return os.cpu_count() or 1


class ServerSettings(BaseSettings):
    """HTTP server address, how many worker processes serve it, the trusted proxies."""

    model_config = SettingsConfigDict(env_prefix="KCMAP_")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default_factory=_cores, ge=1, le=64)  # default: one per core
    # Comma-separated IPs/CIDRs of reverse proxies (e.g. "127.0.0.1" for nginx on the same
    # host); X-Forwarded-For/-Proto are ignored from every other peer. Default: none.
    trusted_proxies: str = ""


class MapSettings(BaseSettings):
    """Basemap tiles: a URL template, a path to a local .mbtiles file (served by the app at
    /tiles/basemap/), or 'none' for no basemap."""

    model_config = SettingsConfigDict(env_prefix="KCMAP_")
    tiles: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tiles_attribution: str = (
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    )
    # A points map with more points than this draws them from vector tiles (/tiles/...)
    # instead of one GeoJSON document.
    tile_threshold: int = Field(default=5000, ge=0)


class AuthSettings(BaseSettings):
    """Accounts and sessions: public maps, cookie flags, lifetimes, limits."""

    model_config = SettingsConfigDict(env_prefix="KCMAP_")
    public_maps: bool = False  # anonymous visitors may see the public maps
    secure_cookies: bool | None = None  # None = auto: Secure except plain http on loopback
    session_hours: int = Field(default=8, ge=1, le=24 * 30)
    login_max_failures: int = Field(default=5, ge=1)  # per username + client address
    login_max_failures_per_ip: int = Field(default=30, ge=1)  # any username, one address
    login_window_minutes: int = Field(default=15, ge=1)
    upload_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)  # any request body
    token_days: int = Field(default=90, ge=1, le=3650)  # lifetime of a new API token

    @field_validator("secure_cookies", mode="before")
    @classmethod
    def _auto(cls, value: object) -> object:
        """'auto' or empty means None (decide per request)."""
        return None if isinstance(value, str) and value.strip().lower() in ("", "auto") \
            else value


class IntakeSettings(BaseSettings):
    """Limits of a spreadsheet import: a file over any of them is refused, nothing written."""

    model_config = SettingsConfigDict(env_prefix="KCMAP_")
    import_max_rows: int = Field(default=200_000, ge=1)  # data rows below the header
    import_max_cell_chars: int = Field(default=32_767, ge=100)  # Excel's own cell limit
    import_max_unzipped_mb: int = Field(default=500, ge=1)  # xlsx parts together; CSV size
    import_max_ratio: int = Field(default=500, ge=10)  # compression of an xlsx part >= 1 MB
    import_max_seconds: int = Field(default=900, ge=1)  # reading and checking the rows
