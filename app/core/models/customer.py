"""A customer's terms state: its assigned segment, any override ops pinned, and the term
exception finance approved (copied here from term_exceptions so one row places a customer)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, JSONDocument, UTCDateTime


class Customer(Base):
    __tablename__ = "customers"

    customer_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    segment_key: Mapped[str | None] = mapped_column(ForeignKey("segments.key"))
    assigned_by: Mapped[str | None] = mapped_column(String(64))
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    override_segment_key: Mapped[str | None] = mapped_column(ForeignKey("segments.key"))
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_expires_on: Mapped[date | None] = mapped_column(Date)
    override_by: Mapped[str | None] = mapped_column(String(64))
    override_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exception_id: Mapped[str | None] = mapped_column(String(40))
    exception_segment_key: Mapped[str | None] = mapped_column(ForeignKey("segments.key"))
    exception_credit_limit_amount: Mapped[int | None] = mapped_column(BigInteger)
    exception_credit_limit_currency: Mapped[str | None] = mapped_column(String(3))
    exception_expires_on: Mapped[date | None] = mapped_column(Date)
    # How the last applied segmentation run classified the customer, and the numbers behind it.
    payer_class: Mapped[str | None] = mapped_column(String(16))
    value_tier: Mapped[str | None] = mapped_column(String(16))
    metrics: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    classified_run_id: Mapped[str | None] = mapped_column(String(40))
    # The store version of the last change: caches load only rows newer than they hold.
    changed_version: Mapped[int] = mapped_column(BigInteger, index=True)
