"""The weekly sums over many open invoices, without a per-invoice vector: each invoice adds its
own few payment days straight into the weeks, and its pool's share into one mass per pool and
lateness, spread once at the end. The same figures as adding Fit.spread invoice by invoice."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Protocol

from app.forecasts.model import PRIOR_WEIGHT, Fit, Promised
from app.forecasts.patterns import Pattern


class Invoice(Protocol):
    """The fields read here (repository.OpenInvoice has them)."""

    invoice_id: str
    customer_id: str
    segment: str | None
    due_on: date
    outstanding: int


def expected_by_week(
    fit: Fit,
    invoices: Iterable[Invoice],
    promised: Mapping[str, Promised],
    disputed: set[str],
    weeks: int,
) -> list[float]:
    """Per week (and `later`, the last slot), the money expected, in fractional minor units."""
    totals = [0.0] * (weeks + 1)
    pool_mass: dict[tuple[str, bool, int], tuple[Pattern | None, float]] = {}
    as_of = fit.as_of
    own = fit.own
    for invoice in invoices:
        amount = invoice.outstanding
        is_disputed = invoice.invoice_id in disputed
        promise = promised.get(invoice.invoice_id)
        if fit.empty or promise is not None:
            shares = fit.spread(
                amount,
                invoice.customer_id,
                invoice.segment,
                invoice.due_on,
                is_disputed,
                promise,
                weeks,
            )
            for slot, share in enumerate(shares):
                totals[slot] += amount * share
            continue
        past_due = (as_of - invoice.due_on).days
        name, pool = fit.prior(invoice.segment, is_disputed)
        pattern = own.get((invoice.customer_id, is_disputed))
        to_pool = float(amount)
        if pattern is not None:
            late, weights = pattern.tail(past_due)
            tail = sum(weights)
            if tail > 0:
                mine = pattern.weight / (pattern.weight + PRIOR_WEIGHT)
                scale = amount * mine / tail
                for days, weight in zip(late, weights, strict=True):
                    totals[min((days - past_due - 1) // 7, weeks)] += scale * weight
                to_pool = amount * (1 - mine)
        key = (name, is_disputed, past_due)
        found = pool_mass.get(key)
        pool_mass[key] = (pool, to_pool + (found[1] if found is not None else 0.0))
    for (name, is_disputed, past_due), (pool, mass) in pool_mass.items():
        spread = fit.pool_spread(name, pool, None, is_disputed, past_due, weeks)
        for slot, share in enumerate(spread):
            totals[slot] += mass * share
    return totals
