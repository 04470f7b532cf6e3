"""The retry rule: the schedule, Retry-After, and what an outcome makes of an event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from app.deliveries.backoff import max_attempts, parse_retry_after, retry_delay
from app.deliveries.outcomes import Claim, Outcome, Result, settle

SCHEDULE = [5.0, 30.0, 120.0]
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def claim(attempt: int) -> Claim:
    return Claim(1, "evt_1", "net_30", "{}", attempt, "https://hooks.example.com/", ("whsec_x",))


def test_an_event_is_tried_once_plus_once_per_step() -> None:
    assert max_attempts(SCHEDULE) == 4
    assert [retry_delay(SCHEDULE, attempt, None) for attempt in (1, 2, 3)] == SCHEDULE


def test_retry_after_lengthens_a_wait_but_never_past_the_longest_step() -> None:
    assert retry_delay(SCHEDULE, 1, 60.0) == 60.0
    assert retry_delay(SCHEDULE, 1, 1.0) == 5.0  # never sooner than the schedule
    assert retry_delay(SCHEDULE, 1, 86400.0) == 120.0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("120", 120.0),
        (" 7 ", 7.0),
        ("-3", None),
        ("soon", None),
        (format_datetime(NOW + timedelta(seconds=90), usegmt=True), 90.0),
        (format_datetime(NOW - timedelta(seconds=90), usegmt=True), 0.0),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(
    header: str | None, seconds: float | None
) -> None:
    assert parse_retry_after(header, NOW) == seconds


def test_a_delivered_outcome_settles_delivered() -> None:
    settled = settle(Outcome(claim(1), Result.DELIVERED, status=204), SCHEDULE, NOW)
    assert (settled.status, settled.delivered_at, settled.last_error) == ("delivered", NOW, None)


def test_a_failure_before_the_last_attempt_waits_its_step() -> None:
    settled = settle(Outcome(claim(2), Result.FAILED, 503, "HTTP 503"), SCHEDULE, NOW)
    assert (settled.status, settled.metric_result) == ("pending", "failed")
    assert settled.next_attempt_at == NOW + timedelta(seconds=30)
    assert settled.last_error == "HTTP 503"


def test_a_failure_of_the_last_attempt_is_dead() -> None:
    settled = settle(Outcome(claim(4), Result.FAILED, 500, "HTTP 500"), SCHEDULE, NOW)
    assert (settled.status, settled.last_error) == ("dead", "gave up after 4 attempts: HTTP 500")


def test_a_410_is_dead_at_once_and_disables_the_webhook() -> None:
    settled = settle(Outcome(claim(1), Result.GONE, 410, "gone"), SCHEDULE, NOW)
    assert (settled.status, settled.disables_webhook) == ("dead", True)


def test_an_undeliverable_event_is_dead_at_once() -> None:
    outcome = Outcome(claim(1), Result.UNDELIVERABLE, error="refused: private")
    settled = settle(outcome, SCHEDULE, NOW)
    assert (settled.status, settled.disables_webhook) == ("dead", False)
    assert settled.last_error == "refused: private"
