"""HTTP for receivables KPIs: DSO, CEI and the DSO trend (scope reports:read)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from starlette.responses import Response

from app.contacts import service as contacts
from app.core.vocabulary import KEY_PATTERN, Currency, Day
from app.http.dependencies import ReadSession, Reports
from app.http.problems import LIST
from app.kpis import cei, dso, scope, spreadsheet, trend
from app.kpis.dso import Method
from app.kpis.periods import Interval
from app.kpis.schemas import CeiOut, ContactKpisOut, DsoOut, TrendOut, TrendPeriodOut

router = APIRouter(tags=["kpis"])

From = Annotated[Day, Query(alias="from", description="First day of the period.")]
To = Annotated[Day, Query(alias="to", description="Last day of the period, included.")]
CurrencyQuery = Annotated[Currency, Query(description="ISO 4217 code.")]
SegmentQuery = Annotated[
    str | None, Query(pattern=KEY_PATTERN, description="Only invoices routed to this segment.")
]
Accept = Annotated[str | None, Header()]
CSV_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"content": {spreadsheet.MEDIA_TYPE: {"schema": {"type": "string"}}}}
}


@router.get("/v1/kpis/dso", responses=LIST)
def get_dso(
    who: Reports,
    session: ReadSession,
    start: From,
    end: To,
    currency: CurrencyQuery,
    segment: SegmentQuery = None,
    method: Method = "standard",
) -> DsoOut:
    """DSO for [from, to], with best possible DSO and ADD (README, Receivables KPIs)."""
    scope.check(session, start, end, segment)
    return DsoOut.of(dso.measure(session, start, end, currency, segment, method))


@router.get("/v1/kpis/cei", responses=LIST)
def get_cei(
    who: Reports,
    session: ReadSession,
    start: From,
    end: To,
    currency: CurrencyQuery,
    segment: SegmentQuery = None,
) -> CeiOut:
    """Collection effectiveness index for [from, to] (README, Receivables KPIs)."""
    scope.check(session, start, end, segment)
    return CeiOut.of(cei.measure(session, start, end, currency, segment))


@router.get("/v1/kpis/dso/trend", response_model=TrendOut, responses={**LIST, **CSV_ANSWER})
def get_dso_trend(
    who: Reports,
    session: ReadSession,
    start: From,
    end: To,
    currency: CurrencyQuery,
    interval: Interval = "month",
    accept: Accept = None,
) -> TrendOut | Response:
    """Standard DSO per calendar month or quarter, overall and per segment; CSV on
    Accept: text/csv. At most 10 years."""
    scope.check(session, start, end, max_years=scope.TREND_YEARS)
    periods = trend.dso_trend(session, start, end, currency, interval)
    if spreadsheet.wants_csv(accept):
        return Response(spreadsheet.trend_csv(periods), media_type=spreadsheet.MEDIA_TYPE)
    return TrendOut.model_validate(
        {
            "from": start,
            "to": end,
            "currency": currency,
            "interval": interval,
            "periods": [TrendPeriodOut.of(found) for found in periods],
        }
    )


@router.get("/v1/kpis/contacts", responses=LIST)
def get_contact_kpis(
    who: Reports,
    session: ReadSession,
    start: From,
    end: To,
    segment: Annotated[
        str | None, Query(pattern=KEY_PATTERN, description="Only touches of this segment.")
    ] = None,
) -> ContactKpisOut:
    """Touches by kind and outcome, issues caught before due, promises and their kept rate,
    disputes and days to resolve, tasks done by their date: overall and per segment."""
    scope.check(session, start, end, segment)
    overall, segments = contacts.contact_kpis(session, start, end, segment)
    return ContactKpisOut.model_validate(
        {"from": start, "to": end, "segment": segment, "overall": overall, "segments": segments}
    )
