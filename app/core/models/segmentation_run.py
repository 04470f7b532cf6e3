"""Segmentation runs and the moves each found (a dry run's moves are kept to page through)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, JSONDocument, UTCDateTime


class SegmentationRun(Base):
    __tablename__ = "segmentation_runs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    dry_run: Mapped[bool] = mapped_column(Boolean)
    policy_version: Mapped[int] = mapped_column(Integer)
    classified: Mapped[int] = mapped_column(BigInteger)
    moved: Mapped[int] = mapped_column(BigInteger)
    held: Mapped[int] = mapped_column(BigInteger)
    counts_before: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    counts_after: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))


class SegmentationMove(Base):
    __tablename__ = "segmentation_moves"

    run_id: Mapped[str] = mapped_column(ForeignKey("segmentation_runs.id"), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    from_segment: Mapped[str | None] = mapped_column(String(64))
    to_segment: Mapped[str] = mapped_column(String(64))
    payer_class: Mapped[str | None] = mapped_column(String(16))
    value_tier: Mapped[str] = mapped_column(String(16))
    # Held: the customer has an override, so the run would move it but leaves it where it is.
    held: Mapped[bool] = mapped_column(Boolean)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
