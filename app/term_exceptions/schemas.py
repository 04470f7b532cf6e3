"""What sales sends to ask for an exception, what finance sends to decide, and what all see."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.core.models import TermException
from app.core.vocabulary import CallerId, Day, Input, Key, Money, Reason

Status = Literal["pending", "approved", "rejected", "expired"]
PENDING, APPROVED, REJECTED, EXPIRED = "pending", "approved", "rejected", "expired"


class TermExceptionIn(Input):
    customer_id: CallerId
    segment: Key = Field(description="The looser segment the customer is to be treated as.")
    credit_limit: Money | None = Field(
        default=None, description="Replaces the segment's credit limit for this customer."
    )
    reason: Reason
    expires_on: Day | None = Field(
        default=None, description="Last day in force (inclusive); none: until replaced."
    )


class DecisionNoteIn(Input):
    note: Reason | None = None


class TermExceptionOut(BaseModel):
    id: str
    customer_id: str
    segment: str
    credit_limit: Money | None
    reason: str
    expires_on: date | None
    status: Status = Field(
        description="As of today: a pending or approved exception past its expires_on is expired."
    )
    requested_by: str = Field(description="Name of the API key that asked.")
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    note: str | None

    @classmethod
    def of(cls, row: TermException, today: date) -> TermExceptionOut:
        limit = None
        if row.credit_limit_amount is not None and row.credit_limit_currency is not None:
            limit = Money(amount=row.credit_limit_amount, currency=row.credit_limit_currency)
        return cls(
            id=row.id,
            customer_id=row.customer_id,
            segment=row.segment_key,
            credit_limit=limit,
            reason=row.reason,
            expires_on=row.expires_on,
            status=status_seen(row, today),
            requested_by=row.requested_by,
            requested_at=row.requested_at,
            decided_by=row.decided_by,
            decided_at=row.decided_at,
            note=row.note,
        )


def status_seen(row: TermException, today: date) -> Status:
    """The stored status, except that pending or approved past expires_on reads as expired."""
    lapsed = row.expires_on is not None and row.expires_on < today
    match row.status:
        case "pending":
            return "expired" if lapsed else "pending"
        case "approved":
            return "expired" if lapsed else "approved"
        case "rejected":
            return "rejected"
        case _:
            return "expired"
