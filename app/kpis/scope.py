"""What a KPI is asked over: checked before any figure is computed, each refusal a 422."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.core.errors import Invalid
from app.kpis import repository

EARLIEST = date(1900, 1, 1)
TREND_YEARS = 10


def check(
    session: Session,
    start: date,
    end: date,
    segment: str | None = None,
    *,
    max_years: int | None = None,
) -> None:
    """`from` <= `to`, neither before 1900, at most `max_years` apart; a segment that exists
    (or did: one stamped on invoices)."""
    if start < EARLIEST:
        raise _invalid("from", f"from is before {EARLIEST.isoformat()}.")
    if start > end:
        raise _invalid("to", "to is before from.")
    if max_years is not None and end >= _years_after(start, max_years):
        raise _invalid("to", f"The span from..to is longer than {max_years} years.")
    if segment is not None and not repository.segment_known(session, segment):
        raise _invalid("segment", f"Segment '{segment}' is not known.")


def _years_after(day: date, years: int) -> date:
    if day.year + years > date.max.year:
        return date.max
    if (
        day.month == 2 and day.day == 29
    ):  # Feb 29 + years: Feb 28, whether or not that year has a 29th
        day = day.replace(day=28)
    return day.replace(year=day.year + years)


def _invalid(field: str, detail: str) -> Invalid:
    return Invalid(detail, errors=[{"loc": ["query", field], "msg": detail}])
