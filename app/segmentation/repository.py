"""Every query about segmentation policies."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.models import Segment, SegmentationPolicy


def policy_in_force(session: Session) -> SegmentationPolicy:
    return session.scalars(
        select(SegmentationPolicy).order_by(SegmentationPolicy.version.desc()).limit(1)
    ).one()


def policy_version(session: Session, version: int) -> SegmentationPolicy | None:
    return session.get(SegmentationPolicy, version)


def policy_versions(session: Session, before: int | None, limit: int) -> list[SegmentationPolicy]:
    """Up to limit+1 versions, newest first, older than `before` when given."""
    query = select(SegmentationPolicy).order_by(SegmentationPolicy.version.desc()).limit(limit + 1)
    if before is not None:
        query = query.where(SegmentationPolicy.version < before)
    return list(session.scalars(query))


def existing_segments(session: Session, keys: set[str]) -> set[str]:
    return set(session.scalars(select(Segment.key).where(Segment.key.in_(sorted(keys)))))
