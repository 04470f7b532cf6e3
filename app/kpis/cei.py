"""Collection effectiveness index (CEI) for a period [start, end]:

    collected = receivables_start + credit_sales - credit_notes - receivables_end
    cei       = collected / (receivables_start + credit_sales - credit_notes
                             - current_receivables_end) * 100

credit_notes are those issued in the period: they lower the receivables at its end without
being collected (CONTRACT 11), so they come off what was there to collect.

receivables_start is what was owed at the end of the day before `start`; current receivables
at `end` are the part not past due at `end` (due_on >= end). Rounded to 2 decimals half up;
null when the denominator is 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy.orm import Session

from app.kpis import balances
from app.kpis.periods import Period, rounded


@dataclass(frozen=True, slots=True)
class Cei:
    period: Period
    currency: str
    segment: str | None
    receivables_start: int
    credit_sales: int
    receivables_end: int
    current_receivables_end: int
    credit_notes: int

    @property
    def collected(self) -> int:
        return self.receivables_start + self.credit_sales - self.credit_notes - self.receivables_end

    @property
    def cei(self) -> Decimal | None:
        collectible = (
            self.receivables_start
            + self.credit_sales
            - self.credit_notes
            - self.current_receivables_end
        )
        return None if collectible == 0 else rounded(Fraction(self.collected * 100, collectible))


def measure(
    session: Session, start: date, end: date, currency: str, segment: str | None = None
) -> Cei:
    """CEI over [start, end] in `currency` (and `segment`), from one set of three queries."""
    found = balances.measure(session, currency, segment, start, [start - timedelta(days=1), end])[
        segment
    ]
    return Cei(
        Period(start, end),
        currency,
        segment,
        receivables_start=found.receivables[0],
        credit_sales=found.credit_sales[1],
        receivables_end=found.receivables[1],
        current_receivables_end=found.current[1],
        credit_notes=found.credit_notes[1],
    )
