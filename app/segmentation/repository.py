"""Every query about segmentation policies."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SegmentationPolicy


def policy_in_force(session: Session) -> SegmentationPolicy:
    return session.scalars(
        select(SegmentationPolicy).order_by(SegmentationPolicy.version.desc()).limit(1)
    ).one()


def segments_named(policy: SegmentationPolicy) -> set[str]:
    """Every segment key the policy refers to: its matrix cells and the new-customer segment."""
    document = policy.document
    named = {document["new_customer_segment"]}
    for row in document["matrix"].values():
        named.update(row.values())
    return named
