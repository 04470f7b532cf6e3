"""The token buckets behind per-key rate limits, on a clock the test moves."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from pydantic import ValidationError

from app.core import metrics
from app.core.config import ANY_KEY, DEFAULT_RATE_LIMITS, RateLimit, Settings
from app.core.errors import RateLimited
from app.core.keys import ADMIN, SCOPES
from app.http import ratelimits
from app.http.ratelimits import RateLimits, ScopeLimit


class FakeClock:
    """time.monotonic, as far as the buckets know; moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def admitted(limit: ScopeLimit, key_name: str, tries: int) -> int:
    count = 0
    for _ in range(tries):
        try:
            limit.admit(key_name)
        except RateLimited:
            continue
        count += 1
    return count


def refusal(limit: ScopeLimit, key_name: str) -> RateLimited:
    with pytest.raises(RateLimited) as refused:
        limit.admit(key_name)
    return refused.value


def test_a_new_key_gets_its_burst_then_one_token_per_interval() -> None:
    clock = FakeClock()
    limit = ScopeLimit("invoices:write", RateLimit(per_second=2, burst=5), clock)

    assert admitted(limit, "billing", 8) == 5
    clock.now += 0.5  # one token back
    assert admitted(limit, "billing", 3) == 1
    clock.now += 0.25  # half a token: not yet
    assert admitted(limit, "billing", 1) == 0
    clock.now += 0.25
    assert admitted(limit, "billing", 1) == 1


def test_an_idle_bucket_holds_no_more_than_its_burst() -> None:
    clock = FakeClock()
    limit = ScopeLimit("invoices:write", RateLimit(per_second=10, burst=3), clock)
    assert admitted(limit, "billing", 3) == 3
    clock.now += 3600
    assert admitted(limit, "billing", 10) == 3


def test_the_refusal_is_a_429_problem_with_retry_after_the_time_a_token_takes() -> None:
    clock = FakeClock()
    limit = ScopeLimit("reports:read", RateLimit(per_second=0.1, burst=1), clock)
    limit.admit("finance")

    error = refusal(limit, "finance")

    assert (error.status, error.slug) == (429, "rate-limited")
    assert error.headers == {
        "Retry-After": "10",
        "RateLimit-Policy": '"reports:read";q=1;w=10',
        "RateLimit": '"reports:read";r=0;t=10',
    }
    assert "'reports:read'" in error.detail
    assert "nothing was done" in error.detail
    clock.now += 7.5  # three quarters of a token: 2.5 s to go, rounded up
    again = refusal(limit, "finance").headers
    assert (again["Retry-After"], again["RateLimit"]) == ("3", '"reports:read";r=0;t=3')
    clock.now += 2.5
    limit.admit("finance")


def test_retry_after_is_at_least_one_second_however_fast_the_refill() -> None:
    clock = FakeClock()
    limit = ScopeLimit("invoices:write", RateLimit(per_second=1000, burst=1), clock)
    limit.admit("billing")
    assert refusal(limit, "billing").headers["Retry-After"] == "1"


def test_keys_and_scopes_have_buckets_of_their_own() -> None:
    clock = FakeClock()
    limits = RateLimits(
        {
            "invoices:write": RateLimit(per_second=1, burst=2),
            "reports:read": RateLimit(per_second=1, burst=2),
        },
        clock,
    )
    for _ in range(2):
        limits.admit("billing", "invoices:write")
    with pytest.raises(RateLimited):
        limits.admit("billing", "invoices:write")

    limits.admit("billing", "reports:read")  # the same key, another scope
    limits.admit("backfill", "invoices:write")  # another key, the same scope


def test_terms_read_is_unlimited_by_default_and_costs_nothing() -> None:
    limits = RateLimits({})
    assert limits.for_scope("terms:read") is None
    for _ in range(10_000):
        limits.admit("checkout", "terms:read")


def test_endpoints_open_to_any_key_draw_from_the_any_bucket() -> None:
    clock = FakeClock()
    limits = RateLimits({ANY_KEY: RateLimit(per_second=1, burst=1)}, clock)
    limits.admit("checkout", None)
    with pytest.raises(RateLimited):
        limits.admit("checkout", None)
    limit = limits.for_scope(None)
    assert limit is not None
    assert limit.scope == ANY_KEY


