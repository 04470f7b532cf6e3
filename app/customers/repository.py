"""Every query about customers' terms state."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.core.models import Customer, Dispute, Invoice, Promise, SegmentAssignment


def get(session: Session, customer_id: str) -> Customer | None:
    return session.get(Customer, customer_id)


def get_or_new(session: Session, customer_id: str, version: int) -> Customer:
    row = session.get(Customer, customer_id)
    if row is None:
        row = Customer(customer_id=customer_id, changed_version=version)
        session.add(row)
    return row


def has_invoices(session: Session, customer_id: str) -> bool:
    query = select(Invoice.invoice_id).where(Invoice.customer_id == customer_id).limit(1)
    return session.execute(query).first() is not None


def open_receivables(session: Session, customer_id: str) -> list[tuple[str, int]]:
    """(currency, amount still owed) for each currency the customer owes in."""
    query = (
        select(Invoice.currency, func.sum(Invoice.amount - Invoice.paid_amount))
        .where(Invoice.customer_id == customer_id, Invoice.paid_amount < Invoice.amount)
        .group_by(Invoice.currency)
        .order_by(Invoice.currency)
    )
    return [(currency, int(amount)) for currency, amount in session.execute(query)]


def promises_by_status(session: Session, customer_id: str) -> dict[str, int]:
    """How many of the customer's promises to pay are open, kept and broken."""
    query = (
        select(Promise.status, func.count())
        .where(Promise.customer_id == customer_id)
        .group_by(Promise.status)
    )
    return {status: int(count) for status, count in session.execute(query)}


def disputes_open(session: Session, customer_id: str) -> int:
    query = select(func.count()).where(Dispute.customer_id == customer_id, Dispute.status == "open")
    return int(session.scalar(query) or 0)


def credited(session: Session, customer_id: str) -> list[tuple[str, int]]:
    """(currency, amount credited) for each currency the customer was given credit notes in."""
    query = (
        select(Dispute.currency, func.sum(Dispute.credit_amount))
        .where(Dispute.customer_id == customer_id, Dispute.credit_amount.is_not(None))
        .group_by(Dispute.currency)
        .order_by(Dispute.currency)
    )
    return [(currency, int(amount or 0)) for currency, amount in session.execute(query)]


def latest_assignments(session: Session, customer_id: str, limit: int) -> list[SegmentAssignment]:
    """The customer's `limit` latest assignment changes, oldest first."""
    query = (
        select(SegmentAssignment)
        .where(SegmentAssignment.customer_id == customer_id)
        .order_by(SegmentAssignment.id.desc())
        .limit(limit)
    )
    return list(reversed(session.scalars(query).all()))


def add_assignment(
    session: Session,
    *,
    customer_id: str,
    kind: str,
    from_segment: str | None,
    to_segment: str | None,
    by: str,
    at: datetime,
    run_id: str | None = None,
) -> None:
    """Record one change of where a customer stands, for its profile's history."""
    session.add(
        SegmentAssignment(
            customer_id=customer_id,
            kind=kind,
            from_segment=from_segment,
            to_segment=to_segment,
            run_id=run_id,
            assigned_by=by,
            assigned_at=at,
        )
    )


def overrides_in_force(
    session: Session, today: date, *, after: str | None, limit: int
) -> list[Customer]:
    """Up to limit+1 customers with an override that has not lapsed, by customer id."""
    query = select(Customer).where(
        Customer.override_segment_key.is_not(None),
        or_(Customer.override_expires_on.is_(None), Customer.override_expires_on >= today),
    )
    if after is not None:
        query = query.where(Customer.customer_id > after)
    return list(session.scalars(query.order_by(Customer.customer_id).limit(limit + 1)))
