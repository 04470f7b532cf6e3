"""What one delivery attempt is about, how it ended, and what that means for the event.

A relay claims an event (`Claim`), a delivery thread tries it (`Outcome`), and `settle` turns
the outcome into the event's next state (`Settlement`): delivered; pending again after the
backoff; or dead after the last attempt, a 410, or a target deliveries may not reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.deliveries import backoff

ERROR_LENGTH = 200


class Result(StrEnum):
    DELIVERED = "delivered"  # 2xx
    FAILED = "failed"  # worth trying again: a timeout, a 5xx, a 429, a 3xx...
    GONE = "gone"  # 410: the receiver wants no more; the workflow's webhook is disabled
    UNDELIVERABLE = "undeliverable"  # no webhook, disabled, or a refused address: dead at once


@dataclass(frozen=True, slots=True)
class Claim:
    """An event leased to this relay for one attempt, with its workflow's webhook as it was."""

    id: int
    event_id: str
    workflow_key: str
    body: str
    attempt: int  # 1-based; the claim counted it
    url: str | None
    secrets: tuple[str, ...]  # newest first; the previous one only while its grace lasts
    undeliverable: str | None = None  # why it cannot be sent at all, if so
    traceparent: str | None = None  # of the request that wrote the event, to send on


@dataclass(frozen=True, slots=True)
class Outcome:
    claim: Claim
    result: Result
    status: int | None = None
    error: str | None = None
    retry_after: float | None = None  # seconds the receiver asked for
    elapsed_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class Settlement:
    """The event's new state, applied only if the claim is still the latest one."""

    outcome: Outcome
    status: str  # pending, delivered, dead
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str | None
    disables_webhook: bool = False

    @property
    def metric_result(self) -> str:
        return "failed" if self.status == "pending" else self.status


def settle(outcome: Outcome, schedule: Sequence[float], now: datetime) -> Settlement:
    """The rule: delivered, dead (410, undeliverable, out of attempts), else pending again."""
    claim = outcome.claim
    error = (outcome.error or "failed")[:ERROR_LENGTH]
    if outcome.result is Result.DELIVERED:
        return Settlement(outcome, "delivered", now, now, None)
    if outcome.result is not Result.FAILED:
        return Settlement(outcome, "dead", now, None, error, outcome.result is Result.GONE)
    if claim.attempt < backoff.max_attempts(schedule):
        delay = backoff.retry_delay(schedule, claim.attempt, outcome.retry_after)
        return Settlement(outcome, "pending", now + timedelta(seconds=delay), None, error)
    gave_up = f"gave up after {claim.attempt} attempts: {error}"
    return Settlement(outcome, "dead", now, None, gave_up[:ERROR_LENGTH])
