"""Customer: where it stands and why (in words against the policy's bounds), its invoices,
tasks, touches, promises, disputes, term exceptions, checkout decisions and history; a request
for an exception or an override where the key may."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from starlette.requests import Request
from starlette.responses import Response

from app.checkout import service as checkout
from app.console.access import (
    Form,
    Posted,
    Viewer,
    may,
    minor_units,
    need,
    refusals,
    render,
    see_other,
    valid,
)
from app.console.context import overdue
from app.contacts import service as contacts
from app.core.keys import (
    COLLECTIONS_WRITE,
    EXCEPTIONS_APPROVE,
    EXCEPTIONS_REQUEST,
    INVOICES_READ,
    REPORTS_READ,
    SEGMENTS_WRITE,
    TERMS_READ,
)
from app.core.vocabulary import CUSTOMER_ID_PATTERN
from app.customers import profile
from app.customers import service as customers
from app.customers.schemas import OverrideIn
from app.http.state import state_of
from app.invoices import ledger
from app.segments import service as segments
from app.term_exceptions import service as term_exceptions
from app.term_exceptions.schemas import TermExceptionIn

router = APIRouter(include_in_schema=False)
SHOWN = 50
CustomerId = Annotated[str, Path(pattern=CUSTOMER_ID_PATTERN)]
Notice = Annotated[str | None, Query(max_length=200)]


@router.get("/customers")
def find_customer(
    request: Request,
    who: Viewer,
    customer_id: Annotated[str | None, Query(max_length=128)] = None,
) -> Response:
    need(who, REPORTS_READ)
    if customer_id:
        return see_other(f"/console/customers/{quote(customer_id.strip(), safe='')}")
    state = state_of(request)
    with state.opened_store().reading() as session:
        due = contacts.day_list(session, state.clock.today(), cursor=None, limit=20)
    return render(request, "customers.html", who, title="Customers", due=due)


@router.get("/customers/{customer_id}")
def customer(
    request: Request, customer_id: CustomerId, who: Viewer, notice: Notice = None
) -> Response:
    need(who, REPORTS_READ)
    state = state_of(request)
    clock = state.clock
    shown: dict[str, Any] = {}
    with state.opened_store().reading() as session, refusals():
        shown["profile"] = profile.profile(session, customer_id, clock)
        if may(who, INVOICES_READ, REPORTS_READ):
            shown["invoices"], _ = ledger.of_customer(
                session, customer_id, status=None, cursor=None, limit=SHOWN
            )
            shown["overdue"] = overdue(shown["invoices"], clock)
        if may(who, COLLECTIONS_WRITE, EXCEPTIONS_APPROVE, REPORTS_READ):
            shown["tasks"], _ = contacts.task_listing(
                session,
                on=clock.today(),
                status="open",
                customer_id=customer_id,
                invoice_id=None,
                cursor=None,
                limit=SHOWN,
            )
            shown["touches"] = contacts.latest_touches(session, customer_id, SHOWN)
            shown["promises"], _ = contacts.promise_listing(
                session, status=None, customer_id=customer_id, cursor=None, limit=SHOWN
            )
            shown["disputes"], _ = contacts.dispute_listing(
                session, status=None, customer_id=customer_id, cursor=None, limit=SHOWN
            )
        shown["exceptions"], _ = term_exceptions.listing(
            session, status=None, customer_id=customer_id, cursor=None, limit=SHOWN, clock=clock
        )
        if may(who, TERMS_READ, REPORTS_READ):
            shown["decisions"], _ = checkout.of_customer(
                session, customer_id, cursor=None, limit=20
            )
        keys, _ = segments.listing(session, None, 100)
    return render(
        request,
        "customer.html",
        who,
        title=f"Customer {customer_id}",
        notice=notice,
        customer_id=customer_id,
        segment_keys=[segment.key for segment in keys],
        may_request=may(who, EXCEPTIONS_REQUEST),
        may_override=may(who, SEGMENTS_WRITE),
        today=clock.today(),
        **shown,
    )


@router.post("/customers/{customer_id}/exception")
def request_exception(request: Request, customer_id: CustomerId, form: Form) -> Response:
    """Ask for looser terms, as `POST /v1/term-exceptions`; finance (another person) decides."""
    need(form.who, EXCEPTIONS_REQUEST)
    state = state_of(request)
    currency, limit = form.get("currency"), form.get("credit_limit")
    with refusals():
        body = valid(
            TermExceptionIn,
            {
                "customer_id": customer_id,
                "segment": form.get("segment"),
                "credit_limit": (
                    {"amount": minor_units(limit, currency), "currency": currency}
                    if limit
                    else None
                ),
                "reason": form.get("reason"),
                "expires_on": form.get("expires_on") or None,
            },
        )
        with state.opened_store().writing() as session:
            asked = term_exceptions.request(
                session, body, who=form.who.principal, clock=state.clock
            )
    return _back(customer_id, f"Exception {asked.id} requested")


@router.post("/customers/{customer_id}/override")
def set_override(request: Request, customer_id: CustomerId, form: Form) -> Response:
    """Pin the customer to a segment no looser than its own, as `PUT .../override`."""
    need(form.who, SEGMENTS_WRITE)
    state = state_of(request)
    with refusals():
        body = valid(OverrideIn, _override_fields(form))
        with state.opened_store().writing() as session:
            customers.put_override(
                session, customer_id, body=body, who=form.who.principal, clock=state.clock
            )
    return _back(customer_id, "Override set")


def _override_fields(form: Posted) -> dict[str, Any]:
    return {
        "segment": form.get("segment"),
        "reason": form.get("reason"),
        "expires_on": form.get("expires_on") or None,
    }


def _back(customer_id: str, notice: str) -> Response:
    return see_other(f"/console/customers/{customer_id}?notice={notice.replace(' ', '+')}")
