"""Segments: the one source of terms, credit limit, workflow and contact plan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, JSONDocument, UTCDateTime


class Segment(Base):
    __tablename__ = "segments"
    __table_args__ = (
        CheckConstraint("net_days >= 0 AND net_days <= 365", name="net_days_range"),
        CheckConstraint(
            "(credit_limit_amount IS NULL) = (credit_limit_currency IS NULL)",
            name="credit_limit_pair",
        ),
    )

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    terms_type: Mapped[str] = mapped_column(String(16))
    net_days: Mapped[int] = mapped_column(Integer)
    credit_limit_amount: Mapped[int | None] = mapped_column(BigInteger)
    credit_limit_currency: Mapped[str | None] = mapped_column(String(3))
    workflow_key: Mapped[str] = mapped_column(ForeignKey("workflows.key"))
    contact_plan: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
