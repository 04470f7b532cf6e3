"""Routing invoices: idempotent by invoice_id, one transaction a call (a batch included)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.checkout import service as decisions
from app.contacts import service as contacts
from app.core.errors import Conflict, Invalid, PayloadTooLarge, field_message
from app.core.grouping import Caller
from app.core.idempotency import request_fingerprint
from app.core.logs import on_behalf_of, request_id
from app.core.store import lock_ids
from app.core.vocabulary import latest_happened
from app.deliveries import service as outbox
from app.invoices import context as routing
from app.invoices import repository, route
from app.invoices.route import Route
from app.invoices.schemas import InvoiceIn
from app.terms import service as terms

BATCH_MAX = 1000
INVOICE_LOCKS = 1  # lock_ids namespace: invoice ids
INVOICE = TypeAdapter(InvoiceIn)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one invoice's routing came to: the status the single call answers, and its body."""

    invoice_id: str | None
    status: int
    route: Route | None = None
    error: dict[str, Any] | None = None
    document: dict[str, Any] | None = None  # the route as answered (`route.document()`)


@dataclass(frozen=True, slots=True)
class Call:
    """One single route as it arrived: the invoice, who sent it and when."""

    invoice: InvoiceIn
    caller: Caller
    now: datetime


def check_issued(invoice: InvoiceIn, now: datetime) -> None:
    """A single route's 422 for an invoice issued after tomorrow (UTC)."""
    future = _issued_in_future(invoice, now.date(), ["body"])
    if future is not None:
        raise Invalid(
            f"The request has invalid fields (issued_on: {future['msg']}).", errors=[future]
        )


def route_calls(session: Session, calls: Sequence[Call]) -> list[Outcome]:
    """Single routes that arrived together (app/core/grouping.py), in one transaction: each
    answered as its call alone would be (201, 200 replayed, or 409), routed as of the latest
    call's time."""
    now = max(call.now for call in calls)
    return route_many(
        session, [call.invoice for call in calls], now=now, callers=[c.caller for c in calls]
    )


def route_batch(
    session: Session, items: Sequence[Any], *, now: datetime, actor: str
) -> list[Outcome]:
    """Up to 1000 invoices in one transaction, each answered as the single call would be."""
    if len(items) > BATCH_MAX:
        raise PayloadTooLarge(f"A batch holds at most {BATCH_MAX} invoices, not {len(items)}.")
    today = now.date()
    parsed = [_parse(item, index, today) for index, item in enumerate(items)]
    valid = [item for item in parsed if isinstance(item, InvoiceIn)]
    callers = [Caller(actor, request_id.get())] * len(valid)
    routed = iter(route_many(session, valid, now=now, callers=callers))
    return [
        _numbered(next(routed), index) if isinstance(item, InvoiceIn) else item
        for index, item in enumerate(parsed)
    ]


