"""The queries behind the worklist: grouped per customer in the store, so a day's list over
100,000 open invoices reads a few thousand rows, not every task."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.models import ContactTask, Customer, Invoice, Promise, Touch
from app.core.statements import one_of


class Standing(NamedTuple):
    """One customer due, in one currency they owe overdue money in (or none)."""

    customer_id: str
    segment: str | None
    payer_class: str | None
    value_tier: str | None
    currency: str | None
    owed: int | None
    oldest_due: date | None
    broken: int
    last_touch: date | None


def customers_due(session: Session, on: date) -> set[str]:
    """The customers with a pre-due service check open on `on`: a check of an invoice not yet
    due (a check after the due date is a late one). The few checks due are joined to their
    invoices, not every task due."""
    checks = (
        select(ContactTask.customer_id)
        .join(Invoice, Invoice.invoice_id == ContactTask.invoice_id)
        .where(
            ContactTask.status == "open",
            ContactTask.scheduled_on <= on,
            ContactTask.kind == "service_check",
            Invoice.due_on >= on,
        )
        .distinct()
    )
    return set(session.scalars(checks))


def standing(session: Session, on: date, broken_since: date) -> list[Standing]:
    """Each customer with open tasks dated on or before `on`, with what ranks them: segment,
    payer class and value tier, what is owed past its due date per currency and the oldest
    due date, promises broken since `broken_since`, the last touch by `on`.

    One statement: each figure is grouped once over its table and joined to the customers due
    (found from the open-tasks index alone). Asking each figure for the customers due in a
    statement of its own found the open tasks again each time, or sent thousands of ids."""
    end = datetime.combine(on, time.max, tzinfo=UTC)
    due = (
        select(ContactTask.customer_id)
        .where(ContactTask.status == "open", ContactTask.scheduled_on <= on)
        .group_by(ContactTask.customer_id)
        .subquery("due")
    )
    owed = (
        select(
            Invoice.customer_id,
            Invoice.currency,
            func.sum(Invoice.amount - Invoice.paid_amount).label("owed"),
            func.min(Invoice.due_on).label("oldest_due"),
        )
        .where(Invoice.paid_amount < Invoice.amount, Invoice.due_on < on)
        .group_by(Invoice.customer_id, Invoice.currency)
        .subquery("owed")
    )
    broken = (
        select(Promise.customer_id, func.count().label("broken"))
        .where(Promise.status == "broken", Promise.keep_by >= broken_since, Promise.keep_by < on)
        .group_by(Promise.customer_id)
        .subquery("broken")
    )
    touched = (
        select(Touch.customer_id, func.max(Touch.occurred_at).label("last"))
        .where(Touch.occurred_at <= end)
        .group_by(Touch.customer_id)
        .subquery("touched")
    )
    query = (
        select(
            due.c.customer_id,
            Customer.segment_key,
            Customer.payer_class,
            Customer.value_tier,
            owed.c.currency,
            owed.c.owed,
            owed.c.oldest_due,
            broken.c.broken,
            touched.c.last,
        )
        .select_from(due)
        .outerjoin(Customer, Customer.customer_id == due.c.customer_id)
        .outerjoin(owed, owed.c.customer_id == due.c.customer_id)
        .outerjoin(broken, broken.c.customer_id == due.c.customer_id)
        .outerjoin(touched, touched.c.customer_id == due.c.customer_id)
    )
    return [
        Standing(
            customer_id,
            segment,
            payer_class,
            value_tier,
            currency,
            None if amount is None else int(amount),
            _date(oldest_due),
            int(count or 0),
            None if last is None else _day(last),
        )
        for (
            customer_id,
            segment,
            payer_class,
            value_tier,
            currency,
            amount,
            oldest_due,
            count,
            last,
        ) in session.execute(query)
    ]


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


def receivables(
    session: Session, customer_ids: list[str], on: date
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """What the customers owe per currency: all of it, and what is past its due date on `on`."""
    if not customer_ids:
        return {}, {}
    outstanding = Invoice.amount - Invoice.paid_amount
    query = (
        select(
            Invoice.customer_id,
            Invoice.currency,
            func.sum(outstanding),
            func.sum(outstanding).filter(Invoice.due_on < on),
        )
        .where(
            one_of(session, Invoice.customer_id, customer_ids),
            Invoice.paid_amount < Invoice.amount,
        )
        .group_by(Invoice.customer_id, Invoice.currency)
    )
    owed: dict[str, dict[str, int]] = defaultdict(dict)
    overdue: dict[str, dict[str, int]] = defaultdict(dict)
    for customer_id, currency, amount, late in session.execute(query):
        owed[customer_id][currency] = int(amount)
        if late is not None:
            overdue[customer_id][currency] = int(late)
    return owed, overdue


def _day(value: datetime | str) -> date:
    """SQLite hands back max() over a timestamp as text."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).date()
    return value.astimezone(UTC).date()


def _date(value: date | str | None) -> date | None:
    """SQLite hands back min() over a date as text."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value
