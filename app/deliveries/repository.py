"""Every query about outbox events: claims under a lease, outcomes, listing, retry, backlog.

A claim is one short writing transaction: pick the due events (`FOR UPDATE SKIP LOCKED` on
PostgreSQL, so relays never wait on each other's rows; SQLite has one writer at a time anyway),
count the attempt and push `next_attempt_at` a lease ahead, so no other relay picks them up
while this one delivers. A relay that dies leaves its events to be claimed again once the lease
runs out. An outcome is written only if the event is still pending at the attempt it claimed,
so a slow relay whose lease ran out cannot overwrite what a later claim found.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from app.core.models import OutboxEvent, Workflow
from app.deliveries.outcomes import Settlement


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    id: int
    event_id: str
    workflow_key: str
    body: str
    attempts: int
    traceparent: str | None


def any_due(session: Session, now: datetime) -> bool:
    """A cheap read: is there anything to claim? (Claims write; idle relays should not.)"""
    due = select(OutboxEvent.id).where(
        OutboxEvent.status == "pending", OutboxEvent.next_attempt_at <= now
    )
    return session.execute(due.limit(1)).first() is not None


def claim(session: Session, now: datetime, limit: int, lease_until: datetime) -> list[ClaimedEvent]:
    """Lease up to `limit` due events, most overdue first (the due index's own order)."""
    due = (
        select(OutboxEvent.id)
        .where(OutboxEvent.status == "pending", OutboxEvent.next_attempt_at <= now)
        .order_by(OutboxEvent.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite's dialect renders nothing
    )
    ids = list(session.scalars(due))
    if not ids:
        return []
    leased = session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.id.in_(ids))
        .values(next_attempt_at=lease_until, attempts=OutboxEvent.attempts + 1)
        .returning(
            OutboxEvent.id,
            OutboxEvent.event_id,
            OutboxEvent.workflow_key,
            OutboxEvent.body,
            OutboxEvent.attempts,
            OutboxEvent.traceparent,
        )
        .execution_options(synchronize_session=False)
    )
    claimed = {row.id: ClaimedEvent(*row) for row in leased}
    return [claimed[event_id] for event_id in ids if event_id in claimed]


def workflows(session: Session, keys: Collection[str]) -> dict[str, Workflow]:
    found = session.scalars(select(Workflow).where(Workflow.key.in_(keys)))
    return {workflow.key: workflow for workflow in found}


def record(session: Session, settlement: Settlement) -> bool:
    """Write an outcome if the claim that made it is still the latest; True if written."""
    outcome = settlement.outcome
    result = session.execute(
        update(OutboxEvent)
        .where(
            OutboxEvent.id == outcome.claim.id,
            OutboxEvent.status == "pending",
            OutboxEvent.attempts == outcome.claim.attempt,
        )
        .values(
            status=settlement.status,
            next_attempt_at=settlement.next_attempt_at,
            delivered_at=settlement.delivered_at,
            last_status=outcome.status,
            last_error=settlement.last_error,
        )
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def page(
    session: Session,
    status: str | None,
    workflow_key: str | None,
    before_id: int | None,
    limit: int,
) -> list[OutboxEvent]:
    """Newest first (by id), up to limit+1 rows for `page_of`."""
    query = select(OutboxEvent).order_by(OutboxEvent.id.desc()).limit(limit + 1)
    if status is not None:
        query = query.where(OutboxEvent.status == status)
    if workflow_key is not None:
        query = query.where(OutboxEvent.workflow_key == workflow_key)
    if before_id is not None:
        query = query.where(OutboxEvent.id < before_id)
    return list(session.scalars(query))


def by_event_id(session: Session, event_id: str) -> OutboxEvent | None:
    """The event, locked for this transaction (PostgreSQL) so a retry and a claim never race."""
    query = select(OutboxEvent).where(OutboxEvent.event_id == event_id).with_for_update()
    return session.scalars(query).one_or_none()


def backlog(session: Session) -> tuple[int, datetime | None]:
    """How many events are pending, and when the oldest of them was written."""
    count, oldest = session.execute(
        select(func.count(), func.min(OutboxEvent.created_at)).where(
            OutboxEvent.status == "pending"
        )
    ).one()
    return int(count), oldest
