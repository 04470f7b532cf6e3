"""The periodic sweep over exceptions, run by every relay: escalate requests finance has left
pending too long, announce approved exceptions that lapsed, and keep the pending gauge.

It reads first and opens a writing transaction (which bumps the store version) only when there
is something to write; inside it, it reads again, so sweeps running at once on several relays
send each event once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from app.core import metrics
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from app.term_exceptions import events, repository

# The audit log's actor for what the sweep writes.
SWEEPER = "sweep"
# At most this many of each kind per sweep, so one transaction stays short; the rest follow.
BATCH = 200


class Swept(NamedTuple):
    """What one sweep did, and the pending count it reported."""

    escalated: int
    announced: int
    pending: int


def sweep(store: Store, settings: Settings, clock: Clock) -> Swept:
    """Escalate overdue requests and announce lapsed exceptions, each once; set the gauge."""
    now, today = clock.now(), clock.today()
    hours = settings.exception_escalate_after_hours
    requested_before = now - timedelta(hours=hours)
    with store.reading() as session:
        pending = repository.pending_count(session, today)
        work = repository.due_for_escalation(
            session, requested_before, today, 1
        ) or repository.lapsed_unannounced(session, today, 1)
    metrics.TERM_EXCEPTIONS_PENDING.set(pending)
    if not work:
        return Swept(0, 0, pending)
    with store.writing() as session:
        overdue = repository.due_for_escalation(session, requested_before, today, BATCH)
        for row in overdue:
            row.escalated_at = now
            events.record(
                session,
                row,
                action="escalated",
                actor=SWEEPER,
                now=now,
                today=today,
                reason=f"pending for more than {hours:g} hours",
            )
        lapsed = repository.lapsed_unannounced(session, today, BATCH)
        for row in lapsed:
            row.expiry_announced_at = now
            events.record(
                session,
                row,
                action="expired",
                actor=SWEEPER,
                now=now,
                today=today,
                reason=f"in force through {row.expires_on}, which has passed",
            )
    return Swept(len(overdue), len(lapsed), pending)


def refresh_pending(store: Store, clock: Clock) -> int:
    """Set the pending gauge from one count (for processes that run no relay, hence no sweep)."""
    with store.reading() as session:
        pending = repository.pending_count(session, clock.today())
    metrics.TERM_EXCEPTIONS_PENDING.set(pending)
    return pending
