"""The cash forecast on the receivables page: cash expected week by week from today's open
receivables (`GET /v1/forecasts/cash`), and the oldest forecast kept in the last eight weeks
beside what was then paid (`GET /v1/forecasts/cash/accuracy`)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.console import charts
from app.console.charts import Chart
from app.forecasts import record, service

WEEKS = 13
RECORD_DAYS = 56


def expected(session: Session, today: date, currency: str, unit: int) -> Chart:
    found = service.cash_forecast(session, today, WEEKS, currency, None)
    bars = [(week.starts_on.strftime("%m-%d"), week.expected / unit) for week in found.weeks]
    rows: list[tuple[str, str, int]] = [
        (week.starts_on.isoformat(), week.ends_on.isoformat(), week.expected)
        for week in found.weeks
    ]
    rows.append(("later", "", found.later))
    title = f"Cash expected per week from today's open receivables ({currency})"
    return Chart(
        "forecast",
        title,
        charts.bars(title, bars),
        ("from", "to", "expected_minor_units"),
        rows,
    )


def against_actuals(session: Session, today: date, currency: str, unit: int) -> Chart:
    kept = record.accuracy(session, today - timedelta(days=RECORD_DAYS), today, currency, today)
    oldest = min(kept, key=lambda made: made.made_on) if kept else None
    weeks = oldest.weeks if oldest is not None else []
    labels = [week.starts_on.strftime("%m-%d") for week in weeks]
    series: dict[str, list[float | None]] = {
        "expected": [week.expected / unit for week in weeks],
        "paid": [None if week.actual is None else week.actual / unit for week in weeks],
    }
    made = f"made {oldest.made_on}" if oldest is not None else "none kept yet"
    title = f"The forecast {made}, beside what was paid ({currency})"
    return Chart(
        "forecast-record",
        title,
        charts.lines(title, labels, series),
        ("from", "to", "expected_minor_units", "paid_minor_units"),
        [(w.starts_on.isoformat(), w.ends_on.isoformat(), w.expected, w.actual) for w in weeks],
    )
