"""Receivables: the DSO trend per segment, ageing, collections by sales owner and the contact
KPIs, as SVG charts with their numbers in a table and as CSV; read through the same functions
as `GET /v1/kpis/...`. The last twelve months, in the policy's currency unless asked."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Annotated, Final

from fastapi import APIRouter, Path, Query
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from app.console import charts, forecast
from app.console.access import Viewer, major, need, refusals, render
from app.console.charts import Chart
from app.contacts import service as contacts
from app.core.clock import Clock
from app.core.keys import REPORTS_READ
from app.core.vocabulary import Currency
from app.http.state import AppState, state_of
from app.kpis import trend
from app.receivables import ageing, collections
from app.receivables.schemas import AgeingBuckets, Tally
from app.segmentation import policy

router = APIRouter(include_in_schema=False)
CHARTS: Final = ("dso", "ageing", "collections", "contacts", "forecast", "forecast-record")
CurrencyQuery = Annotated[Currency | None, Query()]
ChartName = Annotated[str, Path(pattern="^(" + "|".join(CHARTS) + ")$")]


@router.get("/receivables")
def receivables(request: Request, who: Viewer, currency: CurrencyQuery = None) -> Response:
    need(who, REPORTS_READ)
    state = state_of(request)
    with state.opened_store().reading() as session, refusals():
        chosen = currency or policy.in_force(session).currency
        drawn = [DRAWN.get(session, name, chosen, state) for name in CHARTS]
    return render(
        request,
        "receivables.html",
        who,
        title="Receivables",
        charts=drawn,
        drawn_at=min(chart.drawn_at for chart in drawn),
        currency=chosen,
    )


@router.get("/receivables/{name}.csv")
def chart_csv(
    request: Request, name: ChartName, who: Viewer, currency: CurrencyQuery = None
) -> Response:
    need(who, REPORTS_READ)
    state = state_of(request)
    with state.opened_store().reading() as session, refusals():
        chosen = currency or policy.in_force(session).currency
        chart = DRAWN.get(session, name, chosen, state)
    return Response(
        chart.csv(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}-{chosen}.csv"'},
    )


class Drawn:
    """Charts drawn in this process in the last `kpi_refresh_seconds` (as the KPI gauges are
    refreshed): the DSO trend alone reads a year of balances, so the page and its CSV links
    show the same figures, drawn at most once a period per chart and currency."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._drawn: dict[tuple[int, str, str, date], tuple[float, Chart]] = {}

    def get(self, session: Session, name: str, currency: str, state: AppState) -> Chart:
        key = (id(state), name, currency, state.clock.today())
        now = time.monotonic()
        with self._lock:
            found = self._drawn.get(key)
        if found is not None and now - found[0] < state.settings.kpi_refresh_seconds:
            return found[1]
        chart = draw(session, name, currency, state.clock)
        with self._lock:
            self._drawn = {k: v for k, v in self._drawn.items() if now - v[0] < 3600}
            self._drawn[key] = (now, chart)
        return chart


DRAWN = Drawn()


