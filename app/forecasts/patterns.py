"""Payment patterns: a customer's (or a pool's) days late, each payment weighted by its recency.

A payment made `band` whole AGE_BAND_DAYS before as_of weighs 2^-(age in days / HALF_LIFE_DAYS),
its age taken at the middle of its band; the repository counts payments per band in SQL, so
a fit reads a few rows per customer rather than every payment.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

HALF_LIFE_DAYS = 60
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
        return median(self.late, self.weights)


Patterns = dict[tuple[str, bool], Pattern]  # by customer (or pool) and disputed or not


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

    def add_all(self, rows: Iterable[Sequence[Any]]) -> None:
        """add() for each (customer, disputed, late, band, payments), inlined: a cold fit at
        1,000,000 invoices reads some 180,000 of them."""
        own, counts, weights = self._own, self._counts, _BAND_WEIGHTS
        for customer, disputed, late, band, payments in rows:
            key = (customer, bool(disputed))
            found = own.get(key)
            if found is None:
                found = own[key] = {}
                counts[key] = 0
            weight = weights[band] if 0 <= band < len(weights) else band_weight(band)
            found[late] = found.get(late, 0.0) + payments * weight
            counts[key] += payments

    def pool(self, key: tuple[str, bool], late: int, band: int, payments: int) -> None:
        found = self._pools.setdefault(key, {})
        found[late] = found.get(late, 0.0) + payments * band_weight(band)
        self._pool_counts[key] = self._pool_counts.get(key, 0) + payments

    def patterns(self) -> tuple[Patterns, Patterns]:
        """The customers' own patterns and the pools'."""
        own = {key: Pattern.of(found, self._counts[key]) for key, found in self._own.items()}
        pools = {
            key: Pattern.of(found, self._pool_counts[key]) for key, found in self._pools.items()
        }
        return own, pools


def median(values: Sequence[int], weights: Sequence[float]) -> int | None:
    total = sum(weights)
    if total <= 0:
        return None
    running = 0.0
    for value, weight in zip(values, weights, strict=True):
        running += weight
        if running >= total / 2:
            return value
    return values[-1]
