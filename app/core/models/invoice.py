"""Invoices: routed ones carry their route as a snapshot; imported history has none."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, JSONDocument, UTCDateTime


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("paid_amount >= 0 AND paid_amount <= amount", name="paid_within_amount"),
        CheckConstraint(
            "credited_amount >= 0 AND credited_amount <= paid_amount", name="credited_within_paid"
        ),
        Index("ix_invoices_customer_currency", "customer_id", "currency"),
        Index("ix_invoices_issued_on", "issued_on"),
        # KPIs: credit sales by currency and period.
        Index("ix_invoices_currency_issued_on", "currency", "issued_on"),
        # KPIs and the snapshot: what is still owed is a small part of a long history.
        Index(
            "ix_invoices_open",
            "currency",
            "issued_on",
            postgresql_where=text("paid_amount < amount"),
            sqlite_where=text("paid_amount < amount"),
        ),
        # The worklist: what each customer owes past due, per currency, in group order.
        Index(
            "ix_invoices_owed",
            "customer_id",
            "currency",
            postgresql_include=["due_on", "amount", "paid_amount"],
            postgresql_where=text("paid_amount < amount"),
            sqlite_where=text("paid_amount < amount"),
        ),
    )

    invoice_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(128))
    order_id: Mapped[str | None] = mapped_column(String(128), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    gross_margin: Mapped[int | None] = mapped_column(BigInteger)
    sales_owner: Mapped[str | None] = mapped_column(String(128))
    # The route, as it was decided: later segment changes never touch these.
    segment_key: Mapped[str | None] = mapped_column(String(64))
    workflow_key: Mapped[str | None] = mapped_column(String(64))
    terms_type: Mapped[str] = mapped_column(String(16))
    net_days: Mapped[int] = mapped_column(Integer)
    policy_version: Mapped[int | None] = mapped_column(Integer)
    routed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    route: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    # SHA-256 of the request that created it: the same invoice_id with another body is a 409.
    request_sha256: Mapped[str | None] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(16))
    # What is settled: payments and credit notes together (outstanding = amount - paid_amount).
    paid_amount: Mapped[int] = mapped_column(BigInteger)
    # The part of paid_amount settled by credit notes (a resolved dispute), which is not cash.
    credited_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    changed_version: Mapped[int] = mapped_column(BigInteger, index=True)
