"""The queries that feed the terms snapshot; the snapshot's only way into the store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import ApiKey, Customer, Segment, SegmentationPolicy, StoreVersion


class CustomerRow(NamedTuple):
    customer_id: str
    segment_key: str | None
    override_segment_key: str | None
    override_expires_on: date | None


def store_version(session: Session) -> int:
    return session.execute(select(StoreVersion.version)).scalar_one()


def live_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).where(ApiKey.revoked_at.is_(None))))


def segments(session: Session) -> list[Segment]:
    return list(session.scalars(select(Segment).order_by(Segment.key)))


def policy_in_force(session: Session) -> SegmentationPolicy:
    return session.scalars(
        select(SegmentationPolicy).order_by(SegmentationPolicy.version.desc()).limit(1)
    ).one()


def customers_changed_since(session: Session, version: int) -> Iterator[CustomerRow]:
    """Customers whose terms state changed after `version` (0: every placed customer)."""
    query = select(
        Customer.customer_id,
        Customer.segment_key,
        Customer.override_segment_key,
        Customer.override_expires_on,
    )
    if version > 0:
        query = query.where(Customer.changed_version > version)
    else:
        query = query.where(
            or_(Customer.segment_key.is_not(None), Customer.override_segment_key.is_not(None))
        )
    # Core rows straight off the connection: a million of them skip the ORM's row loading.
    for row in session.connection().execute(query.execution_options(yield_per=20_000)):
        yield CustomerRow(*row)
