"""The KPI gauges: termsgate_dso_days and termsgate_receivables_open, refreshed on a schedule.

Per currency invoiced in and per segment (plus segment="all", which also counts imported
history): standard DSO over the 90 days ending today, and what is owed at the end of today.
DSO is NaN where nothing was invoiced in those 90 days. A scrape never computes them; while
the store is unreachable they keep their last values.
"""

from __future__ import annotations

import math
from datetime import timedelta

from app.core import metrics
from app.core.clock import Clock
from app.core.store import Store
from app.kpis import balances, repository
from app.kpis.balances import Balances
from app.kpis.dso import days_of_sales

WINDOW_DAYS = 90
ALL = "all"


def refresh(store: Store, clock: Clock) -> None:
    """Recompute every series (three aggregate queries per currency)."""
    end = clock.today()
    start = end - timedelta(days=WINDOW_DAYS - 1)
    with store.reading() as session:
        measured = {
            currency: balances.measure(session, currency, None, start, [end], by_segment=True)
            for currency in repository.currencies(session)
        }
    for currency, found in measured.items():
        _report(currency, ALL, balances.overall(found, 1))
        for segment, figures in found.items():
            if segment is not None:
                _report(currency, segment, figures)


def _report(currency: str, segment: str, found: Balances) -> None:
    dso = days_of_sales(found.receivables[0], found.credit_sales[0], WINDOW_DAYS)
    metrics.DSO_DAYS.labels(currency=currency, segment=segment).set(
        math.nan if dso is None else float(dso)
    )
    metrics.RECEIVABLES_OPEN.labels(currency=currency, segment=segment).set(found.receivables[0])
