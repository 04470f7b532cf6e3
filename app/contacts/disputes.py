"""Disputes: opened by a touch (or from history), holding reminders until finance resolves
them; a credit note lowers what is outstanding and is not cash."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy.orm import Session

from app.contacts import announce, holds, repository
from app.contacts.schemas import DisputeIn, DisputeOut, ResolveIn
from app.core.errors import Conflict, Invalid, NotFound
from app.core.models import Dispute, Invoice
from app.terms import service as terms

HISTORY_ACTOR = "import"


class HistoryDispute(NamedTuple):
    """An imported invoice marked disputed: opened at its issue, resolved when it was paid."""

    invoice_id: str
    customer_id: str
    amount: int
    currency: str
    opened_at: datetime
    resolved_at: datetime | None


def on_history(session: Session, disputed: Iterable[HistoryDispute]) -> int:
    """Write imported disputes in one insert (COPY on PostgreSQL), reason `other`, for the
    invoice's whole amount; those paid are resolved with the invoice standing. Imported
    invoices have no route, so no task to hold and no workflow to tell. Answers how many."""
    rows = [
        (f"dsp_{secrets.token_hex(12)}", row.invoice_id, row.customer_id, None, "other",
         row.amount, row.currency, "open" if row.resolved_at is None else "resolved",
         row.opened_at, "history", row.resolved_at,
         None if row.resolved_at is None else HISTORY_ACTOR,
         None if row.resolved_at is None else "invoice_stands", None, None)
        for row in disputed
        if row.amount > 0
    ]  # fmt: skip
    repository.add_disputes(session, rows)
    return len(rows)


def open_on(
    session: Session,
    invoice: Invoice,
    disputed: DisputeIn,
    *,
    touch_id: str | None,
    now: datetime,
    actor: str,
    origin: str = "touch",
) -> Dispute:
    """Open a dispute on an invoice still owed; its reminders and escalations hold."""
    outstanding = invoice.amount - invoice.paid_amount
    if outstanding <= 0:
        raise Conflict(f"Invoice '{invoice.invoice_id}' is paid; there is nothing to dispute.")
    if repository.open_dispute_on(session, invoice.invoice_id) is not None:
        raise Conflict(f"Invoice '{invoice.invoice_id}' already has an open dispute.")
    amount = outstanding if disputed.amount is None else disputed.amount
    if amount > outstanding:
        raise _invalid(
            ["body", "dispute", "amount"],
            f"The disputed amount ({amount}) exceeds what is outstanding ({outstanding}).",
        )
    row = Dispute(
        id=f"dsp_{secrets.token_hex(12)}",
        invoice_id=invoice.invoice_id,
        customer_id=invoice.customer_id,
        touch_id=touch_id,
        reason=disputed.reason,
        amount=amount,
        currency=invoice.currency,
        status="open",
        opened_at=now,
        origin=origin,
    )
    session.add(row)
    holds.rehold(session, invoice.invoice_id)
    shown = DisputeOut.of(row).model_dump(mode="json")
    announce.event(session, invoice, "dispute.opened", shown, now)
    announce.audited(
        session,
        action="dispute.opened",
        entity_type="dispute",
        entity_id=row.id,
        actor=actor,
        now=now,
        after=shown,
    )
    return row


def resolve(
    session: Session, dispute_id: str, body: ResolveIn, *, now: datetime, actor: str
) -> DisputeOut:
    """Finance's answer: the invoice stands, or a credit note lowers it; held tasks reopen."""
    row = repository.dispute(session, dispute_id, for_update=True)
    if row is None:
        raise NotFound(f"No dispute '{dispute_id}'.")
    if row.status != "open":
        raise Conflict(f"Dispute '{dispute_id}' was resolved on {row.resolved_at:%Y-%m-%d}.")
    invoice = repository.invoice(session, row.invoice_id, for_update=True)
    assert invoice is not None  # a dispute is opened on a known invoice
    before = DisputeOut.of(row).model_dump(mode="json")
    if body.credit_amount is not None:
        _credit(session, invoice, row, body.credit_amount)
    row.status, row.resolved_at, row.resolved_by = "resolved", now, actor
    row.resolution, row.credit_amount, row.note = body.resolution, body.credit_amount, body.note
    holds.rehold(session, invoice.invoice_id)
    shown = DisputeOut.of(row)
    announce.audited(
        session,
        action="dispute.resolved",
        entity_type="dispute",
        entity_id=row.id,
        actor=actor,
        now=now,
        before=before,
        after=shown.model_dump(mode="json"),
        reason=body.note,
    )
    return shown


def _credit(session: Session, invoice: Invoice, row: Dispute, amount: int) -> None:
    """A credit note: settles `amount` of the invoice without being a payment."""
    outstanding = invoice.amount - invoice.paid_amount
    ceiling = min(row.amount, outstanding)
    if amount > ceiling:
        limit = "the disputed amount" if ceiling == row.amount else "what is outstanding"
        raise _invalid(
            ["body", "credit_amount"],
            f"The credit note ({amount}) exceeds {limit} ({ceiling}).",
        )
    invoice.paid_amount += amount
    invoice.credited_amount += amount
    session.flush()
    terms.owed_changed(session, [(invoice.customer_id, invoice.currency)])
    if invoice.paid_amount >= invoice.amount:
        repository.cancel_tasks(session, [invoice.invoice_id])


def _invalid(loc: list[str | int], detail: str) -> Invalid:
    return Invalid(detail, errors=[{"loc": loc, "msg": detail}])
