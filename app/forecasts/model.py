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

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

HALF_LIFE_DAYS = 60
PRIOR_WEIGHT = 20.0
# A segment's own pool is the prior once it holds this much weight; below, everyone's is.
SEGMENT_POOL_MIN = 50.0
# Promises: a customer's kept rate leans on everyone's as if it were this many promises.
PROMISE_PRIOR = 2.0
PROMISE_DEFAULT_KEPT = 0.5
# Payments older than this say nothing any more (their weight is under 2^-12); a customer's
# own, older than a year, weigh under 2^-6 each against a pool worth PRIOR_WEIGHT.
HISTORY_DAYS = 730
OWN_HISTORY_DAYS = 365
AGE_BAND_DAYS = 30
EVERYONE = "\x00everyone"  # the pool of every segment (segment keys are [a-z0-9_])


def band_weight(band: int) -> float:
    """The recency weight of a payment made `band` whole AGE_BAND_DAYS before as_of."""
    if 0 <= band < len(_BAND_WEIGHTS):
        return _BAND_WEIGHTS[band]
    return float(0.5 ** ((band * AGE_BAND_DAYS + AGE_BAND_DAYS / 2) / HALF_LIFE_DAYS))


_BAND_WEIGHTS = [
    float(0.5 ** ((band * AGE_BAND_DAYS + AGE_BAND_DAYS / 2) / HALF_LIFE_DAYS))
    for band in range(HISTORY_DAYS // AGE_BAND_DAYS + 2)
]


@dataclass(slots=True)
class Pattern:
    """Days late with their weights, sorted; the tail above a day is read by bisection."""

    late: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    payments: int = 0
    weight: float = 0.0

    @classmethod
    def of(cls, found: dict[int, float], payments: int) -> Pattern:
        late = sorted(found)
        weights = [found[days] for days in late]
        return cls(late, weights, payments, sum(weights))

    def tail(self, past_due: int) -> tuple[Sequence[int], Sequence[float]]:
        """The days late above `past_due`: what is left once the invoice is that late."""
        start = bisect_right(self.late, past_due)
        return self.late[start:], self.weights[start:]

    def median(self) -> int | None:
        return _median(self.late, self.weights)


class Accumulator:
    """Payments grouped as the repository returns them, added up into patterns: the customers'
    own and the pools' (a segment's, everyone's)."""

    def __init__(self) -> None:
        self._own: dict[tuple[str, bool], dict[int, float]] = {}
        self._pools: dict[tuple[str, bool], dict[int, float]] = {}
        self._counts: dict[tuple[str, bool], int] = {}
        self._pool_counts: dict[tuple[str, bool], int] = {}

    def add(self, key: tuple[str, bool], late: int, band: int, payments: int) -> None:
        found = self._own.setdefault(key, {})
        found[late] = found.get(late, 0.0) + payments * band_weight(band)
        self._counts[key] = self._counts.get(key, 0) + payments

    def pool(self, key: tuple[str, bool], late: int, band: int, payments: int) -> None:
        found = self._pools.setdefault(key, {})
        found[late] = found.get(late, 0.0) + payments * band_weight(band)
        self._pool_counts[key] = self._pool_counts.get(key, 0) + payments

    def fit(self, as_of: date) -> Fit:
        own = {key: Pattern.of(found, self._counts[key]) for key, found in self._own.items()}
        pools = {
            key: Pattern.of(found, self._pool_counts[key]) for key, found in self._pools.items()
        }
        return Fit(as_of, own, pools)


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
    own: dict[tuple[str, bool], Pattern]
    pools: dict[tuple[str, bool], Pattern]
    _spread_cache: dict[tuple[int, str, bool, int, int], list[float]] = field(default_factory=dict)

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
        median = _median(ordered, [days[late] for late in ordered])
        return max(due_on + timedelta(days=median or 0), tomorrow)


def _add(
    days: dict[int, float], late: Iterable[int], weights: Iterable[float], scale: float
) -> None:
    for day, weight in zip(late, weights, strict=True):
        days[day] = days.get(day, 0.0) + weight * scale


def _median(values: Sequence[int], weights: Sequence[float]) -> int | None:
    total = sum(weights)
    if total <= 0:
        return None
    running = 0.0
    for value, weight in zip(values, weights, strict=True):
        running += weight
        if running >= total / 2:
            return value
    return values[-1]


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
