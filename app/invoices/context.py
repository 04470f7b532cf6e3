"""What routing reads of the terms and the workflows: the segments and their ladder, the
policy's version and new-customer segment, and which workflows take events.

Kept per store for as long as the store version stands: every change to any of them is a
writing transaction, which bumps the version (app/core/store.py), so a route reads one number
instead of three tables. The version is read first, so what is read after it is at least as
new as the version it is kept under.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.core.store import current_version
from app.deliveries import service as outbox
from app.terms import service as terms
from app.workflows import service as workflows


@dataclass(frozen=True, slots=True)
class Terms:
    version: int
    segments: dict[str, terms.SegmentTerms]
    listening: frozenset[str]  # the workflows with a live webhook
    default_segment: str
    ladder: terms.Ladder
    policy_version: int


@dataclass(frozen=True, slots=True)
class Context:
    """What one routing transaction decides with."""

    terms: Terms
    today: date
    now: datetime


_kept: weakref.WeakKeyDictionary[Any, Terms] = weakref.WeakKeyDictionary()


def context(session: Session, now: datetime) -> Context:
    return Context(_terms(session), now.date(), now)


def _terms(session: Session) -> Terms:
    engine = session.get_bind()
    version = current_version(session)
    kept = _kept.get(engine)
    if kept is not None and kept.version == version:
        return kept
    policy = terms.policy_in_force(session)
    rows = terms.segments(session)
    default_segment = policy.new_customer_segment
    made = Terms(
        version=version,
        segments={row.key: terms.SegmentTerms.of(row) for row in rows},
        listening=frozenset(w.key for w in workflows.every(session) if outbox.accepts_events(w)),
        default_segment=default_segment,
        ladder=terms.Ladder.of(rows, default_segment),
        policy_version=policy.version,
    )
    _kept[engine] = made
    return made
