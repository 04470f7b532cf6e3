"""Promises to pay: opened by a touch, kept at once by payments that reach them in time, and
broken by the sweep once their last day has passed without."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy.orm import Session

from app.contacts import announce, holds, repository
from app.contacts.schemas import PromiseIn, PromiseOut
from app.contacts.tasks import PROMISE_BROKEN
from app.core import metrics
from app.core.clock import Clock
from app.core.config import Settings
from app.core.models import ContactTask, Invoice, Promise
from app.core.store import Store, on_commit

# The audit log's actor for what the sweep writes.
SWEEPER = "sweep"
# At most this many broken per sweep, so one transaction stays short; the rest follow.
BATCH = 200


def make(
    session: Session,
    invoice: Invoice,
    promised: PromiseIn,
    *,
    touch_id: str,
    grace_days: int,
    now: datetime,
    actor: str,
) -> Promise:
    """Open a promise; the invoice's reminders up to its last day are held."""
    row = Promise(
        id=f"prm_{secrets.token_hex(12)}",
        invoice_id=invoice.invoice_id,
        customer_id=invoice.customer_id,
        touch_id=touch_id,
        amount=promised.amount,
        currency=promised.currency,
        pay_on=promised.pay_on,
        keep_by=promised.pay_on + timedelta(days=grace_days),
        status="open",
        made_at=now,
    )
    session.add(row)
    holds.rehold(session, invoice.invoice_id)
    announce.audited(
        session,
        action="promise.made",
        entity_type="promise",
        entity_id=row.id,
        actor=actor,
        now=now,
        after=PromiseOut.of(row).model_dump(mode="json"),
    )
    _count(session, "open")
    return row


def keep_paid(session: Session, invoice: Invoice, *, now: datetime, actor: str) -> None:
    """After a payment on the invoice: keep each open promise its payments now reach."""
    kept = False
    for row in repository.open_promises_on(session, invoice.invoice_id):
        if repository.paid_towards(session, row) < row.amount:
            continue
        row.status, row.closed_at, kept = "kept", now, True
        announce.audited(
            session,
            action="promise.kept",
            entity_type="promise",
            entity_id=row.id,
            actor=actor,
            now=now,
            before={"status": "open"},
            after=PromiseOut.of(row).model_dump(mode="json"),
        )
        _count(session, "kept")
    if kept:
        holds.rehold(session, invoice.invoice_id)


class Swept(NamedTuple):
    broken: int
    disputes_open: int
    tasks_overdue: int


def sweep(store: Store, settings: Settings, clock: Clock) -> Swept:
    """Break each promise whose last day has passed, once across every replica; set the
    contact gauges. Reads first, and writes only when there is something to break."""
    today, now = clock.today(), clock.now()
    with store.reading() as session:
        due = repository.any_promise_past(session, today)
    disputes_open, overdue = refresh_gauges(store, clock)
    if not due:
        return Swept(0, disputes_open, overdue)
    with store.ledger() as session:
        rows = repository.promises_past(session, today, BATCH)
        for row in rows:
            _break(session, row, today=today, now=now)
    return Swept(len(rows), disputes_open, overdue)


def refresh_gauges(store: Store, clock: Clock) -> tuple[int, int]:
    """Set the open disputes and overdue tasks gauges; (disputes open, tasks overdue)."""
    with store.reading() as session:
        disputes_open = repository.open_disputes_count(session)
        overdue = repository.overdue_tasks_count(session, clock.today())
    metrics.DISPUTES_OPEN.set(disputes_open)
    metrics.CONTACT_TASKS_OVERDUE.set(overdue)
    return disputes_open, overdue


def _break(session: Session, row: Promise, *, today: date, now: datetime) -> None:
    """Broken: the event to the workflow, held tasks open again, an escalation tomorrow."""
    row.status, row.closed_at = "broken", now
    invoice = repository.invoice(session, row.invoice_id)
    assert invoice is not None  # a promise is made on a known invoice
    holds.rehold(session, row.invoice_id)
    if invoice.paid_amount < invoice.amount:
        channel = repository.escalation_channel(session, row.invoice_id) or "phone"
        session.add(
            ContactTask(
                invoice_id=row.invoice_id,
                customer_id=row.customer_id,
                segment=invoice.segment_key,
                scheduled_on=today + timedelta(days=1),
                channel=channel,
                kind="escalation",
                status="open",
                origin=PROMISE_BROKEN,
            )
        )
    shown = PromiseOut.of(row).model_dump(mode="json")
    announce.event(session, invoice, "promise.broken", shown, now)
    announce.audited(
        session,
        action="promise.broken",
        entity_type="promise",
        entity_id=row.id,
        actor=SWEEPER,
        now=now,
        before={"status": "open"},
        after=shown,
        reason=f"no payment reached {row.amount} by {row.keep_by}",
    )
    _count(session, "broken")


def _count(session: Session, status: str) -> None:
    on_commit(session, metrics.PROMISES.labels(status=status).inc)
