"""Days sales outstanding, best possible DSO and average days delinquent (ADD).

    dso               = receivables_end / credit_sales * days        (standard)
    best_possible_dso = current_receivables / credit_sales * days
    add               = dso - best_possible_dso

Each from the exact ratio, rounded to 2 decimals half up; null when credit_sales is 0.
Countback replaces each ratio by a walk back through monthly credit sales (countback.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from sqlalchemy.orm import Session

from app.kpis import balances, countback
from app.kpis.periods import Period, rounded

Method = Literal["standard", "countback"]


@dataclass(frozen=True, slots=True)
class Dso:
    period: Period
    currency: str
    segment: str | None
    method: Method
    credit_sales: int
    receivables_end: int
    current_receivables: int
    dso: Decimal | None
    best_possible_dso: Decimal | None

    @property
    def add(self) -> Decimal | None:
        """Average days delinquent: the rounded DSO minus the rounded best possible DSO."""
        if self.dso is None or self.best_possible_dso is None:
            return None
        return self.dso - self.best_possible_dso


def days_of_sales(owed: int, credit_sales: int, days: int) -> Decimal | None:
    """owed / credit_sales * days, rounded; None when nothing was sold."""
    return None if credit_sales == 0 else rounded(Fraction(owed * days, credit_sales))


def standard(
    session: Session, start: date, end: date, currency: str, segment: str | None = None
) -> Dso:
    """DSO over [start, end] as CONTRACT 9 defines it, with best possible DSO and ADD."""
    found = balances.measure(session, currency, segment, start, [end])[segment]
    return from_balances(Period(start, end), found, 0, currency, segment)


def from_balances(
    period: Period, found: balances.Balances, index: int, currency: str, segment: str | None
) -> Dso:
    """Standard DSO for `period` from the balances measured at its end (the `index`th)."""
    sold, owed, current = found.credit_sales[index], found.receivables[index], found.current[index]
    return Dso(
        period,
        currency,
        segment,
        "standard",
        sold,
        owed,
        current,
        days_of_sales(owed, sold, period.days),
        days_of_sales(current, sold, period.days),
    )


def by_countback(
    session: Session, start: date, end: date, currency: str, segment: str | None = None
) -> Dso:
    """Countback DSO at `end` (and best possible DSO by the same walk); never null."""
    figures = standard(session, start, end, currency, segment)
    owed_days, current_days = countback.days_outstanding(
        session, currency, segment, end, [figures.receivables_end, figures.current_receivables]
    )
    return Dso(
        figures.period,
        currency,
        segment,
        "countback",
        figures.credit_sales,
        figures.receivables_end,
        figures.current_receivables,
        rounded(owed_days),
        rounded(current_days),
    )


def measure(
    session: Session, start: date, end: date, currency: str, segment: str | None, method: Method
) -> Dso:
    if method == "countback":
        return by_countback(session, start, end, currency, segment)
    return standard(session, start, end, currency, segment)