def span(today: date) -> tuple[date, date]:
    """From the first day of the month eleven months back, to today."""
    months = today.year * 12 + today.month - 1 - 11
    return date(months // 12, months % 12 + 1, 1), today


def draw(session: Session, name: str, currency: str, clock: Clock) -> Chart:
    start, end = span(clock.today())
    if name == "dso":
        return _dso(session, start, end, currency)
    if name == "ageing":
        return _ageing(session, end, currency)
    if name == "collections":
        return _collections(session, start, end, currency, clock)
    if name == "forecast":
        return forecast.expected(session, end, currency, _unit(currency))
    if name == "forecast-record":
        return forecast.against_actuals(session, end, currency, _unit(currency))
    return _contacts(session, start, end)


def _days(value: object) -> float | None:
    return None if value is None else round(float(value), 1)  # type: ignore[arg-type]


def _dso(session: Session, start: date, end: date, currency: str) -> Chart:
    periods = trend.dso_trend(session, start, end, currency, "month")
    labels = [found.period.start.strftime("%Y-%m") for found in periods]
    series: dict[str, list[float | None]] = {"overall": [_days(p.overall.dso) for p in periods]}
    for key in periods[0].segments if periods else ():
        series[key] = [_days(p.segments[key].dso) for p in periods]
    rows = [
        (found.period.start.isoformat(), found.period.end.isoformat(), scope, dso.credit_sales,
         dso.receivables_end, _days(dso.dso), _days(dso.best_possible_dso))
        for found in periods
        for scope, dso in [("overall", found.overall), *found.segments.items()]
    ]  # fmt: skip
    title = f"DSO per month and segment ({currency}, days)"
    return Chart(
        "dso",
        title,
        charts.lines(title, labels, series, " d"),
        ("from", "to", "segment", "credit_sales", "receivables_end", "dso", "best_possible_dso"),
        rows,
    )


def _ageing(session: Session, today: date, currency: str) -> Chart:
    found = ageing.ageing(session, today, currency)
    names = ("current", "1-30", "31-60", "61-90", "over 90")

    def tallies(buckets: AgeingBuckets) -> list[Tally]:
        return [buckets.current, buckets.days_1_30, buckets.days_31_60, buckets.days_61_90,
                buckets.over_90]  # fmt: skip

    overall = tallies(found.buckets)
    rows: list[tuple[str, str, int, int]] = [
        ("overall", bucket, tally.count, tally.sum.amount)
        for bucket, tally in zip(names, overall, strict=True)
    ]
    for segment in found.segments:
        rows += [
            (segment.segment or "unrouted", bucket, tally.count, tally.sum.amount)
            for bucket, tally in zip(names, tallies(segment.buckets), strict=True)
        ]
    title = f"Open receivables by days past due, {today} ({currency})"
    bars = [
        (bucket, tally.sum.amount / _unit(currency))
        for bucket, tally in zip(names, overall, strict=True)
    ]
    return Chart(
        "ageing",
        title,
        charts.bars(title, bars),
        ("segment", "bucket", "invoices", "amount_minor_units"),
        rows,
    )


def _unit(currency: str) -> int:
    digits = major(1, currency).partition(".")[2]
    return int(10 ** len(digits))


def _collections(session: Session, start: date, end: date, currency: str, clock: Clock) -> Chart:
    found = collections.collections_by_owner(session, start, end, currency, "month", clock)
    invoiced: dict[str, int] = {}
    collected: dict[str, int] = {}
    for item in found.items:
        invoiced[item.owner] = invoiced.get(item.owner, 0) + item.invoiced.amount
        collected[item.owner] = collected.get(item.owner, 0) + item.collected_by_due.amount
    bars = [
        (owner, 100 * collected[owner] / amount if amount else 0.0)
        for owner, amount in sorted(invoiced.items())
    ]
    rows = [
        (item.owner, item.period_from.isoformat(), item.period_to.isoformat(), item.invoices,
         item.invoiced.amount, item.collected_by_due.amount,
         None if item.share is None else round(item.share, 4))
        for item in found.items
    ]  # fmt: skip
    title = f"Invoicing collected by its due date, by sales owner ({currency}, %)"
    return Chart(
        "collections",
        title,
        charts.bars(title, bars, "%"),
        ("owner", "from", "to", "invoices", "invoiced", "collected_by_due", "share"),
        rows,
    )


def _contacts(session: Session, start: date, end: date) -> Chart:
    overall, _segments = contacts.contact_kpis(session, start, end, None)
    outcomes = sorted(overall.touches_by_outcome.items())
    rows: list[tuple[str, str, float | int | None]] = [
        ("touches_by_outcome", outcome, count) for outcome, count in outcomes
    ]
    rows += [
        ("touches_by_kind", kind, count) for kind, count in sorted(overall.touches_by_kind.items())
    ]
    rows += [
        ("issues_caught_before_due", "count", overall.issues_caught_before_due.count),
        ("promises", "made", overall.promises.made),
        ("promises", "kept", overall.promises.kept),
        ("promises", "broken", overall.promises.broken),
        ("promises", "kept_rate", overall.promises.kept_rate),
        ("disputes", "opened", overall.disputes.opened),
        ("disputes", "resolved", overall.disputes.resolved),
        ("disputes", "mean_days_to_resolve", overall.disputes.mean_days_to_resolve),
        ("tasks", "due", overall.tasks.due),
        ("tasks", "done_on_date", overall.tasks.done_on_date),
        ("tasks", "done_on_date_share", overall.tasks.done_on_date_share),
    ]
    title = f"Touches by outcome, {start} to {end}"
    return Chart(
        "contacts",
        title,
        charts.bars(title, [(outcome, float(count)) for outcome, count in outcomes]),
        ("kpi", "item", "value"),
        rows,
    )
