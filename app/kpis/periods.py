"""Calendar periods for KPIs: a closed range of days, and the months or quarters that cut it."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Literal

Interval = Literal["month", "quarter"]


@dataclass(frozen=True, slots=True)
class Period:
    """The days from `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month_of(day: date) -> Period:
    """The calendar month holding `day`."""
    return Period(day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1]))


def month_before(month: Period) -> Period:
    """The calendar month before `month` (which starts on a first)."""
    return month_of(month.start - timedelta(days=1))


def calendar_periods(span: Period, interval: Interval) -> list[Period]:
    """The calendar months or quarters that meet `span`, each clipped to it, in order."""
    periods: list[Period] = []
    start = span.start
    while start <= span.end:
        month = start.month
        if interval == "quarter":
            month = (start.month - 1) // 3 * 3 + 3
        last = date(start.year, month, monthrange(start.year, month)[1])
        periods.append(Period(start, min(last, span.end)))
        if last >= span.end:
            break
        start = last + timedelta(days=1)
    return periods


def rounded(value: Fraction) -> Decimal:
    """`value` to 2 decimal places, halves away from zero (ROUND_HALF_UP), from the exact ratio."""
    hundredths = value * 100
    whole, rest = divmod(abs(hundredths.numerator), hundredths.denominator)
    if 2 * rest >= hundredths.denominator:
        whole += 1
    return Decimal(-whole if hundredths < 0 else whole).scaleb(-2)
