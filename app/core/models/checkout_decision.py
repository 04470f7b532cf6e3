"""Checkout decisions: what checkout asked and what it was told, recorded off the hot path."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, JSONDocument, UTCDateTime


class CheckoutDecision(Base):
    __tablename__ = "checkout_decisions"
    __table_args__ = (
        # The route of an invoice looks for its order's decisions.
        Index("ix_checkout_decisions_order", "order_id", "customer_id"),
        # A customer's decisions, newest first (decision ids are in time order).
        Index("ix_checkout_decisions_customer", "customer_id", "decision_id"),
    )

    decision_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(128))
    order_id: Mapped[str] = mapped_column(String(128))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    outcome: Mapped[str] = mapped_column(String(16))
    terms_type: Mapped[str] = mapped_column(String(16))
    net_days: Mapped[int] = mapped_column(Integer)
    segment_key: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The whole answer as checkout received it, inputs included.
    answer: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    # When checkout said the order will not be invoiced (cancelled, or paid on order).
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
