"""Replaying history: the forecast and the due-date baseline as they would have been made at
past dates, against what was then paid (section 12's WAPE), per currency."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.core.errors import Invalid
from app.forecasts import service
from app.forecasts.model import allocate
from app.forecasts.repository import OpenInvoice

HORIZONS = (1, 4, 13)
WEEKS = max(HORIZONS)


def wape(expected: Sequence[int], actual: Sequence[int], weeks: int) -> float | None:
    """sum_k |expected_k - actual_k| / sum_k actual_k over the first `weeks` weeks (None when
    nothing was paid in them)."""
    paid = sum(actual[:weeks])
    if paid <= 0:
        return None
    return sum(abs(e - a) for e, a in zip(expected[:weeks], actual[:weeks], strict=True)) / paid


@dataclass(slots=True)
class Replay:
    """One as_of in one currency: the weekly figures of both methods and what was paid."""

    as_of: date
    currency: str
    forecast: list[int]
    baseline: list[int]
    actual: list[int]

    def wape(self, method: str, weeks: int) -> float | None:
        return wape(self.forecast if method == "forecast" else self.baseline, self.actual, weeks)


@dataclass(slots=True)
class Backtest:
    replays: list[Replay] = field(default_factory=list)
    seconds: float = 0.0

    def currencies(self) -> list[str]:
        return sorted({replay.currency for replay in self.replays})

    def mean_wape(self, currency: str, method: str, weeks: int) -> float | None:
        """WAPE_weeks averaged over the as_of dates where something was paid in those weeks."""
        found = [
            figure
            for replay in self.replays
            if replay.currency == currency
            for figure in [replay.wape(method, weeks)]
            if figure is not None
        ]
        return sum(found) / len(found) if found else None


def dates_between(start: date, end: date, every_days: int) -> list[date]:
    if start > end:
        raise Invalid("--from is after --to.", errors=[{"loc": ["to"], "msg": "before from"}])
    if every_days < 1:
        raise Invalid("--every must be at least 1 day.", errors=[{"loc": ["every"], "msg": "< 1"}])
    return [start + timedelta(days=k) for k in range(0, (end - start).days + 1, every_days)]


def month_ends(start: date, end: date) -> list[date]:
    """The last days of the months from start's to end's, within [start, end]."""
    found = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        last = date(year, month, 1) - timedelta(days=1)
        if start <= last <= end:
            found.append(last)
    return found


def run(session: Session, dates: Sequence[date]) -> Backtest:
    """Forecast, baseline and actual at each as_of: one fit and three queries a date."""
    began = time.perf_counter()
    result = Backtest()
    for as_of in dates:
        invoices = service.open_invoices(session, as_of)
        if not invoices:
            continue
        known = service.known_at(session, as_of, keep=False)
        paid = service.paid_by_week(session, as_of, WEEKS, None)
        by_currency: dict[str, list[OpenInvoice]] = {}
        for invoice in invoices:
            by_currency.setdefault(invoice.currency, []).append(invoice)
        for currency, owed in sorted(by_currency.items()):
            forecast = [0] * (WEEKS + 1)
            for invoice in owed:
                shares = allocate(invoice.outstanding, known.spread(invoice, WEEKS))
                forecast = [total + share for total, share in zip(forecast, shares, strict=True)]
            baseline = service.baseline_from(owed, as_of, WEEKS)
            actual = paid.get(currency, [0] * WEEKS)
            result.replays.append(
                Replay(as_of, currency, forecast[:WEEKS], baseline[:WEEKS], actual)
            )
    result.seconds = time.perf_counter() - began
    return result


def table(done: Backtest) -> list[str]:
    """The figures as the command prints them: per currency, a row per method."""
    lines = []
    for currency in done.currencies():
        lines.append(f"{currency:<10}" + "".join(f"{f'WAPE_{h}':>9}" for h in HORIZONS))
        for method in ("forecast", "baseline"):
            cells = []
            for weeks in HORIZONS:
                figure = done.mean_wape(currency, method, weeks)
                cells.append(f"{'-' if figure is None else f'{figure:.3f}':>9}")
            lines.append(f"{method:<10}" + "".join(cells))
    if not lines:
        lines.append("nothing was owed at any of those dates")
    return lines
