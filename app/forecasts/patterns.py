"""Payment patterns: a customer's (or a pool's) days late, each payment weighted by its recency.

A payment made `band` whole AGE_BAND_DAYS before as_of weighs 2^-(age in days / HALF_LIFE_DAYS),
its age taken at the middle of its band; the repository counts payments per band in SQL, so
a fit reads a few rows per customer rather than every payment. Counts stay whole numbers until
a pattern is weighed, so a fit kept and moved on (app/forecasts/kept.py) weighs exactly as one
made afresh.
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

    def tail(self, past_due: int) -> tuple[Sequence[int], Sequence[float]]:
        """The days late above `past_due`: what is left once the invoice is that late."""
        start = bisect_right(self.late, past_due)
        return self.late[start:], self.weights[start:]

    def median(self) -> int | None:
        return median(self.late, self.weights)


Patterns = dict[tuple[str, bool], Pattern]  # by customer (or pool) and disputed or not


Counts = dict[int, dict[int, int]]  # days late -> recency band -> payments


def pattern_of(counts: Counts) -> Pattern:
    """Whole payment counts weighed: bands in order, so that the same counts always give the
    same floats, however they were added up (afresh, or kept and moved on)."""
    late = sorted(counts)
    weights: list[float] = []
    payments = 0
    for days in late:
        bands = counts[days]
        weight = 0.0
        for band in sorted(bands):
            weight += bands[band] * band_weight(band)
            payments += bands[band]
        weights.append(weight)
    return Pattern(late, weights, payments, sum(weights))


def bump(counts: Counts, late: int, band: int, payments: int) -> None:
    """Add (or, negative, take away) payments; a count back to nothing leaves no trace."""
    bands = counts.setdefault(late, {})
    left = bands.get(band, 0) + payments
    if left:
        bands[band] = left
        return
    bands.pop(band, None)
    if not bands:
        del counts[late]


class Accumulator:
    """Payments counted as the repository returns them, per days late and recency band, then
    weighed into patterns: the customers' own and the pools' (a segment's, everyone's)."""

    def __init__(self) -> None:
        self.own: dict[tuple[str, bool], Counts] = {}
        self.pools: dict[tuple[str, bool], Counts] = {}

    def add(self, key: tuple[str, bool], late: int, band: int, payments: int) -> None:
        bump(self.own.setdefault(key, {}), late, band, payments)

    def add_all(self, rows: Iterable[Sequence[Any]]) -> None:
        """add() for each (customer, disputed, late, band, payments), inlined: a cold fit at
        1,000,000 invoices reads some 180,000 of them."""
        own = self.own
        for customer, disputed, late, band, payments in rows:
            key = (customer, bool(disputed))
            found = own.get(key)
            if found is None:
                found = own[key] = {}
            bands = found.get(late)
            if bands is None:
                found[late] = {band: payments}
            else:
                bands[band] = bands.get(band, 0) + payments

    def pool(self, key: tuple[str, bool], late: int, band: int, payments: int) -> None:
        """Into one pool; negative payments take away."""
        bump(self.pools.setdefault(key, {}), late, band, payments)

    def pooled(self, segment: str | None, disputed: bool, late: int, band: int, n: int) -> None:
        """Payments on invoices of `segment`: into its pool (if any) and everyone's."""
        for key in pool_keys(segment, disputed):
            self.pool(key, late, band, n)

    def patterns(self) -> tuple[Patterns, Patterns]:
        """The customers' own patterns and the pools'."""
        return weighed(self.own), weighed(self.pools)


def pool_keys(segment: str | None, disputed: bool) -> list[tuple[str, bool]]:
    """The pools a payment on an invoice of `segment` goes into: everyone's, and its segment's."""
    if segment is None:
        return [(EVERYONE, disputed)]
    return [(EVERYONE, disputed), (segment, disputed)]


def weighed(counted: dict[tuple[str, bool], Counts]) -> Patterns:
    return {key: pattern_of(counts) for key, counts in counted.items() if counts}


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
