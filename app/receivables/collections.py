"""Cash collected by sales owner: the share of each owner's invoicing paid by the due date.

Counted: invoices carrying a sales owner, in the currency asked, issued in the period and due
before today (their outcome is settled); an invoice due today or later is reported as
`not_yet_due` only, so a share never falls because of invoices that cannot be late yet.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.errors import Invalid
from app.customers.schemas import Sum
from app.receivables import repository
from app.receivables.schemas import CollectionsOut, Interval, OwnerPeriod


@dataclass
class _Tally:
    invoices: int = 0
    invoiced: int = 0
    collected_by_due: int = 0
    not_yet_due: int = 0


def collections_by_owner(
    session: Session, start: date, end: date, currency: str, interval: Interval, clock: Clock
) -> CollectionsOut:
    """Per period of `interval` (calendar months or quarters, cut to [start, end]) and owner."""
    if start > end:
        raise Invalid(
            "from must be on or before to.",
            errors=[{"loc": ["query", "from"], "msg": "must be on or before to"}],
        )
    today = clock.today()
    tallies: dict[tuple[date, str], _Tally] = {}
    for row in repository.owner_months(session, start, end, currency, today):
        first = _period_start(row.year, row.month, interval)
        tally = tallies.setdefault((first, row.owner), _Tally())
        tally.invoices += row.invoices
        tally.invoiced += row.invoiced
        tally.collected_by_due += row.collected_by_due
        tally.not_yet_due += row.not_yet_due
    items = [
        OwnerPeriod(
            owner=owner,
            period_from=max(first, start),
            period_to=min(_period_end(first, interval), end),
            invoiced=Sum(amount=tally.invoiced, currency=currency),
            collected_by_due=Sum(amount=tally.collected_by_due, currency=currency),
            share=round(tally.collected_by_due / tally.invoiced, 4) if tally.invoiced else None,
            invoices=tally.invoices,
            not_yet_due=tally.not_yet_due,
        )
        for (first, owner), tally in sorted(tallies.items())
    ]
    return CollectionsOut(
        from_on=start, to_on=end, currency=currency, interval=interval, as_of=today, items=items
    )


def _period_start(year: int, month: int, interval: Interval) -> date:
    if interval == "quarter":
        month -= (month - 1) % 3
    return date(year, month, 1)


def _period_end(first: date, interval: Interval) -> date:
    last_month = first.month + (2 if interval == "quarter" else 0)
    return date(first.year, last_month, calendar.monthrange(first.year, last_month)[1])
