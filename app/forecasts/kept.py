"""A fit for one as_of, kept by a process and moved on by what was written since it was made.

Making a fit reads a year or two of payments (seconds at 1,000,000 invoices); what changes it
afterwards is small and named: the change feed (written in commit order by every transaction
that changes a customer's open receivables: a route, a payment, a credit note) names the
customers, and a dispute opened turns their invoice's past payments into disputed ones. So a
kept fit holds, besides the patterns, whole payment counts:

- the pools' older part: payments made RECENT_DAYS or more before as_of, per pool;
- each customer's recent payments, which add up to the pools' recent part.

Moving on re-reads, for each customer named since, its own history and its recent payments and
puts them in place of the old: whole counts, weighed the same way, so the result is the fit a
process would make afresh, to the last bit. Re-reading a customer twice is harmless, so a
statement that sees a little more than the feed said does no wrong.

The fit is made afresh instead when the older part would move (a payment made more than
RECENT_DAYS before as_of recorded since: the feed says the earliest day paid of each change;
or a dispute opened on an invoice with one), when the feed says reload (a history import, the
demo) or names more than MAX_CHANGED customers, and when it was last read longer ago than the
feed keeps its rows. This rests on what every write of invoices and payments already does for
the credit check: it goes through the feed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session

from app.forecasts import history, repository
from app.forecasts.history import Recent
from app.forecasts.model import Fit
from app.forecasts.patterns import Accumulator, Counts, Patterns, bump, pool_keys, weighed
from app.terms import service as terms

# Longer than any write takes from its first statement to its commit: a dispute opened up to
# this long before the last one the fit has seen is still looked for.
MARGIN: Final = timedelta(minutes=10)
MAX_CHANGED: Final = 5_000
RECENT: Final = timedelta(days=history.RECENT_DAYS)
Pools = dict[tuple[str, bool], Counts]


@dataclass(frozen=True, slots=True)
class Disputes:
    """The disputes the fit has taken in: the last opened, and those opened within MARGIN of
    it (a dispute committed late may be opened earlier than one already seen)."""

    latest: datetime | None
    seen: frozenset[str]

    def since(self) -> datetime | None:
        return self.latest - MARGIN if self.latest is not None else None

    def after(self, opened: list[repository.Opened]) -> Disputes:
        times = [self.latest] if self.latest is not None else []
        latest = max(times + [dispute.opened_at for dispute in opened], default=None)
        if latest is None:
            return self
        seen = self.seen | {dispute.dispute_id for dispute in opened}
        return Disputes(latest, frozenset(seen))


@dataclass(frozen=True, slots=True)
class KeptFit:
    fit: Fit
    seq: int  # the last feed row taken in
    disputes: Disputes
    recent: dict[str, list[Recent]]
    pools: Pools  # older plus every customer's recent
    synced: float  # time.monotonic() of the last feed read


def made(session: Session, as_of: date) -> KeptFit:
    """Every customer owing at as_of, fit afresh. Where the feed and disputes stand is read
    first: whatever commits while the history is read is taken in again on the next move."""
    synced = time.monotonic()
    seq = repository.last_change(session)
    latest = repository.last_dispute_opened(session, as_of)
    disputes = Disputes(None, frozenset()).after(
        repository.disputes_opened(session, as_of, latest - MARGIN) if latest else []
    )
    accumulator = Accumulator()
    history.pools(session, as_of, accumulator, skip_days=history.RECENT_DAYS)
    recent = history.recent(session, as_of, None)
    pools = accumulator.pools
    for rows in recent.values():
        _pool(pools, rows, 1)
    history.own_history(session, as_of, None, accumulator)
    fit = Fit(as_of, weighed(accumulator.own), weighed(pools))
    return KeptFit(fit, seq, disputes, recent, pools, synced)


def moved_on(kept: KeptFit, session: Session) -> KeptFit | None:
    """The kept fit with everything written since taken in, or None: make it afresh."""
    now = time.monotonic()
    if now - kept.synced > terms.FEED_READ_WITHIN_SECONDS:  # it may have missed pruned rows
        return None
    as_of = kept.fit.as_of
    changes = repository.changes_since(session, kept.seq, MAX_CHANGED)
    if changes.customers is None:
        return None
    opened = [
        dispute
        for dispute in repository.disputes_opened(session, as_of, kept.disputes.since())
        if dispute.dispute_id not in kept.disputes.seen
    ]
    customers = sorted(changes.customers | {dispute.customer_id for dispute in opened})
    if not customers:
        return replace(kept, synced=now)
    if len(customers) > MAX_CHANGED:
        return None
    if changes.paid_on is not None and changes.paid_on <= as_of - RECENT:
        return None  # a payment made long before as_of recorded since
    if opened and history.older_paid(session, as_of, [dispute.invoice_id for dispute in opened]):
        return None  # a dispute turns payments made long before as_of into disputed ones
    return _taken_in(kept, session, customers, changes.seq, kept.disputes.after(opened), now)


def _taken_in(
    kept: KeptFit,
    session: Session,
    customers: list[str],
    seq: int,
    disputes: Disputes,
    now: float,
) -> KeptFit:
    """These customers' own history and recent payments read again, in place of the old."""
    as_of = kept.fit.as_of
    accumulator = Accumulator()
    history.own_history(session, as_of, customers, accumulator)
    fresh = history.recent(session, as_of, customers)
    pools, touched = _moved_pools(kept, customers, fresh)
    recent = dict(kept.recent)
    own = dict(kept.fit.own)
    for customer in customers:
        recent.pop(customer, None)
        own.pop((customer, False), None)
        own.pop((customer, True), None)
    recent.update(fresh)
    own.update(weighed(accumulator.own))
    patterns: Patterns = {
        key: pattern
        for key, pattern in kept.fit.pools.items()
        if key not in touched and key in pools
    }
    patterns.update(weighed({key: pools[key] for key in touched if key in pools}))
    fit = Fit(as_of, own, patterns)
    return KeptFit(fit, seq, disputes, recent, pools, now)


def _moved_pools(
    kept: KeptFit, customers: list[str], fresh: dict[str, list[Recent]]
) -> tuple[Pools, set[tuple[str, bool]]]:
    """The pools with these customers' recent payments as re-read, and the pools that moved.
    A pool is copied before its first change: the kept fit stays as it was."""
    pools = dict(kept.pools)
    touched: set[tuple[str, bool]] = set()
    for customer in customers:
        for sign, rows in ((-1, kept.recent.get(customer, [])), (1, fresh.get(customer, []))):
            for key in {key for row in rows for key in pool_keys(row.segment, row.disputed)}:
                if key not in touched:
                    pools[key] = _copied(pools.get(key, {}))
                    touched.add(key)
            _pool(pools, rows, sign)
    for key in touched:
        if not pools[key]:
            del pools[key]
    return pools, touched


def _pool(pools: Pools, rows: list[Recent], sign: int) -> None:
    for row in rows:
        for key in pool_keys(row.segment, row.disputed):
            bump(pools.setdefault(key, {}), row.late, 0, sign * row.payments)


def _copied(counts: Counts) -> Counts:
    return {late: dict(bands) for late, bands in counts.items()}
