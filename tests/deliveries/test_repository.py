"""Claims under a lease: taken once, again after the lease; a stale claim's outcome is dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from app.deliveries import outbox, repository, service
from app.deliveries.outcomes import Outcome, Result, settle
from tests.support.deliveries import SCHEDULE, emit, events


def test_a_claim_leases_events_so_a_second_claim_gets_others(
    store: Store, settings: Settings, clock: Clock
) -> None:
    emit(store, clock, count=5)
    now = clock.now()
    with store.writing() as session:
        first = service.claim(session, now, limit=3, settings=settings)
    with store.writing() as session:
        second = service.claim(session, now, limit=3, settings=settings)
    assert len(first) == 3
    assert len(second) == 2
    assert {c.event_id for c in first}.isdisjoint({c.event_id for c in second})
    assert all(c.attempt == 1 for c in first + second)
    leased_until = now + timedelta(seconds=settings.relay_lease_seconds)
    assert {row.next_attempt_at for row in events(store).values()} == {leased_until}


def test_after_the_lease_the_event_is_claimed_again_and_the_stale_outcome_is_dropped(
    store: Store, settings: Settings, clock: Clock
) -> None:
    [event_id] = emit(store, clock)
    now = clock.now()
    with store.writing() as session:
        [stale] = service.claim(session, now, limit=1, settings=settings)
    later = now + timedelta(seconds=settings.relay_lease_seconds + 1)
    with store.writing() as session:
        [fresh] = service.claim(session, later, limit=1, settings=settings)
    assert (stale.event_id, fresh.event_id, fresh.attempt) == (event_id, event_id, 2)

    with store.writing() as session:
        written = service.record(
            session,
            [settle(Outcome(stale, Result.FAILED, 500, "HTTP 500"), SCHEDULE, later)],
            later,
        )
    assert written == []
    with store.writing() as session:
        written = service.record(
            session, [settle(Outcome(fresh, Result.DELIVERED, 200), SCHEDULE, later)], later
        )
    assert len(written) == 1
    assert events(store)[event_id].status == "delivered"


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite has one writer at a time anyway
def test_claims_skip_rows_another_transaction_holds(store: Store, clock: Clock) -> None:
    emit(store, clock, count=6)
    now = clock.now()
    lease = now + timedelta(seconds=60)
    # Plain sessions: the writers' version bump would make the second wait for the first.
    with store.sessions() as holding, store.sessions() as other:
        held = repository.claim(holding, now, 4, lease)
        skipped = repository.claim(other, now, 6, lease)
        assert len(held) == 4
        assert len(skipped) == 2
        assert {e.id for e in held}.isdisjoint({e.id for e in skipped})
        other.rollback()
        holding.rollback()


def test_the_backlog_counts_pending_events_and_ages_the_oldest(store: Store, clock: Clock) -> None:
    with store.reading() as session:
        assert service.backlog(session, clock.now()) == (0, 0.0)
    emit(store, clock, count=3)
    with store.reading() as session:
        pending, age = service.backlog(session, clock.now() + timedelta(seconds=30))
    assert pending == 3
    assert 30 <= age < 40


def test_an_enqueued_event_reads_back_as_it_was_made(store: Store, clock: Clock) -> None:
    """Every column of the row event_row() made, as the store gives it back (on PostgreSQL
    the rows go in as arrays, typed by casts rather than by the columns)."""
    now = clock.now()
    row = outbox.event_row("invoice.routed", "net_30", {"invoice_id": "inv-1"}, now)
    with store.writing() as session:
        outbox.enqueue(session, [row])
    stored = events(store)[row["event_id"]]
    assert {name: getattr(stored, name) for name in row} == row
