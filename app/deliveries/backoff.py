"""When a failed delivery is tried again, and when it is given up.

`TERMSGATE_WEBHOOK_RETRY_SCHEDULE` lists the waits before each retry, so an event is tried
`len(schedule) + 1` times. A receiver's `Retry-After` (seconds or an HTTP date) lengthens a
wait, never shortens it, and is capped at the schedule's longest step so a receiver cannot
park an event for ever.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def max_attempts(schedule: Sequence[float]) -> int:
    """The first try plus one retry per step."""
    return len(schedule) + 1


def retry_delay(schedule: Sequence[float], attempt: int, retry_after: float | None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    step = schedule[min(max(attempt, 1), len(schedule)) - 1]
    if retry_after is None:
        return step
    return max(step, min(retry_after, max(schedule)))


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds a `Retry-After` header asks for; None when absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        return _until_http_date(text, now)
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


def _until_http_date(text: str, now: datetime) -> float | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is GMT by definition
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
