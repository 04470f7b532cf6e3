"""Approvals: term exceptions waiting for finance (escalated first) with the customer's
standing, and disputes waiting for a resolution. The decisions go through the same services as
the API's, with the session's key: the same four-eyes rule (by key owner) and audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.requests import Request
from starlette.responses import Response

from app.console.access import (
    Form,
    Refused,
    Viewer,
    may,
    minor_units,
    need,
    refusals,
    render,
    see_other,
    valid,
)
from app.console.context import standing
from app.contacts import service as contacts
from app.contacts.schemas import DisputeOut, ResolveIn
from app.core.keys import COLLECTIONS_WRITE, EXCEPTIONS_APPROVE, EXCEPTIONS_REQUEST, REPORTS_READ
from app.core.vocabulary import CUSTOMER_ID_PATTERN
from app.http.state import state_of
from app.term_exceptions import service as term_exceptions
from app.term_exceptions.schemas import DecisionNoteIn

router = APIRouter(include_in_schema=False)
SHOWN = 50
Notice = Annotated[str | None, Query(max_length=200)]
ItemId = Annotated[str, Path(pattern=CUSTOMER_ID_PATTERN)]


@router.get("/approvals")
def approvals(request: Request, who: Viewer, notice: Notice = None) -> Response:
    need(who, EXCEPTIONS_REQUEST, EXCEPTIONS_APPROVE, REPORTS_READ)
    state = state_of(request)
    clock, now = state.clock, state.clock.now()
    escalate_before = now - timedelta(hours=state.settings.exception_escalate_after_hours)
    with state.opened_store().reading() as session:
        pending, _ = term_exceptions.listing(
            session, status="pending", customer_id=None, cursor=None, limit=SHOWN, clock=clock
        )
        pending.sort(key=lambda row: (row.requested_at > escalate_before, row.requested_at))
        context = {}
        if may(who, REPORTS_READ):
            for customer_id in {row.customer_id for row in pending}:
                context[customer_id] = standing(session, customer_id, clock)
        disputes: list[DisputeOut] = []
        if may(who, COLLECTIONS_WRITE, EXCEPTIONS_APPROVE, REPORTS_READ):
            disputes, _ = contacts.dispute_listing(
                session, status="open", customer_id=None, cursor=None, limit=SHOWN
            )
    return render(
        request,
        "approvals.html",
        who,
        title="Approvals",
        notice=notice,
        pending=pending,
        escalate_before=escalate_before,
        context=context,
        disputes=disputes,
        may_decide=may(who, EXCEPTIONS_APPROVE),
        may_see_context=may(who, REPORTS_READ),
    )


@router.post("/approvals/{exception_id}")
def decide(request: Request, exception_id: ItemId, form: Form) -> Response:
    """Approve or reject, with a note, as `POST /v1/term-exceptions/{id}/approve|reject`."""
    need(form.who, EXCEPTIONS_APPROVE)
    decision = form.get("decision")
    if decision not in ("approve", "reject"):
        raise Refused(422, "Invalid request", "Choose approve or reject.")
    state = state_of(request)
    with refusals():
        body = valid(DecisionNoteIn, {"note": form.get("note") or None})
        decide_with = term_exceptions.approve if decision == "approve" else term_exceptions.reject
        with state.opened_store().writing() as session:
            decided = decide_with(
                session, exception_id, body=body, who=form.who.principal, clock=state.clock
            )
    return see_other(f"/console/approvals?notice=Exception+{decided.id}+{decided.status}")


@router.post("/disputes/{dispute_id}")
def resolve(request: Request, dispute_id: ItemId, form: Form) -> Response:
    """Resolve a dispute, as `POST /v1/disputes/{id}/resolve`: the invoice stands, or a credit
    note (in major units of the dispute's currency) lowers it."""
    need(form.who, EXCEPTIONS_APPROVE)
    state = state_of(request)
    credit = form.get("credit")
    with refusals():
        body = valid(
            ResolveIn,
            {
                "resolution": form.get("resolution"),
                "credit_amount": minor_units(credit, form.get("currency")) if credit else None,
                "note": form.get("note") or None,
            },
        )
        with state.opened_store().ledger() as session:
            resolved = contacts.resolve_dispute(
                session, dispute_id, body, now=state.clock.now(), actor=form.who.principal.name
            )
    return see_other(f"/console/approvals?notice=Dispute+{resolved.id}+resolved")
