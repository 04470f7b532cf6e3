"""What was sold in each period and owed at each period's end, per segment, from three queries.

Owed at an end e (CONTRACT 9): over invoices issued on or before e, the amount minus payments
made on or before e, each floored at 0. Payments never exceed their invoice, so no floor is
needed, and what was owed at e is what is still owed today plus what was paid after e:

    receivables(e) = SUM(amount - paid_amount) over invoices issued <= e, open today
                   + SUM(payment) over payments made after e, on invoices issued <= e
                   + SUM(credit) over credit notes issued after e, on invoices issued <= e

A credit note (a dispute resolved with a credit) lowers what is owed from its day on, and is
not cash: `credit_notes` of a period are what was credited in it, so that a KPI can tell what
was collected from what was written off. `current` is the part of receivables not yet past
due at e (due_on >= e).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from sqlalchemy.orm import Session

from app.kpis import repository
from app.kpis.repository import SegmentKey


@dataclass(slots=True)
class Balances:
    """Per period k (ending at ends[k]): credit sales, receivables, current receivables and
    credit notes."""

    credit_sales: list[int]
    receivables: list[int]
    current: list[int]
    credit_notes: list[int]

    @classmethod
    def empty(cls, periods: int) -> Balances:
        return cls([0] * periods, [0] * periods, [0] * periods, [0] * periods)

    def add(self, other: Balances) -> None:
        for mine, theirs in (
            (self.credit_sales, other.credit_sales),
            (self.receivables, other.receivables),
            (self.current, other.current),
            (self.credit_notes, other.credit_notes),
        ):
            mine[:] = [a + b for a, b in zip(mine, theirs, strict=True)]


@dataclass(slots=True)
class _Ranges:
    """Sums added over ranges of period ends, as difference arrays."""

    periods: int
    receivables: list[int] = field(default_factory=list)
    current: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.receivables = [0] * (self.periods + 1)
        self.current = [0] * (self.periods + 1)

    def owed(self, amount: int, first: int, stop: int, current_stop: int) -> None:
        """`amount` owed at ends first..stop-1, not yet due at ends first..current_stop-1."""
        if first < stop:
            self.receivables[first] += amount
            self.receivables[stop] -= amount
        current_stop = min(stop, current_stop)
        if first < current_stop:
            self.current[first] += amount
            self.current[current_stop] -= amount

    def into(self, balances: Balances) -> None:
        balances.receivables = list(accumulate(self.receivables))[: self.periods]
        balances.current = list(accumulate(self.current))[: self.periods]


def measure(
    session: Session,
    currency: str,
    segment: SegmentKey,
    first_day: date,
    ends: Sequence[date],
    *,
    by_segment: bool = False,
) -> dict[SegmentKey, Balances]:
    """Balances per segment (one entry, keyed `segment`, unless `by_segment`).

    Credit sales of period k are invoices issued in (ends[k-1], ends[k]], the first period
    starting at `first_day`.
    """
    periods = len(ends)
    sales: dict[SegmentKey, list[int]] = {}
    credited: dict[SegmentKey, list[int]] = {}
    ranges: dict[SegmentKey, _Ranges] = {}

    def key(row: tuple[object, ...]) -> tuple[SegmentKey, tuple[int, ...]]:
        if by_segment:
            found = row[0]
            assert found is None or isinstance(found, str)
            return found, tuple(int(place) for place in row[1:])  # type: ignore[call-overload]
        return segment, tuple(int(place) for place in row)  # type: ignore[call-overload]

    for row in repository.credit_sales(session, currency, segment, by_segment, first_day, ends):
        owner, (period, amount) = key(row)
        sales.setdefault(owner, [0] * periods)[period] += amount
    for row in repository.open_now(session, currency, segment, by_segment, ends):
        owner, (issued, due, amount) = key(row)
        ranges.setdefault(owner, _Ranges(periods)).owed(amount, issued, periods, due)
    for row in repository.paid_after(session, currency, segment, by_segment, ends):
        owner, (issued, paid, due, amount) = key(row)
        ranges.setdefault(owner, _Ranges(periods)).owed(amount, issued, paid, due)
    # The earlier of first_day and the day after the first end (never past the calendar).
    since = first_day if first_day <= ends[0] else ends[0] + timedelta(days=1)
    for note in repository.credit_notes_since(session, currency, segment, since, ends):
        owner = note.segment if by_segment else segment
        # Placed as the CASE trees place a payment: before(d) ends fall before d.
        credited_before = bisect_left(ends, note.credited_on)
        ranges.setdefault(owner, _Ranges(periods)).owed(
            note.amount,
            bisect_left(ends, note.issued_on),
            credited_before,
            bisect_right(ends, note.due_on),
        )
        if first_day <= note.credited_on <= ends[-1]:
            credited.setdefault(owner, [0] * periods)[credited_before] += note.amount

    found: dict[SegmentKey, Balances] = {}
    for owner in sales.keys() | ranges.keys() | credited.keys():
        balances = found[owner] = Balances.empty(periods)
        balances.credit_sales = sales.get(owner, [0] * periods)
        balances.credit_notes = credited.get(owner, [0] * periods)
        if owner in ranges:
            ranges[owner].into(balances)
    if not by_segment:
        found.setdefault(segment, Balances.empty(periods))
    return found


def overall(found: dict[SegmentKey, Balances], periods: int) -> Balances:
    """Every segment's balances added up, imported history (no segment) included."""
    total = Balances.empty(periods)
    for balances in found.values():
        total.add(balances)
    return total
