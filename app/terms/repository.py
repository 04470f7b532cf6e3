"""The queries that feed the terms snapshot; the snapshot's only way into the store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Final

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from app.core.models import (
    ApiKey,
    Customer,
    Invoice,
    OpenOrder,
    Segment,
    SegmentationPolicy,
)
from app.terms.ledger import Hold
from app.terms.placement import CustomerRow, Ladder

CUSTOMER_COLUMNS: Final = (
    Customer.customer_id,
    Customer.segment_key,
    Customer.override_segment_key,
    Customer.override_expires_on,
    Customer.exception_segment_key,
    Customer.exception_credit_limit_amount,
    Customer.exception_credit_limit_currency,
    Customer.exception_expires_on,
)
YIELD_PER: Final = 20_000
CHUNK: Final = 1000


def live_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).where(ApiKey.revoked_at.is_(None))))


def live_key(session: Session, token_sha256: str) -> ApiKey | None:
    """The live key with this digest (hex), if any: one unique-index read."""
    query = select(ApiKey).where(ApiKey.token_sha256 == token_sha256, ApiKey.revoked_at.is_(None))
    return session.scalars(query).one_or_none()


def segments(session: Session) -> list[Segment]:
    return list(session.scalars(select(Segment).order_by(Segment.key)))


def policy_in_force(session: Session) -> SegmentationPolicy:
    return session.scalars(
        select(SegmentationPolicy).order_by(SegmentationPolicy.version.desc()).limit(1)
    ).one()


def policy_version(session: Session, version: int) -> SegmentationPolicy | None:
    return session.get(SegmentationPolicy, version)


def ladder(session: Session) -> Ladder:
    """Every segment's generosity and the policy's new-customer segment, as placement needs."""
    return Ladder.of(segments(session), policy_in_force(session).document["new_customer_segment"])


def customers_changed_since(session: Session, version: int) -> Iterator[CustomerRow]:
    """Customers whose terms state changed after `version` (0: every placed customer)."""
    query = select(*CUSTOMER_COLUMNS)
    if version > 0:
        query = query.where(Customer.changed_version > version)
    else:
        query = query.where(
            or_(
                Customer.segment_key.is_not(None),
                Customer.override_segment_key.is_not(None),
                Customer.exception_segment_key.is_not(None),
            )
        )
    # Core rows straight off the connection: a million of them skip the ORM's row loading.
    for row in session.connection().execute(query.execution_options(yield_per=YIELD_PER)):
        yield CustomerRow(*row)


def every_customer_row(session: Session) -> Iterator[CustomerRow]:
    """Every customer row's terms state, streamed."""
    query = select(*CUSTOMER_COLUMNS).execution_options(yield_per=YIELD_PER)
    for row in session.connection().execute(query):
        yield CustomerRow(*row)


def standing(customer: Customer) -> CustomerRow:
    """The columns of a loaded customer row that place it (as `customer_rows` reads them)."""
    return CustomerRow(*(getattr(customer, column.key) for column in CUSTOMER_COLUMNS))


def customer_rows(session: Session, where: ColumnElement[bool]) -> Iterable[CustomerRow]:
    return (CustomerRow(*row) for row in session.execute(select(*CUSTOMER_COLUMNS).where(where)))


OPEN: Final = func.sum(Invoice.amount - Invoice.paid_amount)


def open_receivables(session: Session) -> Iterator[tuple[str, str, int]]:
    """(customer, currency, open amount) for every customer owing anything."""
    query = (
        select(Invoice.customer_id, Invoice.currency, OPEN)
        .where(Invoice.paid_amount < Invoice.amount)
        .group_by(Invoice.customer_id, Invoice.currency)
    )
    for customer_id, currency, amount in session.connection().execute(
        query.execution_options(yield_per=YIELD_PER)
    ):
        yield customer_id, currency, int(amount)


def open_orders(session: Session, now: datetime) -> list[Hold]:
    """Every order still holding credit: granted net terms, not invoiced, released or expired."""
    query = select(
        OpenOrder.customer_id,
        OpenOrder.order_id,
        OpenOrder.decision_id,
        OpenOrder.currency,
        OpenOrder.amount,
        OpenOrder.expires_at,
    ).where(OpenOrder.expires_at > now)
    return [Hold(*row) for row in session.execute(query)]
