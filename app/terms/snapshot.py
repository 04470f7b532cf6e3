"""What the terms snapshot holds: segments as decisions and routes need them, pre-built answer
bytes, and the immutable Snapshot a cache swaps whole (app/terms/cache.py owns it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import orjson

from app.core.keys import Principal
from app.core.models import Segment
from app.terms.placement import DEFAULT

BODY_PREFIX: Final = b'{"customer_id":"'


@dataclass(frozen=True, slots=True)
class SegmentTerms:
    """A segment as decisions and routes need it."""

    key: str
    terms: Mapping[str, Any]
    credit_limit: Mapping[str, Any] | None
    workflow: str
    contact_plan: tuple[Mapping[str, Any], ...]

    @property
    def net_days(self) -> int:
        return int(self.terms["net_days"])

    def with_credit_limit(self, limit: tuple[int, str] | None) -> SegmentTerms:
        """This segment with an exception's credit limit in place of its own."""
        if limit is None:
            return self
        amount, currency = limit
        return dataclasses.replace(self, credit_limit={"amount": amount, "currency": currency})

    @classmethod
    def of(cls, row: Segment) -> SegmentTerms:
        limit = None
        if row.credit_limit_amount is not None:
            limit = {"amount": row.credit_limit_amount, "currency": row.credit_limit_currency}
        return cls(
            key=row.key,
            terms={"type": row.terms_type, "net_days": row.net_days},
            credit_limit=limit,
            workflow=row.workflow_key,
            contact_plan=tuple(row.contact_plan),
        )


# An answer's identity: segment key, source, and the credit limit an exception puts in place.
AnswerKey = tuple[str, str, tuple[int, str] | None]
# Open receivables of one customer: (currency, minor units) pairs, each above zero.
Exposure = tuple[tuple[str, int], ...]
NO_EXPOSURE: Final[Exposure] = ()

FALLBACK_SEGMENT: Final = SegmentTerms(
    "pay_on_order", {"type": "pay_on_order", "net_days": 0}, None, "pay_on_order", ()
)


@dataclass(frozen=True, slots=True)
class Answer:
    """One (segment, source) pair, with the lookup body after the customer id pre-built."""

    segment: SegmentTerms
    source: str
    fresh: bytes
    stale: bytes

    @classmethod
    def build(cls, segment: SegmentTerms, source: str, policy_version: int | None) -> Answer:
        def tail(stale: bool) -> bytes:
            rest = orjson.dumps(
                {
                    "segment": segment.key,
                    "terms": segment.terms,
                    "credit_limit": segment.credit_limit,
                    "source": source,
                    "policy_version": policy_version,
                    "stale": stale,
                }
            )
            return b'",' + rest[1:]

        return cls(segment, source, tail(False), tail(True))


@dataclass(frozen=True, slots=True)
class Snapshot:
    version: int
    policy_version: int | None
    default_answer: int
    segments: Mapping[str, SegmentTerms]
    answers: tuple[Answer, ...]
    keys: Mapping[bytes, Principal]
    # Authorization header values already checked against `keys`: carried to the next snapshot
    # only while the keys are unchanged, so a revoked key is never remembered past its snapshot.
    checked: dict[bytes, Principal] = field(default_factory=dict)
    # Keys made after this snapshot loaded, found in the store on a miss (app/terms/recheck.py):
    # digest -> principal. Never carried to the next snapshot, nor memoised in `checked`, so a
    # revocation takes effect with the next snapshot like any other.
    found: dict[bytes, Principal] = field(default_factory=dict)


# Before any load: everyone is pay-on-order, and every answer says it is stale.
NEVER_LOADED: Final = Snapshot(
    version=0,
    policy_version=None,
    default_answer=0,
    segments={},
    answers=(Answer.build(FALLBACK_SEGMENT, DEFAULT, None),),
    keys={},
)
