"""The payment-timing model: when an open invoice turns into cash, as a distribution over days.

Fit on what was known at `as_of` only. Each payment made on or before it says how many days
after its invoice's due date the customer paid (days late, negative when early). A customer's
pattern is those days late, each payment weighted by its recency (half-life `HALF_LIFE_DAYS`),
kept apart for invoices under dispute. It is mixed with a prior pool, the segment's pattern (or
everyone's where the segment has too little), as if the pool were `PRIOR_WEIGHT` payments:
a customer with two payments mostly follows the pool, one with fifty mostly itself. An invoice
already `d` days past due is not paid yesterday: only days late above `d` count (the
conditional distribution), renormalised. An open promise to pay puts the promised amount on
its day, weighted by the customer's kept rate; the rest follows the pattern.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.forecasts.patterns import EVERYONE, Accumulator, Pattern, Patterns, median

PRIOR_WEIGHT = 20.0
# A segment's own pool is the prior once it holds this much weight; below, everyone's is.
SEGMENT_POOL_MIN = 50.0
# Promises: a customer's kept rate leans on everyone's as if it were this many promises.
PROMISE_PRIOR = 2.0
PROMISE_DEFAULT_KEPT = 0.5


@dataclass(frozen=True, slots=True)
class Promised:
    amount: int
    pay_on: date
    kept_rate: float


@dataclass(frozen=True, slots=True)
class Expectation:
    """One invoice: its outstanding spread over the weeks (and `later`, the last slot), the
    day the money is most likely in by, and what that rests on."""

    shares: list[int]
    expected_paid_on: date
    basis: str


@dataclass(slots=True)
class Fit:
    """Everything known at as_of about how customers pay, ready to place open invoices."""

    as_of: date
    own: Patterns
    pools: Patterns
    _spread_cache: dict[tuple[int, str, bool, int, int], list[float]] = field(default_factory=dict)

    @classmethod
    def of(cls, as_of: date, accumulator: Accumulator) -> Fit:
        return cls(as_of, *accumulator.patterns())

    @property
    def empty(self) -> bool:
        return not self.pools

    def prior(self, segment: str | None, disputed: bool) -> tuple[str, Pattern | None]:
        """The pool an invoice leans on: its segment's, else everyone's (disputed or not)."""
        if segment is not None:
            found = self.pools.get((segment, disputed))
            if found is not None and found.weight >= SEGMENT_POOL_MIN:
                return f"segment {segment}", found
        found = self.pools.get((EVERYONE, disputed))
        if found is not None and found.weight > 0:
            return "all customers", found
        everyone = self.pools.get((EVERYONE, not disputed))
        return "all customers", everyone

    def spread(
        self,
        outstanding: int,
        customer_id: str,
        segment: str | None,
        due_on: date,
        disputed: bool,
        promised: Promised | None,
        weeks: int,
    ) -> list[float]:
        """Fractions of the outstanding per week and `later` (weeks + 1 slots, summing to 1)."""
        shares, _ = self._shares(
            outstanding, customer_id, segment, due_on, disputed, promised, weeks, explain=False
        )
        return shares

    def expect(
        self,
        outstanding: int,
        customer_id: str,
        segment: str | None,
        due_on: date,
        disputed: bool,
        promised: Promised | None,
        weeks: int,
    ) -> Expectation:
        fractions, basis = self._shares(
            outstanding, customer_id, segment, due_on, disputed, promised, weeks, explain=True
        )
        shares = allocate(outstanding, fractions)
        paid_on = self._median_day(customer_id, segment, due_on, disputed, promised, outstanding)
        return Expectation(shares, paid_on, basis)

    def _shares(
        self,
        outstanding: int,
        customer_id: str,
        segment: str | None,
        due_on: date,
        disputed: bool,
        promised: Promised | None,
        weeks: int,
        *,
        explain: bool,
    ) -> tuple[list[float], str]:
        """The fractions and, when `explain`, their basis in words (else an empty string)."""
        past_due = (self.as_of - due_on).days
        words: list[str] = []
        said = words if explain else None
        if self.empty:
            fractions = self._on_day(max(due_on, self.as_of + timedelta(days=1)), weeks)
            words.append("no payment history yet: expected on its due date")
        else:
            fractions = self._pattern_spread(customer_id, segment, past_due, disputed, weeks, said)
        if promised is not None and outstanding > 0:
            part = promised.kept_rate * min(promised.amount, outstanding) / outstanding
            on_day = self._on_day(max(promised.pay_on, self.as_of + timedelta(days=1)), weeks)
            fractions = [part * p + (1 - part) * f for p, f in zip(on_day, fractions, strict=True)]
        if not explain:
            return fractions, ""
        if promised is not None and outstanding > 0:
            words.append(
                f"an open promise to pay {promised.amount} on {promised.pay_on.isoformat()}, "
                f"counted at the customer's kept rate of {promised.kept_rate:.0%}"
            )
        if disputed:
            words.append("under an open dispute: disputed invoices' pattern")
        if past_due > 0:
            words.append(f"already {past_due} days past due: only later payment days count")
        return fractions, "; ".join(words)

    def _pattern_spread(
        self,
        customer_id: str,
        segment: str | None,
        past_due: int,
        disputed: bool,
        weeks: int,
        words: list[str] | None,
    ) -> list[float]:
        pool_name, pool = self.prior(segment, disputed)
        pool_spread = self.pool_spread(pool_name, pool, segment, disputed, past_due, weeks)
        own = self.own.get((customer_id, disputed))
        late, weights = own.tail(past_due) if own is not None else ((), ())
        tail_weight = sum(weights)
        if own is None or tail_weight <= 0:
            if words is not None:
                seen = f"{own.payments} payments, none that late" if own else "no payments"
                words.append(f"the customer has {seen}: the pattern of {pool_name}")
            return pool_spread
        weight = own.weight
        mine = weight / (weight + PRIOR_WEIGHT)
        if words is not None:
            words.append(
                f"the customer's {own.payments} payments (median {own.median()} days late, "
                f"recent ones counting most) weigh {mine:.0%}, the pattern of {pool_name} the rest"
            )
        spread = [0.0] * (weeks + 1)
        for days, share in zip(late, weights, strict=True):
            spread[min((days - past_due - 1) // 7, weeks)] += share / tail_weight
        if pool_spread is None:
            return spread
        return [mine * a + (1 - mine) * b for a, b in zip(spread, pool_spread, strict=True)]

    def pool_spread(
        self,
        name: str,
        pool: Pattern | None,
        segment: str | None,
        disputed: bool,
        past_due: int,
        weeks: int,
    ) -> list[float]:
        key = (weeks, name, disputed, past_due, id(pool))
        found = self._spread_cache.get(key)
        if found is not None:
            return found
        spread = [0.0] * (weeks + 1)
        late, weights = pool.tail(past_due) if pool is not None else ((), ())
        total = sum(weights)
        if total <= 0:  # later than anyone has paid: expected at once
            spread[0] = 1.0
        else:
            for days, share in zip(late, weights, strict=True):
                spread[min((days - past_due - 1) // 7, weeks)] += share / total
        self._spread_cache[key] = spread
        return spread

    def _on_day(self, day: date, weeks: int) -> list[float]:
        spread = [0.0] * (weeks + 1)
        spread[min(((day - self.as_of).days - 1) // 7, weeks)] = 1.0
        return spread

    def _median_day(
        self,
        customer_id: str,
        segment: str | None,
        due_on: date,
        disputed: bool,
        promised: Promised | None,
        outstanding: int,
    ) -> date:
        """The day by which the money is more likely in than not (the day-level median)."""
        tomorrow = self.as_of + timedelta(days=1)
        if self.empty:
            return max(due_on, tomorrow)
        past_due = (self.as_of - due_on).days
        days: dict[int, float] = {}
        _, pool = self.prior(segment, disputed)
        own = self.own.get((customer_id, disputed))
        own_late, own_weights = own.tail(past_due) if own is not None else ((), ())
        own_total = sum(own_weights)
        mine = 0.0
        if own is not None and own_total > 0:
            mine = own.weight / (own.weight + PRIOR_WEIGHT)
            _add(days, own_late, own_weights, mine / own_total)
        pool_late, pool_weights = pool.tail(past_due) if pool is not None else ((), ())
        pool_total = sum(pool_weights)
        if pool_total > 0:
            _add(days, pool_late, pool_weights, (1 - mine) / pool_total)
        elif not days:
            days[past_due + 1] = 1.0
        if promised is not None and outstanding > 0:
            part = promised.kept_rate * min(promised.amount, outstanding) / outstanding
            days = {late: share * (1 - part) for late, share in days.items()}
            late = max((promised.pay_on - due_on).days, past_due + 1)
            days[late] = days.get(late, 0.0) + part
        ordered = sorted(days)
        found = median(ordered, [days[late] for late in ordered])
        return max(due_on + timedelta(days=found or 0), tomorrow)


def _add(
    days: dict[int, float], late: Iterable[int], weights: Iterable[float], scale: float
) -> None:
    for day, weight in zip(late, weights, strict=True):
        days[day] = days.get(day, 0.0) + weight * scale


def allocate(amount: int, fractions: Sequence[float]) -> list[int]:
    """Whole minor units per slot adding up to `amount` exactly: floors, then the remainder one
    unit at a time to the largest fractional parts (the earlier slot on a tie)."""
    total = sum(fractions)
    if total <= 0:
        return [amount, *([0] * (len(fractions) - 1))]
    exact = [amount * share / total for share in fractions]
    shares = [min(int(part), amount) for part in exact]
    left = amount - sum(shares)
    order = sorted(range(len(exact)), key=lambda k: (shares[k] - exact[k], k))
    while left > 0:
        for k in order[:left]:
            shares[k] += 1
        left = amount - sum(shares)
    while left < 0:  # floats that rounded up a floor
        shares[shares.index(max(shares))] -= 1
        left += 1
    return shares


def kept_rate(kept: int, broken: int, everyone_kept: int, everyone_broken: int) -> float:
    """A customer's kept rate, leaning on everyone's (or an even chance) while it has few."""
    closed = everyone_kept + everyone_broken
    base = everyone_kept / closed if closed else PROMISE_DEFAULT_KEPT
    return (kept + PROMISE_PRIOR * base) / (kept + broken + PROMISE_PRIOR)
