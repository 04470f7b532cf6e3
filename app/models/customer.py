"""A customer's terms state: its assigned segment and any override ops pinned."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


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
    # The store version of the last change: caches load only rows newer than they hold.
    changed_version: Mapped[int] = mapped_column(BigInteger, index=True)
