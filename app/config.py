"""One Settings object, read from TERMSGATE_* environment variables."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Runtime configuration; every field maps to TERMSGATE_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="TERMSGATE_", extra="ignore")

    database_url: str = "sqlite:///./termsgate.db"
    log_level: str = "INFO"
    # Terms cache coherence: how often a process checks the store version (SQLite's only
    # signal; PostgreSQL's safety net behind LISTEN/NOTIFY).
    sync_interval_seconds: float = Field(default=0.25, gt=0, le=60)
    # A snapshot older than this (no successful sync) is served with "stale": true.
    stale_after_seconds: float = Field(default=2.0, gt=0)
    db_pool_size: int = Field(default=10, ge=1, le=200)
    db_timeout_seconds: float = Field(default=5.0, gt=0, le=120)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    webhook_allow_private: bool = False


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
