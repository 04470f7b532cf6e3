"""The queries behind the worklist: grouped per customer in the store, so a day's list over
100,000 open invoices reads a few thousand rows, not every task."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from app.core.models import ContactTask, Customer, Invoice, Promise, Touch
from app.core.store import one_of


def _due(on: date) -> Any:
    return select(ContactTask.customer_id).where(
        ContactTask.status == "open", ContactTask.scheduled_on <= on
    )


def customers_due(session: Session, on: date) -> list[tuple[str, bool]]:
    """Each customer with open tasks dated on or before `on`, and whether a service check of
    an invoice not yet due is among them (a check after the due date is a late one)."""
    pre_due = case(
        ((ContactTask.kind == "service_check") & (Invoice.due_on >= on), 1), else_=0
    )
    query = (
        select(ContactTask.customer_id, func.max(pre_due))
        .join(Invoice, Invoice.invoice_id == ContactTask.invoice_id)
        .where(ContactTask.status == "open", ContactTask.scheduled_on <= on)
        .group_by(ContactTask.customer_id)
    )
    return [(customer_id, bool(check)) for customer_id, check in session.execute(query)]


def standing(session: Session, on: date) -> Sequence[Row[str, str | None, str | None, str | None]]:
    """Segment, payer class and value tier of the customers due."""
    query = select(
        Customer.customer_id, Customer.segment_key, Customer.payer_class, Customer.value_tier
    ).where(Customer.customer_id.in_(_due(on).distinct()))
    return list(session.execute(query).all())


def overdue(session: Session, on: date) -> Sequence[Row[str, str, int, date]]:
    """Per customer due and currency: what is owed past its due date, and the oldest due date."""
    query = (
        select(
            Invoice.customer_id,
            Invoice.currency,
            func.sum(Invoice.amount - Invoice.paid_amount).label("owed"),
            func.min(Invoice.due_on).label("oldest_due"),
        )
        .where(
            Invoice.paid_amount < Invoice.amount,
            Invoice.due_on < on,
            Invoice.customer_id.in_(_due(on).distinct()),
        )
        .group_by(Invoice.customer_id, Invoice.currency)
    )
    return list(session.execute(query).all())


def broken_promises(session: Session, since: date, on: date) -> Iterable[tuple[str, int]]:
    query = (
        select(Promise.customer_id, func.count())
        .where(
            Promise.status == "broken",
            Promise.keep_by >= since,
            Promise.keep_by < on,
            Promise.customer_id.in_(_due(on).distinct()),
        )
        .group_by(Promise.customer_id)
    )
    return ((row[0], int(row[1])) for row in session.execute(query))


def last_touches(session: Session, on: date) -> Iterable[tuple[str, date]]:
    end = datetime.combine(on, time.max, tzinfo=UTC)
    query = (
        select(Touch.customer_id, func.max(Touch.occurred_at))
        .where(Touch.occurred_at <= end, Touch.customer_id.in_(_due(on).distinct()))
        .group_by(Touch.customer_id)
    )
    for customer_id, last in session.execute(query):
        yield customer_id, _day(last)


def due_tasks(session: Session, customer_ids: list[str], on: date) -> dict[str, list[ContactTask]]:
    if not customer_ids:
        return {}
    query = (
        select(ContactTask)
        .where(
            one_of(session, ContactTask.customer_id, customer_ids),
            ContactTask.status == "open",
            ContactTask.scheduled_on <= on,
        )
        .order_by(ContactTask.scheduled_on, ContactTask.id)
    )
    grouped: dict[str, list[ContactTask]] = defaultdict(list)
    for row in session.scalars(query):
        grouped[row.customer_id].append(row)
    return grouped


def open_receivables(session: Session, customer_ids: list[str]) -> dict[str, dict[str, int]]:
    if not customer_ids:
        return {}
    query = (
        select(
            Invoice.customer_id, Invoice.currency, func.sum(Invoice.amount - Invoice.paid_amount)
        )
        .where(
            one_of(session, Invoice.customer_id, customer_ids),
            Invoice.paid_amount < Invoice.amount,
        )
        .group_by(Invoice.customer_id, Invoice.currency)
    )
    owed: dict[str, dict[str, int]] = defaultdict(dict)
    for customer_id, currency, amount in session.execute(query):
        owed[customer_id][currency] = int(amount)
    return owed


def _day(value: datetime | str) -> date:
    """SQLite hands back max() over a timestamp as text."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).date()
    return value.astimezone(UTC).date()