def route_many(
    session: Session, invoices: Sequence[InvoiceIn], *, now: datetime, callers: Sequence[Caller]
) -> list[Outcome]:
    """The shared path: one query for known ids, one for customers, one insert of each kind
    (invoices, outbox events, audit rows). `callers[i]` sent `invoices[i]`."""
    if not invoices:
        return []
    lock_ids(session, INVOICE_LOCKS, (i.invoice_id for i in invoices))
    known = repository.invoices_by_id(session, (i.invoice_id for i in invoices))
    fresh_customers = {i.customer_id for i in invoices if i.invoice_id not in known}
    customers = terms.customers_by_id(session, fresh_customers)
    orders = {
        (i.order_id, i.customer_id)
        for i in invoices
        if i.order_id is not None and i.invoice_id not in known
    }
    bound = decisions.bindings(session, orders) if orders else {}
    context = routing.context(session, now)
    decided: dict[str, tuple[str, Route | None]] = {
        invoice_id: (row.request_sha256 or "", None if row.route is None else Route.of(row.route))
        for invoice_id, row in known.items()
    }
    new_invoices: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    planned: list[contacts.Planned] = []
    outcomes: list[Outcome] = []
    for invoice, caller in zip(invoices, callers, strict=True):
        fingerprint = request_fingerprint(invoice)
        prior = decided.get(invoice.invoice_id)
        if prior is not None:
            outcomes.append(_replay(invoice.invoice_id, fingerprint, *prior))
            continue
        binding = bound.get((invoice.order_id, invoice.customer_id)) if invoice.order_id else None
        routed = _route(invoice, customers.get(invoice.customer_id), binding, context)
        document = routed.document()
        decided[invoice.invoice_id] = (fingerprint, routed)
        new_invoices.append(_invoice_row(invoice, routed, document, fingerprint, context))
        if routed.workflow in context.terms.listening:
            events.append(outbox.event_row("invoice.routed", routed.workflow, document, now))
        with on_behalf_of(caller.request_id):  # its audit row names its request
            audit.record(session, _routed_audit(routed, caller.actor, now))
        planned.append(_planned(routed))
        outcomes.append(Outcome(invoice.invoice_id, 201, routed, document=document))
    repository.add_invoices(session, new_invoices)
    contacts.plan(session, planned)
    outbox.enqueue(session, events)
    terms.owed_changed(session, {(row["customer_id"], row["currency"]) for row in new_invoices})
    invoiced = {(row["order_id"], row["customer_id"]) for row in new_invoices if row["order_id"]}
    if invoiced:
        decisions.invoiced(session, invoiced)
    return outcomes


def _planned(routed: Route) -> contacts.Planned:
    steps = [(step.on, step.channel, step.kind) for step in routed.contact_plan]
    return contacts.Planned(routed.invoice_id, routed.customer_id, routed.segment, steps)


def _routed_audit(routed: Route, actor: str, now: datetime) -> audit.Entry:
    """What the audit log keeps of a route: the decision, not the whole document (that stays
    on the invoice, unchangeable)."""
    summary = {
        "customer_id": routed.customer_id,
        "order_id": routed.order_id,
        "amount": routed.amount,
        "currency": routed.currency,
        "segment": routed.segment,
        "source": routed.source,
        "terms": routed.terms,
        "due_on": routed.due_on.isoformat(),
        "decision_id": routed.decision_id,
    }
    return audit.Entry(
        occurred_at=now,
        actor=actor,
        action="invoice.routed",
        entity_type="invoice",
        entity_id=routed.invoice_id,
        after=summary,
    )


def _parse(item: Any, index: int, today: date) -> InvoiceIn | Outcome:
    """Batch item `index`, or its 422: located and worded as the single call's, with the index
    in the location (`["body", "invoices", 3, "amount"]`) and in the detail."""
    invoice_id = item.get("invoice_id") if isinstance(item, dict) else None
    where: list[str | int] = ["body", "invoices", index]
    try:
        invoice = INVOICE.validate_python(item)
    except ValidationError as error:
        errors = [{"loc": [*where, *e["loc"]], "msg": field_message(e)} for e in error.errors()]
    else:
        future = _issued_in_future(invoice, today, where)
        if future is None:
            return invoice
        errors = [future]
    summary = "; ".join(
        f"{'.'.join(map(str, e['loc'][3:])) or 'the item'}: {e['msg']}" for e in errors[:3]
    )
    detail = f"Invoice {index} of the batch has invalid fields ({summary})."
    problem = Invalid(detail, errors=errors).problem()
    return Outcome(invoice_id if isinstance(invoice_id, str) else None, 422, error=problem)


def _issued_in_future(
    invoice: InvoiceIn, today: date, where: list[str | int]
) -> dict[str, Any] | None:
    """The error of an invoice issued after tomorrow (UTC): it has not been issued yet."""
    latest = latest_happened(today)
    if invoice.issued_on <= latest:
        return None
    msg = f"{invoice.issued_on} is in the future: the latest is {latest}"
    return {"loc": [*where, "issued_on"], "msg": msg}


