"""Every change to where a customer stands, with the run or key that made it: profiles' history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, BigIntId, UTCDateTime


class SegmentAssignment(Base):
    __tablename__ = "segment_assignments"
    __table_args__ = (Index("ix_segment_assignments_customer", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(128))
    # run (a segmentation run), override, override_removed, exception, exception_lapsed
    kind: Mapped[str] = mapped_column(String(32))
    from_segment: Mapped[str | None] = mapped_column(String(64))
    to_segment: Mapped[str | None] = mapped_column(String(64))
    run_id: Mapped[str | None] = mapped_column(String(40))
    assigned_by: Mapped[str] = mapped_column(String(64))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
