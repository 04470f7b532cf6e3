"""Recording payments against invoices: idempotent by payment_id; partial payments add up."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.contacts import service as contacts
from app.core.errors import Conflict, Invalid, TermsGateError
from app.core.idempotency import request_fingerprint
from app.core.models import Invoice, Payment
from app.core.store import lock_ids
from app.core.vocabulary import latest_happened
from app.invoices import repository
from app.invoices.schemas import PaymentIn
from app.terms import service as terms

PAYMENT_LOCKS = 2  # lock_ids namespace: payment ids


def status_of(row: Invoice) -> tuple[Literal["open", "paid"], int]:
    """('open' | 'paid', outstanding minor units)."""
    outstanding = row.amount - row.paid_amount
    return ("paid" if outstanding <= 0 else "open"), outstanding


def pay(
    session: Session, body: PaymentIn, *, now: datetime, actor: str
) -> tuple[dict[str, Any], bool]:
    """Record a payment (False) or replay an identical one (True); partial payments add up."""
    latest = latest_happened(now.date())
    if body.paid_on > latest:  # as the history import refuses it
        raise _invalid(
            "paid_on", f"paid_on {body.paid_on} is in the future: the latest is {latest}."
        )
    fingerprint = request_fingerprint(body)
    lock_ids(session, PAYMENT_LOCKS, [body.payment_id])
    prior = repository.payment(session, body.payment_id)
    if prior is not None:
        if prior.request_sha256 != fingerprint:
            raise Conflict(
                f"Payment '{body.payment_id}' was recorded with another body; "
                "payment ids are not reused."
            )
        invoice = repository.invoice(session, prior.invoice_id)
        assert invoice is not None
        return _payment_out(prior, invoice), True
    invoice = repository.invoice(session, body.invoice_id, for_update=True)
    if invoice is None:
        raise _invalid("invoice_id", f"Invoice '{body.invoice_id}' is not known.")
    if body.currency != invoice.currency:
        raise _invalid(
            "currency", f"The invoice is in {invoice.currency}; this payment is in {body.currency}."
        )
    _, outstanding = status_of(invoice)
    if body.amount > outstanding:
        raise _invalid(
            "amount",
            f"The payment ({body.amount}) exceeds what is outstanding ({outstanding}) "
            f"on invoice '{invoice.invoice_id}'.",
        )
    payment = Payment(
        payment_id=body.payment_id,
        invoice_id=body.invoice_id,
        amount=body.amount,
        currency=body.currency,
        paid_on=body.paid_on,
        recorded_at=now,
        request_sha256=fingerprint,
        origin="api",
    )
    session.add(payment)
    invoice.paid_amount += body.amount
    session.flush()
    terms.owed_changed(session, [(invoice.customer_id, invoice.currency)], body.paid_on)
    contacts.paid(session, invoice, now=now, actor=actor)
    out = _payment_out(payment, invoice)
    audit.record(
        session,
        audit.Entry(
            actor=actor,
            action="payment.recorded",
            entity_type="payment",
            entity_id=payment.payment_id,
            occurred_at=now,
            after=out,
        ),
    )
    return out, False


def _payment_out(payment: Payment, invoice: Invoice) -> dict[str, Any]:
    status, outstanding = status_of(invoice)
    return {
        "payment_id": payment.payment_id,
        "invoice_id": payment.invoice_id,
        "amount": payment.amount,
        "currency": payment.currency,
        "paid_on": payment.paid_on.isoformat(),
        "invoice_status": status,
        "outstanding": outstanding,
    }


def _invalid(field: str, detail: str) -> TermsGateError:
    return Invalid(detail, errors=[{"loc": ["body", field], "msg": detail}])
