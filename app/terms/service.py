"""The terms domain's public face: where a customer stands and why (placement), the policy in
force, the ladder of terms, and the snapshot each process answers from."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy.orm import Session

from app.core.models import Customer, Segment
from app.core.statements import one_of
from app.terms import repository
from app.terms.cache import TermsCache
from app.terms.feed import FEED_READ_WITHIN_SECONDS
from app.terms.ledger import (
    PRUNE_EVERY_SECONDS,
    Hold,
    order_held,
    order_let_go,
    owed_changed,
    reload_all,
)
from app.terms.ledger import prune as prune_ledger
from app.terms.placement import (
    DEFAULT,
    EXCEPTION,
    OVERRIDE,
    SEGMENT,
    CustomerRow,
    Ladder,
    Placed,
    generosity,
    in_force,
    placement,
)
from app.terms.policy import PayerClassBounds, Policy, ValueTierBounds
from app.terms.snapshot import NEVER_LOADED, Answer, SegmentTerms

__all__ = [
    "DEFAULT",
    "EXCEPTION",
    "FEED_READ_WITHIN_SECONDS",
    "NEVER_LOADED",
    "OVERRIDE",
    "PRUNE_EVERY_SECONDS",
    "SEGMENT",
    "Answer",
    "CustomerRow",
    "Hold",
    "Ladder",
    "PayerClassBounds",
    "Placed",
    "Policy",
    "SegmentTerms",
    "TermsCache",
    "ValueTierBounds",
    "customer_states",
    "customers_by_id",
    "generosity",
    "in_force",
    "ladder",
    "order_held",
    "order_let_go",
    "owed_changed",
    "placement",
    "policy",
    "policy_in_force",
    "prune_ledger",
    "reload_all",
    "segments",
    "standing",
]

CHUNK = 1000


def policy_in_force(session: Session) -> Policy:
    """The newest segmentation policy version: the one every placement follows."""
    return Policy.of(repository.policy_in_force(session))


def policy(session: Session, version: int) -> Policy | None:
    """One version of the policy, as kept: a past run's classification reads against it."""
    row = repository.policy_version(session, version)
    return None if row is None else Policy.of(row)


def segments(session: Session) -> list[Segment]:
    """Every segment, by key."""
    return repository.segments(session)


def ladder(session: Session) -> Ladder:
    """How generous each segment is, and where a customer without one stands."""
    return repository.ladder(session)


def standing(customer: Customer) -> CustomerRow:
    """A loaded customer's terms state, as placement reads it."""
    return repository.standing(customer)


def customers_by_id(session: Session, customer_ids: Iterable[str]) -> dict[str, CustomerRow]:
    """The terms state of the customers named that have a row (a batch's customers)."""
    ids = sorted(set(customer_ids))
    found: dict[str, CustomerRow] = {}
    for start in range(0, len(ids), CHUNK):
        where = one_of(session, Customer.customer_id, ids[start : start + CHUNK])
        found.update((row.customer_id, row) for row in repository.customer_rows(session, where))
    return found


def customer_states(session: Session) -> Iterator[CustomerRow]:
    """Every customer row's terms state, streamed (a segmentation run's input)."""
    return repository.every_customer_row(session)
