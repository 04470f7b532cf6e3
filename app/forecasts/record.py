"""The forecast's record: the forecast made each night is kept, week by week, and later set
beside what was then paid, so finance sees how good it was rather than a claim."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.core import metrics
from app.core.clock import Clock
from app.core.models import CashForecastWeek
from app.core.store import Store
from app.forecasts import backtest, repository, service

RECORDED_WEEKS = 13
LATER = -1
# The gauges set the forecast made this many days ago beside what was paid since.
LOOKBACK_DAYS = 28
GAUGE_WEEKS = 4
MAX_SPAN_DAYS = 366


def record(store: Store, clock: Clock, made_on: date | None = None) -> int:
    """Store today's forecast (13 weeks and later, per currency), replacing one made earlier
    the same day; the number of currencies recorded."""
    made_on = made_on or clock.today()
    with store.reading() as session:
        found = service.forecasts_by_currency(session, made_on, RECORDED_WEEKS)
    now = clock.now()
    rows: list[CashForecastWeek] = []
    for currency, forecast in found.items():
        owed = forecast.open_receivables
        for k, week in enumerate(forecast.weeks):
            rows.append(
                CashForecastWeek(
                    made_on=made_on,
                    currency=currency,
                    week=k,
                    starts_on=week.starts_on,
                    ends_on=week.ends_on,
                    expected=week.expected,
                    open_receivables=owed,
                    made_at=now,
                )
            )
        rows.append(
            CashForecastWeek(
                made_on=made_on,
                currency=currency,
                week=LATER,
                starts_on=None,
                ends_on=None,
                expected=forecast.later,
                open_receivables=owed,
                made_at=now,
            )
        )
    with store.recording() as session:
        repository.replace_forecast(session, made_on, rows)
    return len(found)


@dataclass(frozen=True, slots=True)
class WeekRecord:
    starts_on: date
    ends_on: date
    expected: int
    actual: int | None  # None until the week is over


@dataclass(frozen=True, slots=True)
class ForecastRecord:
    made_on: date
    currency: str
    open_receivables: int
    weeks: list[WeekRecord]
    later: int

    def wape(self, weeks: int) -> float | None:
        """WAPE over the first `weeks` weeks, once they are all over (None before, or when
        nothing was paid in them)."""
        done = self.weeks[:weeks]
        if len(done) < weeks or any(week.actual is None for week in done):
            return None
        return backtest.wape(
            [week.expected for week in done], [week.actual or 0 for week in done], weeks
        )


def accuracy(
    session: Session, start: date, end: date, currency: str | None, today: date
) -> list[ForecastRecord]:
    """The forecasts made from start to end, each week beside what was paid in it (weeks not
    over by yesterday have no actual yet)."""
    service.check_span(start, end)
    if (end - start).days >= MAX_SPAN_DAYS:
        raise service.invalid("to", f"from..to spans more than {MAX_SPAN_DAYS} days.")
    stored = repository.stored_forecasts(session, start, end, currency)
    grouped: dict[tuple[date, str], list[CashForecastWeek]] = {}
    for row in stored:
        grouped.setdefault((row.made_on, row.currency), []).append(row)
    paid: dict[date, dict[str, list[int]]] = {}
    found = []
    for (made_on, code), rows in grouped.items():
        if made_on not in paid:
            yesterday = today - timedelta(days=1)
            paid[made_on] = service.paid_by_week(
                session, made_on, RECORDED_WEEKS, currency, until=yesterday
            )
        found.append(_compared(made_on, code, rows, paid[made_on].get(code), today))
    return found


def _compared(
    made_on: date,
    currency: str,
    rows: Sequence[CashForecastWeek],
    paid: list[int] | None,
    today: date,
) -> ForecastRecord:
    weeks = []
    later = 0
    for row in sorted(rows, key=lambda found: found.week):
        if row.week == LATER or row.starts_on is None or row.ends_on is None:
            later = row.expected
            continue
        over = row.ends_on < today
        actual = (paid[row.week] if paid is not None else 0) if over else None
        weeks.append(WeekRecord(row.starts_on, row.ends_on, row.expected, actual))
    owed = rows[0].open_receivables if rows else 0
    return ForecastRecord(made_on, currency, owed, weeks, later)


def refresh_gauges(store: Store, clock: Clock) -> None:
    """Expected cash over the next 4 weeks per currency, and the forecast made 28 days ago
    (the latest kept by then) for its first 4 weeks beside what was paid in them."""
    today = clock.today()
    with store.reading() as session:
        ahead = service.forecasts_by_currency(session, today, GAUGE_WEEKS)
        made_on = repository.latest_forecast_on_or_before(
            session, today - timedelta(days=LOOKBACK_DAYS)
        )
        past = accuracy(session, made_on, made_on, None, today) if made_on else []
    for currency, forecast in ahead.items():
        expected = sum(week.expected for week in forecast.weeks)
        metrics.CASH_EXPECTED.labels(currency=currency).set(expected)
    for currency in set(ahead) - {kept.currency for kept in past}:  # nothing kept to compare
        for figure in ("expected", "actual"):
            metrics.CASH_FORECAST_PAST.labels(currency=currency, figure=figure).set(math.nan)
    for kept in past:
        weeks = kept.weeks[:GAUGE_WEEKS]
        metrics.CASH_FORECAST_PAST.labels(currency=kept.currency, figure="expected").set(
            sum(week.expected for week in weeks)
        )
        metrics.CASH_FORECAST_PAST.labels(currency=kept.currency, figure="actual").set(
            sum(week.actual or 0 for week in weeks)
        )
