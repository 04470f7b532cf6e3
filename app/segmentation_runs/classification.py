"""The policy's rules (CONTRACT section 7) applied to one customer's tally.

Bounds are compared exactly: a bound of 0.1 means one tenth, so a customer with 1 late invoice
out of 10 is within it; sums stay integers and bounds become fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Final, NamedTuple

from app.segmentation_runs.tallies import Tally
from app.terms.service import PayerClassBounds, Policy

GOOD: Final = "good"
AVERAGE: Final = "average"
POOR: Final = "poor"
HIGH: Final = "high"
STANDARD: Final = "standard"
DECIMALS: Final = 4


class Ratio(NamedTuple):
    """A bound as an exact fraction: numerator over denominator."""

    numerator: int
    denominator: int

    @classmethod
    def of(cls, value: float | int) -> Ratio:
        exact = Fraction(str(value))
        return cls(exact.numerator, exact.denominator)

    def at_least(self, part: int, whole: int) -> bool:
        """part / whole >= this ratio (whole > 0)."""
        return part * self.denominator >= self.numerator * whole

    def at_most(self, part: int, whole: int) -> bool:
        """part / whole <= this ratio (whole > 0)."""
        return part * self.denominator <= self.numerator * whole


class Bounds(NamedTuple):
    """A payer class holds when all its bounds hold, inclusive; no `max_broken_promises` is no
    bound on promises."""

    max_avg_days_late: Ratio
    max_late_share: Ratio
    max_broken_promises: int | None = None

    def hold(self, tally: Tally) -> bool:
        if self.max_broken_promises is not None and (
            tally.broken_promises > self.max_broken_promises
        ):
            return False
        return self.max_avg_days_late.at_most(
            tally.days_late, tally.counted
        ) and self.max_late_share.at_most(tally.late, tally.counted)


class Classified(NamedTuple):
    """Where the rules put a customer, and the tally they read."""

    payer_class: str | None
    value_tier: str
    segment: str
    tally: Tally


@dataclass(frozen=True, slots=True)
class Rules:
    """The policy document in force, read once per run."""

    version: int
    lookback_days: int
    min_invoices: int
    currency: str
    new_customer_segment: str
    good: Bounds
    average: Bounds
    min_revenue: int
    min_margin_pct: Ratio | None
    matrix: dict[str, dict[str, str]]

    @classmethod
    def of(cls, policy: Policy) -> Rules:
        high = policy.value_tiers[HIGH]
        margin = high.min_margin_pct
        return cls(
            version=policy.version,
            lookback_days=policy.lookback_days,
            min_invoices=policy.min_invoices,
            currency=policy.currency,
            new_customer_segment=policy.new_customer_segment,
            good=_bounds(policy.payer_classes[GOOD]),
            average=_bounds(policy.payer_classes[AVERAGE]),
            min_revenue=high.min_revenue.amount,
            min_margin_pct=None if margin is None else Ratio.of(margin),
            matrix=policy.matrix,
        )

    def segments_named(self) -> set[str]:
        return {
            self.new_customer_segment,
            *(key for row in self.matrix.values() for key in row.values()),
        }

    def window_start(self, as_of: date) -> date:
        """The first issue day that counts: as_of minus the lookback (never before year 1)."""
        if as_of.toordinal() <= self.lookback_days:
            return date.min
        return as_of - timedelta(days=self.lookback_days)

    def classify(self, tally: Tally) -> Classified:
        payer_class = self.payer_class(tally)
        value_tier = self.value_tier(tally)
        if payer_class is None:
            return Classified(None, value_tier, self.new_customer_segment, tally)
        return Classified(payer_class, value_tier, self.matrix[payer_class][value_tier], tally)

    def payer_class(self, tally: Tally) -> str | None:
        if tally.counted < self.min_invoices or tally.counted == 0:
            return None
        if self.good.hold(tally):
            return GOOD
        if self.average.hold(tally):
            return AVERAGE
        return POOR

    def value_tier(self, tally: Tally) -> str:
        if tally.revenue < self.min_revenue:
            return STANDARD
        margin_pct = self.min_margin_pct
        # No margins on its invoices (or no amount to share them over): the rule does not apply.
        if margin_pct is None or tally.margin_invoices == 0 or tally.margin_amount <= 0:
            return HIGH
        return HIGH if margin_pct.at_least(tally.margin * 100, tally.margin_amount) else STANDARD


def metrics(tally: Tally, currency: str) -> dict[str, Any]:
    """The numbers a profile and a move show, ratios rounded for reading."""
    return {
        "invoices_counted": tally.counted,
        "invoices_late": tally.late,
        "invoices_paid": tally.paid,
        "avg_days_late": _ratio(tally.days_late, tally.counted),
        "late_share": _ratio(tally.late, tally.counted),
        "avg_days_to_pay": _ratio(tally.days_to_pay, tally.paid),
        "revenue": {"amount": tally.revenue, "currency": currency},
        "margin_share": _ratio(tally.margin, tally.margin_amount),
        "broken_promises": tally.broken_promises,
    }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, DECIMALS) if whole > 0 else None


def _bounds(bounds: PayerClassBounds) -> Bounds:
    return Bounds(
        Ratio.of(bounds.max_avg_days_late),
        Ratio.of(bounds.max_late_share),
        bounds.max_broken_promises,
    )
