"""Countback DSO: how many days of the latest credit sales the receivables amount to.

Walk back from the period's last day through calendar months: first the days of `end`'s own
month up to `end` (all of it when `end` is a month end), then each whole month before. A
month whose credit sales do not exceed what is left counts all its days (a month without
sales too) and its sales come off; the month that uses up the rest counts
left / month_sales * days_in_month. Nothing owed: 0 days. The walk never passes the first
invoice: receivables never exceed what was invoiced up to `end`.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from sqlalchemy.orm import Session

from app.kpis import repository
from app.kpis.periods import Period, month_before, month_of
from app.kpis.repository import SegmentKey

MONTHS_PER_QUERY = 12


def days_outstanding(
    session: Session, currency: str, segment: SegmentKey, end: date, owed: list[int]
) -> list[Fraction]:
    """Countback days for each amount in `owed` (e.g. receivables and current receivables)."""
    days = [Fraction(0)] * len(owed)
    left = list(owed)
    earliest = repository.earliest_issued_on(session, currency, segment)
    month = Period(month_of(end).start, end)
    while earliest is not None and any(left):
        latest = repository.latest_issued_on(session, currency, segment, month.end)
        if latest is None:
            break  # all history walked: cannot happen while payments never exceed invoices
        if latest < month.start:  # months without sales count whole: step over them at once
            skipped = (month.end - month_of(latest).end).days
            days = [
                d + (skipped if owed_left else 0) for d, owed_left in zip(days, left, strict=True)
            ]
            month = month_of(latest)
        months = [month]
        while len(months) < MONTHS_PER_QUERY and months[-1].start > earliest:
            months.append(month_before(months[-1]))
        ends = [m.end for m in reversed(months)]
        sales = [0] * len(months)
        for period, amount in repository.credit_sales(
            session, currency, segment, False, months[-1].start, ends
        ):
            sales[period] = amount
        for window, sold in zip(months, reversed(sales), strict=True):
            for index, remaining in enumerate(left):
                if remaining == 0:
                    continue
                if sold >= remaining:
                    days[index] += Fraction(remaining, sold) * window.days
                    left[index] = 0
                else:
                    days[index] += window.days
                    left[index] -= sold
        if months[-1].start <= earliest:
            break  # all history walked: cannot happen while payments never exceed invoices
        month = month_before(months[-1])
    return days
