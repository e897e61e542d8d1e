"""Settings read from environment variables, one class per concern (prefix KCMAP_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
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


class ServerSettings(BaseSettings):
    """HTTP server address."""

    model_config = SettingsConfigDict(env_prefix="KCMAP_")
    host: str = "127.0.0.1"
    port: int = 8000


class MapSettings(BaseSettings):
    """Basemap tiles: a URL template, or 'none' for no basemap."""

    model_config = SettingsConfigDict(env_prefix="KCMAP_")
    tiles: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tiles_attribution: str = (
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    )
