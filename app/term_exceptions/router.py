"""HTTP for term exceptions: sales requests, finance approves or rejects, all may read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from app.core.vocabulary import CUSTOMER_ID_PATTERN, PRINTABLE_PATTERN
from app.http.dependencies import (
    ClockDep,
    ExceptionReader,
    Finance,
    ReadSession,
    Sales,
    WriteSession,
)
from app.http.idempotency import IdempotencyKey, json_answer, once
from app.http.pages import Cursor, Limit, Page
from app.http.problems import LIST, READ, problems
from app.term_exceptions import service
from app.term_exceptions.schemas import DecisionNoteIn, Status, TermExceptionIn, TermExceptionOut

router = APIRouter(tags=["term exceptions"])
ExceptionId = Annotated[str, Path(max_length=40, pattern=PRINTABLE_PATTERN)]
# OpenAPI link: an approval shows in the customer's terms at once.
DECIDED = {
    "LookupTerms": {
        "operationId": "lookup_terms",
        "parameters": {"customer_id": "$response.body#/customer_id"},
    }
}
DECIDE = {200: {"links": DECIDED}, **problems(400, 401, 403, 404, 409, 413, 422, 503)}


@router.post(
    "/v1/term-exceptions",
    status_code=201,
    response_model=TermExceptionOut,
    responses=problems(400, 401, 403, 409, 413, 422, 503),
)
def request_term_exception(
    body: TermExceptionIn,
    who: Sales,
    session: WriteSession,
    clock: ClockDep,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Ask finance to treat a customer as a looser segment (pending until decided)."""
    return once(
        session,
        idempotency_key,
        who=who,
        request=request,
        body=body,
        clock=clock,
        work=lambda: json_answer(service.request(session, body, who=who, clock=clock), 201),
    )


@router.post(
    "/v1/term-exceptions/{exception_id}/approve", response_model=TermExceptionOut, responses=DECIDE
)
def approve_term_exception(
    exception_id: ExceptionId,
    who: Finance,
    session: WriteSession,
    clock: ClockDep,
    request: Request,
    body: DecisionNoteIn | None = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Approve a pending exception another person's key requested: it sets the customer's terms."""
    return once(
        session,
        idempotency_key,
        who=who,
        request=request,
        body=body,
        clock=clock,
        work=lambda: json_answer(
            service.approve(session, exception_id, body=body, who=who, clock=clock)
        ),
    )


@router.post(
    "/v1/term-exceptions/{exception_id}/reject", response_model=TermExceptionOut, responses=DECIDE
)
def reject_term_exception(
    exception_id: ExceptionId,
    who: Finance,
    session: WriteSession,
    clock: ClockDep,
    request: Request,
    body: DecisionNoteIn | None = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Reject a pending exception requested by another person's key."""
    return once(
        session,
        idempotency_key,
        who=who,
        request=request,
        body=body,
        clock=clock,
        work=lambda: json_answer(
            service.reject(session, exception_id, body=body, who=who, clock=clock)
        ),
    )


@router.get("/v1/term-exceptions", responses=LIST)
def list_term_exceptions(
    who: ExceptionReader,
    session: ReadSession,
    clock: ClockDep,
    status: Annotated[Status | None, Query(description="As callers see it today.")] = None,
    customer_id: Annotated[str | None, Query(pattern=CUSTOMER_ID_PATTERN)] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[TermExceptionOut]:
    """Exceptions, oldest request first."""
    items, next_cursor = service.listing(
        session, status=status, customer_id=customer_id, cursor=cursor, limit=limit, clock=clock
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get("/v1/term-exceptions/{exception_id}", responses=READ)
def get_term_exception(
    exception_id: ExceptionId, who: ExceptionReader, session: ReadSession, clock: ClockDep
) -> TermExceptionOut:
    """One exception, with the status callers see today."""
    return service.get(session, exception_id, clock)
