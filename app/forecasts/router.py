"""HTTP for the cash forecast (scope reports:read)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.vocabulary import CUSTOMER_ID_PATTERN, KEY_PATTERN, Currency, Day
from app.forecasts import record, service
from app.forecasts.schemas import (
    AccuracyOut,
    CashForecastOut,
    InvoiceForecastOut,
    RecordedForecastOut,
)
from app.http.dependencies import ClockDep, ReadSession, Reports
from app.http.pages import Cursor, Limit, Page
from app.http.problems import LIST

router = APIRouter(tags=["forecasts"])

AsOf = Annotated[Day | None, Query(description="Known at the end of this day; default today.")]


@router.get("/v1/forecasts/cash", responses=LIST)
def get_cash_forecast(
    who: Reports,
    session: ReadSession,
    clock: ClockDep,
    currency: Annotated[Currency, Query(description="ISO 4217 code.")],
    as_of: AsOf = None,
    weeks: Annotated[int, Query(ge=1, le=52, description="Weeks ahead, 1 to 52.")] = 13,
    segment: Annotated[
        str | None, Query(pattern=KEY_PATTERN, description="Only invoices routed to it.")
    ] = None,
) -> CashForecastOut:
    """Cash expected week by week from the open receivables at as_of; weeks + later = owed."""
    day = as_of or clock.today()
    service.check(session, clock.today(), day, segment, weeks)
    return CashForecastOut.of(service.cash_forecast(session, day, weeks, currency, segment))


@router.get("/v1/forecasts/cash/invoices", responses=LIST)
def get_invoice_forecasts(
    who: Reports,
    session: ReadSession,
    clock: ClockDep,
    as_of: AsOf = None,
    customer_id: Annotated[str | None, Query(pattern=CUSTOMER_ID_PATTERN)] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[InvoiceForecastOut]:
    """Each invoice open at as_of with its expected payment day and, in words, its basis."""
    day = as_of or clock.today()
    service.check(session, clock.today(), day)
    items, next_cursor = service.invoice_forecasts(session, day, customer_id, cursor, limit)
    return Page(items=[InvoiceForecastOut.of(item) for item in items], next_cursor=next_cursor)


@router.get("/v1/forecasts/cash/accuracy", responses=LIST)
def get_forecast_accuracy(
    who: Reports,
    session: ReadSession,
    clock: ClockDep,
    start: Annotated[Day, Query(alias="from", description="First day a forecast was made.")],
    end: Annotated[Day, Query(alias="to", description="Last day a forecast was made.")],
    currency: Annotated[Currency | None, Query(description="ISO 4217 code.")] = None,
) -> AccuracyOut:
    """The forecasts kept each night from..to, each week beside what was then paid."""
    found = record.accuracy(session, start, end, currency, clock.today())
    return AccuracyOut.model_validate(
        {
            "from": start,
            "to": end,
            "currency": currency,
            "forecasts": [RecordedForecastOut.of(item) for item in found],
        }
    )