def test_every_scope_but_admin_has_a_default_and_only_writes_and_reports_are_limited() -> None:
    assert set(DEFAULT_RATE_LIMITS) == (SCOPES - {ADMIN}) | {ANY_KEY}
    assert DEFAULT_RATE_LIMITS["terms:read"] is None
    batch_backfill = DEFAULT_RATE_LIMITS["invoices:write"]
    assert batch_backfill is not None
    # Above one process's single routes (grouped: 400 to 800 a second, bench section 6).
    assert batch_backfill.per_second >= 1000


def test_settings_merge_the_configured_limits_over_the_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "TERMSGATE_RATE_LIMITS",
        '{"invoices:write": {"per_second": 5, "burst": 10}, "reports:read": null,'
        ' "terms:read": {"per_second": 1000, "burst": 2000}}',
    )
    configured = Settings().rate_limits
    assert configured["invoices:write"] == RateLimit(per_second=5, burst=10)
    assert configured["reports:read"] is None
    assert configured["terms:read"] == RateLimit(per_second=1000, burst=2000)
    assert configured["segments:write"] == DEFAULT_RATE_LIMITS["segments:write"]


@pytest.mark.parametrize(
    ("configured", "message"),
    [
        ({"invoice:write": {"per_second": 1, "burst": 1}}, "unknown scope 'invoice:write'"),
        ({"admin": {"per_second": 1, "burst": 1}}, "'admin' has no bucket"),
        ({"invoices:write": {"per_second": 0, "burst": 1}}, "greater than 0"),
        ({"invoices:write": {"per_second": 1, "burst": 0}}, "greater than or equal to 1"),
        ({"invoices:write": {"per_second": 1}}, "Field required"),
        ({"invoices:write": {"per_second": 1, "burst": 1, "per_minute": 5}}, "Extra inputs"),
    ],
)
def test_a_limit_that_means_nothing_refuses_to_start(
    configured: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(rate_limits=configured)


def test_threads_drawing_at_once_take_exactly_the_burst() -> None:
    clock = FakeClock()  # frozen: nothing refills while they draw
    limit = ScopeLimit("invoices:write", RateLimit(per_second=1, burst=500), clock)
    counts: list[int] = []
    start = threading.Barrier(8)

    def draw() -> None:
        start.wait()
        counts.append(admitted(limit, "billing", 200))

    threads = [threading.Thread(target=draw) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(counts) == 500


def test_buckets_that_have_refilled_are_forgotten_past_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ratelimits, "BUCKETS_MAX", 10)
    clock = FakeClock()
    limit = ScopeLimit("invoices:write", RateLimit(per_second=1, burst=2), clock)
    for n in range(10):
        limit.admit(f"key-{n}")
    clock.now += 5  # every one of those is full again
    limit.admit("drained")
    limit.admit("drained")
    assert len(limit._buckets) == 1  # only the bucket that still remembers something
    with pytest.raises(RateLimited):
        limit.admit("drained")


def test_each_refusal_is_counted_under_its_scope() -> None:
    series = metrics.RATE_LIMITED.labels(scope="exceptions:request")
    before = series._value.get()
    clock = FakeClock()
    limit = ScopeLimit("exceptions:request", RateLimit(per_second=1, burst=1), clock)
    limit.admit("sales")
    for _ in range(3):
        refusal(limit, "sales")
    assert series._value.get() == before + 3


def test_reading_the_settings_loads_no_metrics_before_serve_chooses_their_directory() -> None:
    """`termsgate serve` sets PROMETHEUS_MULTIPROC_DIR after reading the settings, and
    prometheus-client reads it on import: the settings (rate limits included) must not import it."""
    probe = "import sys, app.cli.main; sys.exit('prometheus_client' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], timeout=60, check=False).returncode == 0


def test_the_policy_is_the_scope_its_burst_and_the_seconds_an_empty_bucket_takes_to_fill() -> None:
    assert ScopeLimit("invoices:write", RateLimit(per_second=500, burst=1000)).policy == (
        '"invoices:write";q=1000;w=2'
    )
    assert ScopeLimit(ANY_KEY, RateLimit(per_second=3, burst=10)).policy == '"any";q=10;w=4'
