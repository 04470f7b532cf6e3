"""One Settings object, read from TERMSGATE_* environment variables."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.core.keys import (
    ADMIN,
    COLLECTIONS_WRITE,
    EXCEPTIONS_APPROVE,
    EXCEPTIONS_REQUEST,
    INVOICES_READ,
    INVOICES_WRITE,
    REPORTS_READ,
    SEGMENTS_WRITE,
    TERMS_READ,
)

# The rate-limit bucket of endpoints open to any valid key (segment, workflow, policy reads).
ANY_KEY: Final = "any"


class RateLimit(BaseModel):
    """Per key and scope, per process (app/ratelimits.py): `burst` requests at once, then
    `per_second` on average."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    per_second: float = Field(gt=0, le=1_000_000)
    burst: int = Field(ge=1, le=1_000_000)


# Well above what one process serves of each (README, Rate limits): they stop a runaway
# client, never a legitimate one. terms:read (lookups, checkout decisions) is unlimited.
DEFAULT_RATE_LIMITS: Final[Mapping[str, RateLimit | None]] = {
    TERMS_READ: None,
    # Single routes and payments go in groups: one process serves 400 to 800 a second of them
    # (bench section 6), and a worker the kernel hands more connections, more.
    INVOICES_WRITE: RateLimit(per_second=2000, burst=4000),
    INVOICES_READ: RateLimit(per_second=500, burst=1000),
    SEGMENTS_WRITE: RateLimit(per_second=50, burst=200),
    EXCEPTIONS_REQUEST: RateLimit(per_second=20, burst=100),
    EXCEPTIONS_APPROVE: RateLimit(per_second=20, burst=100),
    REPORTS_READ: RateLimit(per_second=50, burst=200),
    COLLECTIONS_WRITE: RateLimit(per_second=500, burst=1000),
    ANY_KEY: RateLimit(per_second=100, burst=200),
}


def with_defaults(configured: Mapping[str, RateLimit | None]) -> dict[str, RateLimit | None]:
    """The configured limits over the defaults; ValueError naming any scope that has no bucket."""
    if ADMIN in configured:
        raise ValueError(
            "'admin' has no bucket: an admin key draws from the bucket of the scope each "
            "endpoint requires"
        )
    unknown = sorted(set(configured) - set(DEFAULT_RATE_LIMITS))
    if unknown:
        known = ", ".join(sorted(DEFAULT_RATE_LIMITS))
        raise ValueError(f"unknown scope {', '.join(map(repr, unknown))}: the scopes are {known}")
    return {**DEFAULT_RATE_LIMITS, **configured}


class Settings(BaseSettings):
    """Runtime configuration; every field maps to TERMSGATE_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="TERMSGATE_", extra="ignore")

    # A secret (it may hold a password): repr, logs and errors show it as '**********'; the
    # engine and the commands read it with get_secret_value() and print only public_url().
    database_url: SecretStr = SecretStr("sqlite:///./termsgate.db")
    log_level: str = "INFO"
    # Terms cache coherence: how often a process checks the store version (SQLite's only
    # signal; PostgreSQL's safety net behind LISTEN/NOTIFY).
    sync_interval_seconds: float = Field(default=0.25, gt=0, le=60)
    # A snapshot older than this (no successful sync) is served with "stale": true.
    stale_after_seconds: float = Field(default=2.0, gt=0)
    db_pool_size: int = Field(default=10, ge=1, le=200)
    db_timeout_seconds: float = Field(default=5.0, gt=0, le=120)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Per key and scope, per process, as JSON: {"invoices:write":
    # {"per_second": 50, "burst": 100}, "reports:read": null}. What is not named keeps its
    # default; null lifts a limit.
    rate_limits: dict[str, RateLimit | None] = Field(
        default_factory=lambda: dict(DEFAULT_RATE_LIMITS)
    )
    webhook_allow_private: bool = False
    # Seconds to wait before each retry of a failed delivery; after the last one the event is
    # parked as dead. The first retry comes within 10 s (the contract's bound).
    webhook_retry_schedule: list[float] = Field(
        default=[5, 30, 120, 600, 1800, 3600, 7200, 14400], min_length=1, max_length=30
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # After a rotation the previous secret also signs for this long.
    webhook_secret_grace_hours: float = Field(default=24.0, ge=0, le=24 * 30)
    # Whether an API process also runs the relay. `termsgate serve` turns it on unless
    # --no-relay (or this is set); an app built in-process (tests, tools) runs none unless asked.
    relay_in_process: bool = False
    relay_batch_size: int = Field(default=50, ge=1, le=1000)
    relay_concurrency: int = Field(default=8, ge=1, le=64)
    # An event claimed by a relay that then died is retried after this long.
    relay_lease_seconds: float = Field(default=60.0, gt=0)
    relay_idle_poll_seconds: float = Field(default=0.5, gt=0, le=60)

    # A term exception pending longer than this is escalated (a `term_exception.escalated`
    # event to the finance_approvals workflow), once.
    exception_escalate_after_hours: float = Field(default=24.0, gt=0, le=24 * 365)
    # Checkout decisions are recorded in batches, off the hot path, at least this often.
    decision_flush_seconds: float = Field(default=0.2, gt=0, le=10)
    # Decisions held in memory while the store is unreachable; past this, the oldest are
    # dropped (and counted) rather than let checkout run the process out of memory.
    decision_buffer_max: int = Field(default=200_000, ge=1000)
    # An order checkout granted net terms counts against the customer's credit limit until it
    # is invoiced or released, or for this many days at most.
    order_hold_days: int = Field(default=30, ge=1, le=365)
    # A promise to pay holds reminders through its date plus these days; payments dated by
    # then keep it, and once they have passed without them it is broken.
    promise_grace_days: int = Field(default=2, ge=0, le=60)

    # A finance console session (/console/) ends this long after sign-in, checked on the server;
    # sooner at sign-out or when its API key is revoked.
    console_session_hours: float = Field(default=8.0, gt=0, le=24 * 30)

    # The receivables KPI gauges (termsgate_dso_days, termsgate_receivables_open) are
    # recomputed this often, off the event loop; a scrape only reads them.
    kpi_refresh_seconds: float = Field(default=60.0, gt=0, le=86_400)
    # The cash forecast gauges (termsgate_cash_expected_4w, termsgate_cash_forecast_4w_past)
    # fit every customer's pattern afresh: this often, off the event loop.
    forecast_refresh_seconds: float = Field(default=900.0, gt=0, le=86_400)

    @field_validator("rate_limits")
    @classmethod
    def _known_scopes(cls, configured: dict[str, RateLimit | None]) -> dict[str, RateLimit | None]:
        return with_defaults(configured)

    @field_validator("webhook_retry_schedule")
    @classmethod
    def _first_retry_soon(cls, schedule: list[float]) -> list[float]:
        if schedule[0] > 10 or any(delay <= 0 for delay in schedule):
            raise ValueError("retry delays are positive, the first at most 10 seconds")
        return schedule


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
