"""The contact loop as other domains and the HTTP layer use it.

Routing plans tasks (`plan`), a payment settles them and keeps promises (`paid`), the relay
breaks promises past their day (`sweep`); collectors record touches, finance resolves
disputes, and everyone reads tasks, promises, disputes, the worklist and the contact KPIs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.contacts import disputes, kpis, promises, repository, tasks, touches, worklist
from app.contacts.schemas import (
    ContactKpis,
    CreditNoteOut,
    DisputeOut,
    PromiseOut,
    ResolveIn,
    TouchIn,
    TouchOut,
    WorklistOut,
)
from app.core.models import Invoice
from app.core.paging import decode_moment_cursor, encode_moment_cursor

HistoryDispute = disputes.HistoryDispute
Planned = tasks.Planned
RecordedTouch = touches.Recorded
plan = tasks.plan
sweep = promises.sweep
refresh_gauges = promises.refresh_gauges
task_listing = tasks.listing

__all__ = [
    "HistoryDispute",
    "Planned",
    "RecordedTouch",
    "contact_kpis",
    "credit_notes_of",
    "day_list",
    "dispute_listing",
    "disputes_on_history",
    "latest_touches",
    "paid",
    "plan",
    "promise_listing",
    "record_touch",
    "record_touches",
    "refresh_gauges",
    "resolve_dispute",
    "sweep",
    "task_listing",
]


def paid(session: Session, invoice: Invoice, *, now: datetime, actor: str, promised: bool) -> None:
    """After a payment on `invoice`: promises it reaches are kept; paid in full, its open and
    held tasks are cancelled. `promised`: whether a promise is open on it (`promised_on`, read
    once the invoice was locked); without one, nothing is read for it."""
    if promised:
        promises.keep_paid(session, invoice, now=now, actor=actor)
    if invoice.paid_amount >= invoice.amount:
        repository.cancel_tasks(session, [invoice.invoice_id])


def promised_on(session: Session, invoice_ids: Iterable[str]) -> set[str]:
    """Which of these invoices have an open promise, in one query."""
    return repository.promised_on(session, invoice_ids)


def record_touch(
    session: Session, body: TouchIn, *, grace_days: int, now: datetime, actor: str
) -> tuple[dict[str, Any], bool]:
    return touches.record(session, body, grace_days=grace_days, now=now, actor=actor)


def record_touches(
    session: Session, items: Sequence[Any], *, grace_days: int, now: datetime, actor: str
) -> list[RecordedTouch]:
    return touches.record_batch(session, items, grace_days=grace_days, now=now, actor=actor)


def resolve_dispute(
    session: Session, dispute_id: str, body: ResolveIn, *, now: datetime, actor: str
) -> DisputeOut:
    return disputes.resolve(session, dispute_id, body, now=now, actor=actor)


def disputes_on_history(session: Session, disputed: Iterable[HistoryDispute]) -> int:
    """Imported invoices marked disputed, in bulk: each a dispute opened at issue and, when it
    was paid, resolved with the invoice standing. Answers how many were written."""
    return disputes.on_history(session, disputed)


def credit_notes_of(session: Session, invoice_ids: list[str]) -> dict[str, list[CreditNoteOut]]:
    """Each invoice's credit notes, oldest first (none: an empty list)."""
    found: dict[str, list[CreditNoteOut]] = {invoice_id: [] for invoice_id in invoice_ids}
    for row in repository.credit_notes_of(session, invoice_ids):
        found[row.invoice_id].append(CreditNoteOut.of(row))
    return found


def day_list(session: Session, on: date, *, cursor: str | None, limit: int) -> WorklistOut:
    return worklist.day_list(session, on, cursor=cursor, limit=limit)


def latest_touches(session: Session, customer_id: str, limit: int) -> list[TouchOut]:
    """A customer's touches, newest first, without their promise or dispute (listed apart)."""
    return [
        TouchOut(
            touch_id=row.touch_id,
            invoice_id=row.invoice_id,
            customer_id=row.customer_id,
            task_id=row.task_id,
            channel=row.channel,
            kind=row.kind,
            occurred_at=row.occurred_at,
            outcome=row.outcome,
            note=row.note,
        )
        for row in repository.latest_touches(session, customer_id, limit)
    ]


def contact_kpis(
    session: Session, start: date, end: date, segment: str | None
) -> tuple[ContactKpis, dict[str, ContactKpis]]:
    return kpis.measure(session, start, end, segment)


def promise_listing(
    session: Session, *, status: str | None, customer_id: str | None, cursor: str | None, limit: int
) -> tuple[list[PromiseOut], str | None]:
    """Newest first."""
    rows = repository.promises(
        session,
        status=status,
        customer_id=customer_id,
        after=decode_moment_cursor(cursor),
        limit=limit,
    )
    page = rows[:limit]
    last = page[-1] if len(rows) > limit else None
    next_cursor = None if last is None else encode_moment_cursor(last.made_at, last.id)
    return [PromiseOut.of(row) for row in page], next_cursor


def dispute_listing(
    session: Session, *, status: str | None, customer_id: str | None, cursor: str | None, limit: int
) -> tuple[list[DisputeOut], str | None]:
    """Newest first."""
    rows = repository.disputes(
        session,
        status=status,
        customer_id=customer_id,
        after=decode_moment_cursor(cursor),
        limit=limit,
    )
    page = rows[:limit]
    next_cursor = (
        encode_moment_cursor(page[-1].opened_at, page[-1].id) if len(rows) > limit else None
    )
    return [DisputeOut.of(row) for row in page], next_cursor
