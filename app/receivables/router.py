"""HTTP for the receivables reports (scope reports:read)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.vocabulary import Currency, Day
from app.http.dependencies import ClockDep, ReadSession, Reports
from app.http.problems import LIST
from app.receivables import ageing, collections
from app.receivables.schemas import AgeingOut, CollectionsOut, Interval

router = APIRouter(tags=["kpis"])

CurrencyQuery = Annotated[Currency, Query(description="ISO 4217 code.")]


@router.get("/v1/kpis/ageing", responses=LIST)
def get_ageing(
    who: Reports,
    session: ReadSession,
    clock: ClockDep,
    currency: CurrencyQuery,
    as_of: Annotated[Day | None, Query(description="Defaults to today.")] = None,
) -> AgeingOut:
    """Open receivables at as_of by days past due, overall and per segment."""
    return ageing.ageing(session, as_of or clock.today(), currency)


@router.get("/v1/kpis/collections-by-owner", responses=LIST)
def get_collections_by_owner(
    who: Reports,
    session: ReadSession,
    clock: ClockDep,
    start: Annotated[Day, Query(alias="from", description="First issue date counted.")],
    end: Annotated[Day, Query(alias="to", description="Last issue date counted.")],
    currency: CurrencyQuery,
    interval: Annotated[Interval, Query(description="Calendar months or quarters.")] = "month",
) -> CollectionsOut:
    """Per sales owner and period, the share of invoicing paid by the due date."""
    return collections.collections_by_owner(session, start, end, currency, interval, clock)
