"""Every query of the contact loop: tasks, touches, promises and disputes, and the invoices and
payments they are about (read, and locked where a write depends on them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.core.models import ContactTask, Dispute, Invoice, Payment, Promise, Touch
from app.core.statements import copy_rows, on_postgresql, one_of

TASK_COLUMNS: Final = (
    "invoice_id",
    "customer_id",
    "segment",
    "scheduled_on",
    "channel",
    "kind",
    "status",
    "origin",
)
DISPUTE_COLUMNS: Final = (
    "id",
    "invoice_id",
    "customer_id",
    "touch_id",
    "reason",
    "amount",
    "currency",
    "status",
    "opened_at",
    "origin",
    "resolved_at",
    "resolved_by",
    "resolution",
    "credit_amount",
    "note",
)
# A promise or a dispute holds these kinds; a service check still goes ahead.
LIVE: Final = ("open", "held")


def add_tasks(session: Session, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert tasks given as TASK_COLUMNS tuples; on PostgreSQL with COPY (a batch of routes)."""
    if not rows:
        return
    if on_postgresql(session):
        copy_rows(session, "contact_tasks", TASK_COLUMNS, rows)
        return
    session.execute(
        insert(ContactTask), [dict(zip(TASK_COLUMNS, row, strict=True)) for row in rows]
    )


def add_disputes(session: Session, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert disputes given as DISPUTE_COLUMNS tuples (timestamps timezone-aware); on
    PostgreSQL with COPY (an import)."""
    if not rows:
        return
    if on_postgresql(session):
        copy_rows(session, "disputes", DISPUTE_COLUMNS, rows)
        return
    session.execute(insert(Dispute), [dict(zip(DISPUTE_COLUMNS, row, strict=True)) for row in rows])


def invoice(session: Session, invoice_id: str, *, for_update: bool = False) -> Invoice | None:
    return session.get(Invoice, invoice_id, with_for_update=for_update or None)


def invoices_for_update(session: Session, invoice_ids: Iterable[str]) -> dict[str, Invoice]:
    """The invoices by id, locked in id order (two writers lock them in the same order)."""
    ids = sorted(set(invoice_ids))
    if not ids:
        return {}
    query = (
        select(Invoice)
        .where(one_of(session, Invoice.invoice_id, ids))
        .order_by(Invoice.invoice_id)
        .with_for_update()
    )
    return {row.invoice_id: row for row in session.scalars(query)}


def tasks_by_id(session: Session, task_ids: Iterable[int]) -> dict[int, ContactTask]:
    ids = sorted(set(task_ids))
    if not ids:
        return {}
    return {
        row.id: row for row in session.scalars(select(ContactTask).where(ContactTask.id.in_(ids)))
    }


def touches_by_id(session: Session, touch_ids: Iterable[str]) -> dict[str, Touch]:
    ids = sorted(set(touch_ids))
    if not ids:
        return {}
    query = select(Touch).where(one_of(session, Touch.touch_id, ids))
    return {row.touch_id: row for row in session.scalars(query)}


def promise_of_touch(session: Session, touch_id: str) -> Promise | None:
    return session.scalar(select(Promise).where(Promise.touch_id == touch_id))


def dispute(session: Session, dispute_id: str, *, for_update: bool = False) -> Dispute | None:
    return session.get(Dispute, dispute_id, with_for_update=for_update or None)


def open_dispute_on(session: Session, invoice_id: str) -> Dispute | None:
    query = select(Dispute).where(Dispute.invoice_id == invoice_id, Dispute.status == "open")
    return session.scalar(query.limit(1))


def cancel_tasks(session: Session, invoice_ids: Iterable[str]) -> None:
    """Cancel the open and held tasks of invoices paid in full."""
    ids = sorted(set(invoice_ids))
    if ids:
        session.execute(
            update(ContactTask)
            .where(one_of(session, ContactTask.invoice_id, ids), ContactTask.status.in_(LIVE))
            .values(status="cancelled")
            .execution_options(synchronize_session=False)
        )


def open_promises_on(session: Session, invoice_id: str) -> list[Promise]:
    query = select(Promise).where(Promise.invoice_id == invoice_id, Promise.status == "open")
    return list(session.scalars(query.with_for_update()))


def promised_on(session: Session, invoice_ids: Iterable[str]) -> set[str]:
    """Which of these invoices (a group of payments': dozens) have an open promise."""
    ids = sorted(set(invoice_ids))
    query = select(Promise.invoice_id).where(
        one_of(session, Promise.invoice_id, ids), Promise.status == "open"
    )
    return set(session.scalars(query))


def paid_towards(session: Session, promise: Promise) -> int:
    """What payments recorded since the promise and dated by its last day add up to."""
    total = session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.invoice_id == promise.invoice_id,
            Payment.paid_on <= promise.keep_by,
            Payment.recorded_at >= promise.made_at,
        )
    )
    return int(total or 0)


