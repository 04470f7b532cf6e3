"""The service's idea of now: one object, so tests can move time instead of waiting for it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


class Clock:
    """UTC wall clock, optionally shifted (tests move it to make exceptions lapse)."""

    def __init__(self, shift: timedelta = timedelta(0)) -> None:
        self.shift = shift

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift

    def today(self) -> date:
        return self.now().date()
