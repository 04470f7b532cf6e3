"""Term exceptions: a request to treat one customer as a looser segment, and finance's answer."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, UTCDateTime


class TermException(Base):
    __tablename__ = "term_exceptions"
    __table_args__ = (
        Index("ix_term_exceptions_status_requested_at", "status", "requested_at"),
        Index("ix_term_exceptions_customer_id", "customer_id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(128))
    segment_key: Mapped[str] = mapped_column(ForeignKey("segments.key"))
    credit_limit_amount: Mapped[int | None] = mapped_column(BigInteger)
    credit_limit_currency: Mapped[str | None] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(Text)
    expires_on: Mapped[date | None] = mapped_column(Date)
    # pending, approved, rejected, or expired (replaced by a later approval). An approved one
    # past its expires_on is reported as expired without being written.
    status: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str] = mapped_column(String(64))
    # The owner of the requesting key: no key of theirs may decide it. NULL on rows written
    # before owners existed (the migration fills it from requested_by).
    requested_owner: Mapped[str | None] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    # When the `.escalated` and `.expired` events were enqueued: each is sent once.
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expiry_announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
