"""The contact loop: dated tasks from contact plans, touches and their outcomes, promises to pay
and disputes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, BigIntId, JSONDocument, UTCDateTime


class ContactTask(Base):
    """One step of an invoice's contact plan, or an escalation a broken promise added."""

    __tablename__ = "contact_tasks"
    __table_args__ = (
        Index("ix_contact_tasks_invoice", "invoice_id"),
        # The worklist: what is open and due, by date.
        Index(
            "ix_contact_tasks_open",
            "scheduled_on",
            "customer_id",
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index("ix_contact_tasks_customer", "customer_id", "scheduled_on"),
        # The worklist: the pre-due service checks still open.
        Index(
            "ix_contact_tasks_checks",
            "scheduled_on",
            postgresql_include=["customer_id", "invoice_id"],
            postgresql_where=text("status = 'open' AND kind = 'service_check'"),
            sqlite_where=text("status = 'open' AND kind = 'service_check'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.invoice_id"))
    customer_id: Mapped[str] = mapped_column(String(128))
    segment: Mapped[str | None] = mapped_column(String(64))
    scheduled_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    # open, done, held, cancelled
    status: Mapped[str] = mapped_column(String(16))
    # plan (a step of the route's contact plan) or promise_broken
    origin: Mapped[str] = mapped_column(String(16))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Touch(Base):
    """A contact made, and what came of it; the touch_id is the caller's idempotency key."""

    __tablename__ = "touches"
    __table_args__ = (
        Index("ix_touches_occurred_at", "occurred_at"),
        Index("ix_touches_customer", "customer_id", "occurred_at"),
        Index("ix_touches_invoice", "invoice_id"),
    )

    touch_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.invoice_id"))
    customer_id: Mapped[str] = mapped_column(String(128))
    segment: Mapped[str | None] = mapped_column(String(64))
    task_id: Mapped[int | None] = mapped_column(BigInteger)
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    # For the KPIs: was it before the invoice's due date, and what was outstanding then.
    before_due: Mapped[bool] = mapped_column(Boolean)
    outstanding: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
    request_sha256: Mapped[str] = mapped_column(String(64))
    # The answer as first given: a replay answers it again.
    answer: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class Promise(Base):
    """A promise to pay part or all of an invoice by a date."""

    __tablename__ = "promises"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_promises_customer", "customer_id", "made_at"),
        Index("ix_promises_invoice", "invoice_id"),
        Index(
            "ix_promises_open",
            "pay_on",
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.invoice_id"))
    customer_id: Mapped[str] = mapped_column(String(128))
    touch_id: Mapped[str] = mapped_column(String(128))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    pay_on: Mapped[date] = mapped_column(Date)
    # The last day a payment keeps it: pay_on plus the grace days in force when it was made.
    keep_by: Mapped[date] = mapped_column(Date)
    # open, kept, broken
    status: Mapped[str] = mapped_column(String(16))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Dispute(Base):
    """A disputed invoice: reminders hold until finance resolves it."""

    __tablename__ = "disputes"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_disputes_customer", "customer_id", "opened_at"),
        Index("ix_disputes_invoice", "invoice_id"),
        Index("ix_disputes_status", "status", "opened_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.invoice_id"))
    customer_id: Mapped[str] = mapped_column(String(128))
    touch_id: Mapped[str | None] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    # open, resolved
    status: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # touch or history
    origin: Mapped[str] = mapped_column(String(16))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    # invoice_stands or credit_note
    resolution: Mapped[str | None] = mapped_column(String(16))
    credit_amount: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
