"""Recording payments against invoices: idempotent by payment_id; partial payments add up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.contacts import service as contacts
from app.core.errors import Conflict, Invalid, StoreUnavailable, TermsGateError
from app.core.grouping import Caller
from app.core.idempotency import request_fingerprint
from app.core.logs import on_behalf_of
from app.core.models import Invoice, Payment
from app.core.store import lock_ids
from app.core.vocabulary import latest_happened
from app.invoices import repository
from app.invoices.schemas import PaymentIn
from app.terms import service as terms

PAYMENT_LOCKS = 2  # lock_ids namespace: payment ids


# What a payment call comes to: the payment and whether it was a replay, or why it was refused.
Paid = tuple[dict[str, Any], bool] | TermsGateError


@dataclass(frozen=True, slots=True)
class Call:
    """One payment as it arrived: the body, who sent it and when."""

    body: PaymentIn
    caller: Caller
    now: datetime


def pay_calls(session: Session, calls: Sequence[Call]) -> list[Paid]:
    """Payments that arrived together (app/core/grouping.py), in one transaction: each answered
    as its call alone would be, a refusal included. A payment is refused before anything of it
    is written, so a refused call leaves nothing behind. Every payment id is locked, then every
    invoice named read and locked in id order, all before the first is paid: two groups take
    their locks in one order, and never wait for each other in a circle."""
    lock_ids(session, PAYMENT_LOCKS, [call.body.payment_id for call in calls])
    known = _Known(session, [call.body for call in calls])
    answers: list[Paid] = []
    for call in calls:
        try:
            with on_behalf_of(call.caller.request_id):  # its audit rows name its request
                paid = _pay(session, call.body, now=call.now, actor=call.caller.actor, known=known)
        except StoreUnavailable:
            raise
        except TermsGateError as refused:
            answers.append(refused)
        else:
            answers.append(paid)
    return answers


class _Known:
    """What some payments name, each read in one query: the payments (those recorded since are
    added), the invoices (locked, in id order), and which of them have a promise open (read
    once they are locked: a promise made meanwhile would wait for the lock)."""

    __slots__ = ("invoices", "payments", "promised")

    def __init__(self, session: Session, bodies: Sequence[PaymentIn]) -> None:
        self.payments = repository.payments_by_id(session, (body.payment_id for body in bodies))
        invoice_ids = [body.invoice_id for body in bodies]
        self.invoices = repository.invoices_by_id(session, invoice_ids, for_update=True)
        self.promised = contacts.promised_on(session, self.invoices)


def status_of(row: Invoice) -> tuple[Literal["open", "paid"], int]:
    """('open' | 'paid', outstanding minor units)."""
    outstanding = row.amount - row.paid_amount
    return ("paid" if outstanding <= 0 else "open"), outstanding


def _pay(
    session: Session, body: PaymentIn, *, now: datetime, actor: str, known: _Known
) -> tuple[dict[str, Any], bool]:
    """Record a payment (False) or replay an identical one (True), its payment id locked and what
    it names read (and its invoice locked) already; partial payments add up."""
    latest = latest_happened(now.date())
    if body.paid_on > latest:  # as the history import refuses it
        raise _invalid(
            "paid_on", f"paid_on {body.paid_on} is in the future: the latest is {latest}."
        )
    fingerprint = request_fingerprint(body)
    prior = known.payments.get(body.payment_id)
    if prior is not None:
        if prior.request_sha256 != fingerprint:
            raise Conflict(
                f"Payment '{body.payment_id}' was recorded with another body; "
                "payment ids are not reused."
            )
        # The same body, so the same invoice: read (and locked) already.
        return _payment_out(prior, known.invoices[prior.invoice_id]), True
    invoice = known.invoices.get(body.invoice_id)
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
    # Written with the rest of the transaction (a group's payments in one statement), or when
    # a query that must see it runs first (a promise's sum of payments).
    session.add(payment)
    known.payments[payment.payment_id] = payment
    invoice.paid_amount += body.amount
    terms.owed_changed(session, [(invoice.customer_id, invoice.currency)], body.paid_on)
    promised = invoice.invoice_id in known.promised
    contacts.paid(session, invoice, now=now, actor=actor, promised=promised)
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