def _numbered(outcome: Outcome, index: int) -> Outcome:
    """A batch item's refusal (a 409) with its index in the detail and the location."""
    if outcome.error is None:
        return outcome
    error = Conflict(
        f"Invoice {index} of the batch: {outcome.error['detail']}",
        errors=[
            {"loc": ["body", "invoices", index, "invoice_id"], "msg": "invoice_id already taken"}
        ],
    )
    return dataclasses.replace(outcome, error=error.problem())


def _replay(
    invoice_id: str, fingerprint: str, prior_fingerprint: str, prior: Route | None
) -> Outcome:
    if prior is None:
        detail = f"Invoice '{invoice_id}' exists as imported history and cannot be routed."
    elif prior_fingerprint != fingerprint:
        detail = f"Invoice '{invoice_id}' was routed with another body; invoice ids are not reused."
    else:
        return Outcome(invoice_id, 200, prior, document=prior.document())
    return Outcome(invoice_id, 409, error=Conflict(detail).problem())


def _route(
    invoice: InvoiceIn,
    customer: terms.CustomerRow | None,
    binding: decisions.Binding | None,
    context: routing.Context,
) -> Route:
    """The customer's effective terms today, or, for an order checkout decided, the terms that
    decision granted: checkout and invoicing never disagree, and an invoice is never looser."""
    placed = (
        None if customer is None else terms.placement(customer, context.today, context.terms.ladder)
    )
    segment_key, source, limit = placed or (context.terms.default_segment, terms.DEFAULT, None)
    segment = context.terms.segments[segment_key].with_credit_limit(limit)
    if binding is None:
        return route.build(
            invoice,
            segment,
            source=source,
            policy_version=context.terms.policy_version,
            routed_at=context.now,
        )
    segment = _as_granted(
        context.terms.segments.get(binding.segment_key, segment), binding, context
    )
    return route.build(
        invoice,
        segment,
        source=binding.source,
        policy_version=context.terms.policy_version,
        routed_at=context.now,
        decision_id=binding.decision_id,
    )


def _as_granted(
    segment: terms.SegmentTerms, binding: decisions.Binding, context: routing.Context
) -> terms.SegmentTerms:
    """The decided segment with the terms checkout granted, and the workflow and contact plan
    that go with those terms: an order cut to pay on order is not chased as a net invoice.

    The segment's own plan stays when its terms were granted; otherwise the plan of the first
    segment (by key) with exactly the granted terms; failing that, a pay-on-order invoice has
    no plan and a shorter net one keeps the segment's plan, dated from its own due date."""
    if dict(segment.terms) == binding.terms:
        return segment
    alike = [s for _, s in sorted(context.terms.segments.items()) if dict(s.terms) == binding.terms]
    if alike:
        return dataclasses.replace(
            segment,
            terms=binding.terms,
            workflow=alike[0].workflow,
            contact_plan=alike[0].contact_plan,
        )
    if binding.terms["type"] == "pay_on_order":
        return dataclasses.replace(segment, terms=binding.terms, contact_plan=())
    return dataclasses.replace(segment, terms=binding.terms)


def _invoice_row(
    invoice: InvoiceIn,
    routed: Route,
    document: dict[str, Any],
    fingerprint: str,
    context: routing.Context,
) -> dict[str, Any]:
    return {
        "invoice_id": invoice.invoice_id,
        "customer_id": invoice.customer_id,
        "order_id": invoice.order_id,
        "amount": invoice.amount,
        "currency": invoice.currency,
        "issued_on": invoice.issued_on,
        "due_on": routed.due_on,
        "gross_margin": invoice.gross_margin,
        "sales_owner": invoice.sales_owner,
        "segment_key": routed.segment,
        "workflow_key": routed.workflow,
        "terms_type": routed.terms_type,
        "net_days": routed.net_days,
        "policy_version": context.terms.policy_version,
        "routed_at": context.now,
        "route": document,
        "request_sha256": fingerprint,
        "origin": "routed",
        "paid_amount": 0,
        "credited_amount": 0,
        "changed_version": 0,  # a bulk write's store version; routes bump none
    }
