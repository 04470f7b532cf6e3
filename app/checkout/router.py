"""HTTP for reading recorded checkout decisions (deciding happens in the edge)."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app.checkout import service
from app.checkout.schemas import DecisionOut, ReleaseOut
from app.core.vocabulary import CUSTOMER_ID_PATTERN, PRINTABLE_PATTERN
from app.http.dependencies import (
    CheckoutReader,
    ClockDep,
    DecisionReader,
    DecisionsRecorded,
    LedgerSession,
    ReadSession,
)
from app.http.pages import Cursor, Limit, Page
from app.http.problems import LIST, problems
from app.http.state import state_of

router = APIRouter(tags=["checkout"])
CustomerId = Annotated[str, Path(pattern=CUSTOMER_ID_PATTERN)]
DecisionId = Annotated[str, Path(max_length=40, pattern=PRINTABLE_PATTERN)]


@router.get(
    "/v1/checkout/decisions/{decision_id}",
    response_model=DecisionOut,
    responses=problems(401, 403, 404, 422, 503),
)
def get_decision(
    decision_id: DecisionId, who: CheckoutReader, request: Request, session: ReadSession
) -> Response:
    """A decision as checkout was answered, inputs included."""
    held = state_of(request).decisions.find(decision_id)
    document = service.decision(session, decision_id, held)
    return Response(orjson.dumps(document), media_type="application/json")


@router.post(
    "/v1/checkout/decisions/{decision_id}/release",
    responses=problems(401, 403, 404, 409, 422, 503),
    dependencies=[DecisionsRecorded],
)
def release_decision(
    decision_id: DecisionId, who: CheckoutReader, session: LedgerSession, clock: ClockDep
) -> ReleaseOut:
    """The order will not be invoiced (cancelled, or paid on order): its net-terms decision
    stops counting against the customer's credit limit, on every process within a second.
    Releasing again answers the same; 409 for a pay-on-order decision or an invoiced order."""
    released = service.release(session, decision_id, now=clock.now(), actor=who.name)
    return ReleaseOut.model_validate(released)


@router.get("/v1/customers/{customer_id}/decisions", responses=LIST)
def list_customer_decisions(
    customer_id: CustomerId,
    who: DecisionReader,
    session: ReadSession,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[DecisionOut]:
    """A customer's checkout decisions, newest first, as checkout was answered."""
    items, next_cursor = service.of_customer(session, customer_id, cursor=cursor, limit=limit)
    return Page[DecisionOut].model_validate({"items": items, "next_cursor": next_cursor})
