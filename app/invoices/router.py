"""HTTP for invoice routing and payments."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.core.errors import NotFound
from app.core.vocabulary import CUSTOMER_ID_PATTERN
from app.http.dependencies import (
    Billing,
    BillingReader,
    ClockDep,
    DecisionsRecorded,
    InvoiceReader,
    LedgerSession,
    ReadSession,
    StoreDep,
)
from app.http.pages import Cursor, Limit, Page
from app.http.problems import LIST, READ, problems
from app.invoices import ledger, payments, repository, service, writes
from app.invoices.schemas import (
    BatchIn,
    BatchOut,
    InvoiceIn,
    InvoiceOut,
    PaymentIn,
    PaymentOut,
    RouteOut,
    RouteStatusOut,
)

router = APIRouter(tags=["invoices"])
InvoiceId = Annotated[str, Path(pattern=CUSTOMER_ID_PATTERN)]
REPLAYED = {"Idempotent-Replayed": "true"}
# OpenAPI links: what a client (and the stateful fuzzer) can do next with what it got back.
TO_ROUTE = {
    "GetRoute": {
        "operationId": "get_route",
        "parameters": {"invoice_id": "$response.body#/invoice_id"},
    }
}
ROUTE_LINKS = {
    **TO_ROUTE,
    "PayInvoice": {
        "operationId": "record_payment",
        "requestBody": {
            "invoice_id": "$response.body#/invoice_id",
            "currency": "$response.body#/currency",
        },
    },
}
ROUTE_ANSWERS: dict[int | str, dict[str, Any]] = {
    201: {"model": RouteOut, "description": "Routed", "links": ROUTE_LINKS},
    200: {
        "model": RouteOut,
        "description": "The same request again: the original route",
        "links": ROUTE_LINKS,
    },
    **problems(400, 401, 403, 409, 413, 422, 503),
}


@router.post(
    "/v1/invoice-routes",
    status_code=201,
    responses=ROUTE_ANSWERS,
    dependencies=[DecisionsRecorded],
)
async def route_invoice(
    body: InvoiceIn, who: Billing, store: StoreDep, clock: ClockDep
) -> Response:
    """Route one invoice to its segment's workflow (idempotent by invoice_id)."""
    document, replayed = await writes.route(store, body, who.name, clock.now())
    return _json(document, 200 if replayed else 201, REPLAYED if replayed else None)


@router.post(
    "/v1/invoice-routes/batch",
    responses={200: {"model": BatchOut}, **problems(400, 401, 403, 413, 422, 503)},
    dependencies=[DecisionsRecorded],
)
def route_invoices(
    body: BatchIn, who: Billing, session: LedgerSession, clock: ClockDep
) -> Response:
    """Up to 1000 invoices in one transaction; each answered as the single call would be."""
    outcomes = service.route_batch(session, body.invoices, now=clock.now(), actor=who.name)
    writes.count_when_committed(session, outcomes)
    results = [
        {"invoice_id": o.invoice_id, "status": o.status}
        | ({"route": o.document} if o.document is not None else {"error": o.error})
        for o in outcomes
    ]
    return _json({"results": results}, 200)


@router.get("/v1/invoice-routes/{invoice_id}", responses=problems(401, 403, 404, 422, 503))
def get_route(invoice_id: InvoiceId, who: BillingReader, session: ReadSession) -> RouteStatusOut:
    """A routed invoice: its route, whether it is paid, and what is outstanding."""
    invoice = repository.invoice(session, invoice_id)
    if invoice is None or invoice.route is None:
        raise NotFound(f"No routed invoice '{invoice_id}'.")
    status, outstanding = payments.status_of(invoice)
    return RouteStatusOut.model_validate(
        {**invoice.route, "status": status, "outstanding": outstanding}
    )


@router.post(
    "/v1/payments",
    status_code=201,
    responses={
        201: {"model": PaymentOut, "links": TO_ROUTE},
        200: {"model": PaymentOut, "description": "The same request again", "links": TO_ROUTE},
        **problems(400, 401, 403, 409, 413, 422, 503),
    },
)
async def record_payment(
    body: PaymentIn, who: Billing, store: StoreDep, clock: ClockDep
) -> Response:
    """Record a payment (idempotent by payment_id); partial payments add up."""
    payment, replayed = await writes.pay(store, body, who.name, clock.now())
    return _json(payment, 200 if replayed else 201, REPLAYED if replayed else None)


@router.get("/v1/invoices/{invoice_id}", responses=READ)
def get_invoice(invoice_id: InvoiceId, who: InvoiceReader, session: ReadSession) -> InvoiceOut:
    """Any invoice, routed or imported: amounts, dates, status, payments and the route."""
    return ledger.invoice(session, invoice_id)


@router.get("/v1/customers/{customer_id}/invoices", responses=LIST)
def list_customer_invoices(
    customer_id: InvoiceId,
    who: InvoiceReader,
    session: ReadSession,
    status: Annotated[
        Literal["open", "paid"] | None, Query(description="Only open, or only paid, invoices.")
    ] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[InvoiceOut]:
    """A customer's invoices by id, with their payments."""
    items, next_cursor = ledger.of_customer(
        session, customer_id, status=status, cursor=cursor, limit=limit
    )
    return Page(items=items, next_cursor=next_cursor)


def _json(body: Any, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers=headers
    )
