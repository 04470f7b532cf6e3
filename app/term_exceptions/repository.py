"""Every query about term exceptions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from app.core.models import TermException
from app.term_exceptions.schemas import APPROVED, EXPIRED, PENDING, REJECTED, Status


def get(session: Session, exception_id: str) -> TermException | None:
    return session.get(TermException, exception_id)


def add(session: Session, row: TermException) -> None:
    session.add(row)
    session.flush()


def page(
    session: Session,
    *,
    today: date,
    status: Status | None,
    customer_id: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[TermException]:
    """Up to limit+1 exceptions by (requested_at, id), after `after`, matching the filters."""
    query = (
        select(TermException)
        .order_by(TermException.requested_at, TermException.id)
        .limit(limit + 1)
    )
    if status is not None:
        query = query.where(seen_as(status, today))
    if customer_id is not None:
        query = query.where(TermException.customer_id == customer_id)
    if after is not None:
        requested_at, exception_id = after
        query = query.where(
            or_(
                TermException.requested_at > requested_at,
                and_(TermException.requested_at == requested_at, TermException.id > exception_id),
            )
        )
    return list(session.scalars(query))


def seen_as(status: Status, today: date) -> ColumnElement[bool]:
    """The rows callers see with `status` today (app.term_exceptions.schemas.status_seen)."""
    lapsed = and_(TermException.expires_on.is_not(None), TermException.expires_on < today)
    match status:
        case "pending" | "approved":
            return and_(TermException.status == status, ~lapsed)
        case "rejected":
            return TermException.status == REJECTED
        case "expired":
            return or_(
                TermException.status == EXPIRED,
                and_(TermException.status.in_((PENDING, APPROVED)), lapsed),
            )


def pending_count(session: Session, today: date) -> int:
    query = select(func.count()).select_from(TermException).where(seen_as("pending", today))
    return session.scalar(query) or 0


def due_for_escalation(
    session: Session, requested_before: datetime, today: date, limit: int
) -> list[TermException]:
    """Up to `limit` requests still pending, made before `requested_before`, not escalated yet."""
    query = (
        select(TermException)
        .where(
            seen_as("pending", today),
            TermException.requested_at < requested_before,
            TermException.escalated_at.is_(None),
        )
        .order_by(TermException.requested_at, TermException.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def lapsed_unannounced(session: Session, today: date, limit: int) -> list[TermException]:
    """Up to `limit` approved exceptions past expires_on whose `.expired` has not gone out."""
    query = (
        select(TermException)
        .where(
            TermException.status == APPROVED,
            TermException.expires_on < today,
            TermException.expiry_announced_at.is_(None),
        )
        .order_by(TermException.requested_at, TermException.id)
        .limit(limit)
    )
    return list(session.scalars(query))
