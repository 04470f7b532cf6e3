"""HTTP for a customer: its profile, and the override ops pin on it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.core.vocabulary import CUSTOMER_ID_PATTERN
from app.customers import profile, service
from app.customers.schemas import OverrideIn, OverrideOut, ProfileOut
from app.http.dependencies import (
    AuditReason,
    ClockDep,
    Ops,
    OverrideReader,
    ReadSession,
    Reports,
    WriteSession,
)
from app.http.pages import Cursor, Limit, Page
from app.http.problems import LIST, READ, problems

router = APIRouter(tags=["customers"])
CustomerId = Annotated[str, Path(pattern=CUSTOMER_ID_PATTERN)]
# OpenAPI links: where a customer's override shows, and how it goes.
OVERRIDE_LINKS = {
    name: {"operationId": operation, "parameters": {"customer_id": "$response.body#/customer_id"}}
    for name, operation in (
        ("LookupTerms", "lookup_terms"),
        ("GetCustomer", "get_customer"),
        ("RemoveOverride", "delete_override"),
    )
}


@router.get("/v1/overrides", responses=LIST)
def list_overrides(
    who: OverrideReader,
    session: ReadSession,
    clock: ClockDep,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[OverrideOut]:
    """The overrides in force today, by customer id: who pinned whom to what, why, until when."""
    items, next_cursor = service.overrides(session, clock.today(), cursor=cursor, limit=limit)
    return Page(items=items, next_cursor=next_cursor)


@router.get("/v1/customers/{customer_id}", responses=READ)
def get_customer(
    customer_id: CustomerId, who: Reports, session: ReadSession, clock: ClockDep
) -> ProfileOut:
    """Where the customer stands and why: classification, numbers, receivables, history."""
    return profile.profile(session, customer_id, clock)


@router.put(
    "/v1/customers/{customer_id}/override",
    responses={
        200: {"links": OVERRIDE_LINKS},
        **problems(400, 401, 403, 409, 413, 422, 503),
    },
)
def put_override(
    customer_id: CustomerId, body: OverrideIn, who: Ops, session: WriteSession, clock: ClockDep
) -> OverrideOut:
    """Pin a customer to a segment no looser than the one it has (else 409)."""
    return service.put_override(session, customer_id, body=body, who=who, clock=clock)


@router.delete(
    "/v1/customers/{customer_id}/override",
    status_code=204,
    responses=problems(401, 403, 404, 422, 503),
)
def delete_override(
    customer_id: CustomerId,
    who: Ops,
    session: WriteSession,
    clock: ClockDep,
    reason: AuditReason = None,
) -> None:
    """Remove the override: the customer's assigned segment decides again."""
    service.delete_override(session, customer_id, who=who, clock=clock, reason=reason)
