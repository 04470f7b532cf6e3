"""Which segment decides a customer's terms, and why: the rule the snapshot and routing share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from app.core.models import Segment
from app.core.vocabulary import Money, looser

SEGMENT, OVERRIDE, EXCEPTION, DEFAULT = "segment", "override", "exception", "default"


class CustomerRow(NamedTuple):
    """A customer's terms state as stored (models.Customer, the columns placement reads)."""

    customer_id: str
    segment_key: str | None
    override_segment_key: str | None
    override_expires_on: date | None
    exception_segment_key: str | None
    exception_credit_limit_amount: int | None
    exception_credit_limit_currency: str | None
    exception_expires_on: date | None


class Placed(NamedTuple):
    """The segment that decides, why, and the credit limit an exception puts in its place."""

    segment_key: str
    source: str
    credit_limit: tuple[int, str] | None = None


# What a segment lets a customer have: (net days, credit limit), as `looser` compares them.
Generosity = tuple[int, Money | None]


def generosity(segment: Segment) -> Generosity:
    limit = None
    if segment.credit_limit_amount is not None and segment.credit_limit_currency is not None:
        limit = Money(amount=segment.credit_limit_amount, currency=segment.credit_limit_currency)
    return segment.net_days, limit


class Ladder(NamedTuple):
    """How generous each segment is, and where a customer without a segment stands."""

    generosity: Mapping[str, Generosity]
    new_customer_segment: str

    @classmethod
    def of(cls, segments: Iterable[Segment], new_customer_segment: str) -> Ladder:
        return cls({row.key: generosity(row) for row in segments}, new_customer_segment)

    def tightens(self, override: str, segment_key: str | None) -> bool:
        """Whether an override to `override` is no looser than the customer's own segment."""
        base = segment_key or self.new_customer_segment
        return not looser(self.generosity[override], self.generosity[base])


def in_force(expires_on: date | None, today: date) -> bool:
    """Overrides and exceptions hold through `expires_on` inclusive and lapse the day after."""
    return expires_on is None or expires_on >= today


def placement(row: CustomerRow, today: date, ladder: Ladder) -> Placed | None:
    """Where the customer stands today; None when the policy's new-customer segment applies.

    An approved exception in force comes first (finance's explicit, time-boxed word), then an
    override ops pinned, then the segment a run assigned. An override only ever tightens: one
    that a later segment edit, run or policy has left looser than the customer's own segment
    stands aside (kept, not deleted) until it tightens again, lapses or is removed.
    """
    if row.exception_segment_key is not None and in_force(row.exception_expires_on, today):
        limit = None
        if row.exception_credit_limit_amount is not None:
            assert row.exception_credit_limit_currency is not None
            limit = (row.exception_credit_limit_amount, row.exception_credit_limit_currency)
        return Placed(row.exception_segment_key, EXCEPTION, limit)
    if (
        row.override_segment_key is not None
        and in_force(row.override_expires_on, today)
        and ladder.tightens(row.override_segment_key, row.segment_key)
    ):
        return Placed(row.override_segment_key, OVERRIDE)
    if row.segment_key is not None:
        return Placed(row.segment_key, SEGMENT)
    return None


def next_lapse(row: CustomerRow, today: date) -> date | None:
    """The earliest expiry still ahead of this customer: after it, its placement may change."""
    ahead = [
        day
        for day in (row.override_expires_on, row.exception_expires_on)
        if day is not None and day >= today
    ]
    return min(ahead, default=None)
