"""DSO over time: per calendar month or quarter of a span, overall and per segment.

Each period is measured alone, as GET /v1/kpis/dso would measure it (standard method), from
one set of three queries for the whole span.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.kpis import balances
from app.kpis.dso import Dso, from_balances
from app.kpis.periods import Interval, Period, calendar_periods


@dataclass(frozen=True, slots=True)
class TrendPeriod:
    period: Period
    overall: Dso
    segments: dict[str, Dso]


def dso_trend(
    session: Session, start: date, end: date, currency: str, interval: Interval
) -> list[TrendPeriod]:
    """The DSO of every period; `segments` holds every segment seen in the span, in every
    period (zeros where it had nothing). Imported history has no segment: only in overall."""
    periods = calendar_periods(Period(start, end), interval)
    found = balances.measure(
        session, currency, None, start, [p.end for p in periods], by_segment=True
    )
    total = balances.overall(found, len(periods))
    keys = sorted(key for key in found if key is not None)
    return [
        TrendPeriod(
            period,
            from_balances(period, total, index, currency, None),
            {key: from_balances(period, found[key], index, currency, key) for key in keys},
        )
        for index, period in enumerate(periods)
    ]
