"""Every query about segments."""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from app.core.models import Customer, Segment, TermException


def get(session: Session, key: str) -> Segment | None:
    return session.get(Segment, key)


def page(session: Session, after: str | None, limit: int) -> list[Segment]:
    query = select(Segment).order_by(Segment.key).limit(limit + 1)
    if after is not None:
        query = query.where(Segment.key > after)
    return list(session.scalars(query))


def placed_customers_exist(session: Session, key: str) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    or_(Customer.segment_key == key, Customer.override_segment_key == key)
                )
            )
        )
    )


def named_by_exception(session: Session, key: str) -> bool:
    """Whether any exception, or any customer's copy of an approved one, names segment `key`."""
    named = exists().where(TermException.segment_key == key)
    copied = exists().where(Customer.exception_segment_key == key)
    return bool(session.scalar(select(or_(named, copied))))