def promises_past(session: Session, today: date, limit: int) -> list[Promise]:
    """Open promises whose last day has passed, locked; rows another sweep holds are skipped
    (it is breaking them), so each is broken once."""
    query = (
        select(Promise)
        .where(Promise.status == "open", Promise.keep_by < today)
        .order_by(Promise.keep_by, Promise.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query))


def any_promise_past(session: Session, today: date) -> bool:
    query = select(Promise.id).where(Promise.status == "open", Promise.keep_by < today)
    return session.scalar(query.limit(1)) is not None


def escalation_channel(session: Session, invoice_id: str) -> str | None:
    """The channel of the invoice's planned escalation, if its plan has one."""
    query = select(ContactTask.channel).where(
        ContactTask.invoice_id == invoice_id,
        ContactTask.kind == "escalation",
        ContactTask.origin == "plan",
    )
    return session.scalar(query.limit(1))


def credit_notes_of(session: Session, invoice_ids: Sequence[str]) -> list[Dispute]:
    """The disputes resolved with a credit note on these invoices, oldest first."""
    if not invoice_ids:
        return []
    query = (
        select(Dispute)
        .where(
            one_of(session, Dispute.invoice_id, list(invoice_ids)),
            Dispute.credit_amount.is_not(None),
        )
        .order_by(Dispute.resolved_at, Dispute.id)
    )
    return list(session.scalars(query))


def open_disputes_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(Dispute.status == "open")) or 0)


def overdue_tasks_count(session: Session, today: date) -> int:
    query = select(func.count()).where(
        ContactTask.status == "open", ContactTask.scheduled_on < today
    )
    return int(session.scalar(query) or 0)


def tasks(
    session: Session,
    *,
    on: date,
    status: str | None,
    customer_id: str | None,
    invoice_id: str | None,
    after_id: int | None,
    limit: int,
) -> list[ContactTask]:
    query = select(ContactTask).where(ContactTask.scheduled_on <= on)
    if status is not None:
        query = query.where(ContactTask.status == status)
    if customer_id is not None:
        query = query.where(ContactTask.customer_id == customer_id)
    if invoice_id is not None:
        query = query.where(ContactTask.invoice_id == invoice_id)
    if after_id is not None:
        query = query.where(ContactTask.id > after_id)
    return list(session.scalars(query.order_by(ContactTask.id).limit(limit + 1)))


def promises(
    session: Session,
    *,
    status: str | None,
    customer_id: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Promise]:
    query = select(Promise)
    if status is not None:
        query = query.where(Promise.status == status)
    if customer_id is not None:
        query = query.where(Promise.customer_id == customer_id)
    if after is not None:
        query = query.where(
            (Promise.made_at < after[0]) | ((Promise.made_at == after[0]) & (Promise.id < after[1]))
        )
    query = query.order_by(Promise.made_at.desc(), Promise.id.desc())
    return list(session.scalars(query.limit(limit + 1)))


def disputes(
    session: Session,
    *,
    status: str | None,
    customer_id: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Dispute]:
    query = select(Dispute)
    if status is not None:
        query = query.where(Dispute.status == status)
    if customer_id is not None:
        query = query.where(Dispute.customer_id == customer_id)
    if after is not None:
        query = query.where(
            (Dispute.opened_at < after[0])
            | ((Dispute.opened_at == after[0]) & (Dispute.id < after[1]))
        )
    query = query.order_by(Dispute.opened_at.desc(), Dispute.id.desc())
    return list(session.scalars(query.limit(limit + 1)))


def latest_touches(session: Session, customer_id: str, limit: int) -> Sequence[Touch]:
    """A customer's touches, newest first (ix_touches_customer)."""
    query = (
        select(Touch)
        .where(Touch.customer_id == customer_id)
        .order_by(Touch.occurred_at.desc(), Touch.touch_id.desc())
        .limit(limit)
    )
    return session.scalars(query).all()
