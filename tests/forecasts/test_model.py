"""The model's arithmetic, without a store: whole units that add up, the conditional tail, the
pull towards the pool and the kept rate."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

import pytest

from app.forecasts.model import PRIOR_WEIGHT, Fit, Promised, allocate, kept_rate
from app.forecasts.patterns import EVERYONE, Accumulator

AS_OF = date(2025, 6, 30)


@pytest.mark.parametrize("seed", range(20))
def test_allocation_adds_up_to_the_amount_exactly(seed: int) -> None:
    rng = Random(seed)
    amount = rng.randrange(0, 10**12)
    raw = [rng.random() ** 3 for _ in range(rng.randrange(1, 54))]
    fractions = [part / sum(raw) for part in raw]
    shares = allocate(amount, fractions)
    assert sum(shares) == amount
    assert all(share >= 0 for share in shares)
    slack = 1 + 1e-6 * amount
    close = [abs(s - amount * f) < slack for s, f in zip(shares, fractions, strict=True)]
    assert all(close)


def test_allocation_gives_remainders_to_the_largest_parts_then_the_earlier() -> None:
    assert allocate(10, [1 / 3, 1 / 3, 1 / 3]) == [4, 3, 3]
    assert allocate(1, [0.25, 0.75]) == [0, 1]
    assert allocate(5, [0.0, 0.0]) == [5, 0]


def fit_of(customer_late: list[int], everyone_late: list[int]) -> Accumulator:
    accumulator = Accumulator()
    for late in customer_late:
        accumulator.add(("c-1", False), late, 0, 1)
    for late in everyone_late:
        accumulator.pool((EVERYONE, False), late, 0, 1)
    return accumulator


def test_an_invoice_already_late_is_spread_over_later_days_only() -> None:
    fit = Fit.of(AS_OF, fit_of([5, 10, 40, 60], [5, 10, 40, 60]))
    due_on = AS_OF - timedelta(days=30)  # 30 days late: only 40 and 60 remain
    spread = fit.spread(1_000, "c-1", None, due_on, False, None, 13)
    assert spread[0] == pytest.approx(0.0)
    assert spread[1] == pytest.approx(0.5)  # 40 days late: 10 days after as_of, week 1
    assert spread[4] == pytest.approx(0.5)  # 60 days late: 30 days after as_of, week 4
    assert sum(spread) == pytest.approx(1.0)


def test_a_new_customer_follows_the_pool_and_a_steady_one_leans_on_itself() -> None:
    accumulator = fit_of([], [21] * 100)
    for _ in range(200):
        accumulator.add(("steady", False), 0, 0, 1)
    fit = Fit.of(AS_OF, accumulator)
    due_on = AS_OF + timedelta(days=3)
    new = fit.spread(1_000, "newcomer", None, due_on, False, None, 13)
    assert new[3] == pytest.approx(1.0)  # due + 21 = as_of + 24: week 3
    steady = fit.spread(1_000, "steady", None, due_on, False, None, 13)
    own = fit.own[("steady", False)].weight
    assert steady[0] == pytest.approx(own / (own + PRIOR_WEIGHT))
    assert steady[0] > 0.8


def test_a_promise_puts_its_amount_on_its_day_at_the_kept_rate() -> None:
    fit = Fit.of(AS_OF, fit_of([30], [30]))
    promised = Promised(amount=500, pay_on=AS_OF + timedelta(days=2), kept_rate=0.8)
    due_on = AS_OF + timedelta(days=10)  # the pattern: 40 days after as_of, week 5
    spread = fit.spread(1_000, "c-1", None, due_on, False, promised, 13)
    assert spread[0] == pytest.approx(0.4)
    assert spread[5] == pytest.approx(0.6)


def test_with_no_history_every_invoice_is_expected_on_its_due_date() -> None:
    fit = Fit.of(AS_OF, Accumulator())
    found = fit.expect(700, "c-1", None, AS_OF + timedelta(days=9), False, None, 4)
    assert found.shares == [0, 700, 0, 0, 0]
    assert found.expected_paid_on == AS_OF + timedelta(days=9)
    assert "no payment history yet" in found.basis


def test_the_kept_rate_leans_on_everyones_while_it_has_few() -> None:
    assert kept_rate(0, 0, 0, 0) == 0.5
    assert kept_rate(0, 0, 9, 1) == pytest.approx(0.9)
    assert kept_rate(1, 0, 1, 1) == pytest.approx((1 + 2 * 0.5) / 3)


def test_the_weekly_sums_are_the_invoices_spreads_added_up() -> None:
    """app/forecasts/weekly.py takes a short cut (pool shares spread once); same figures."""
    from app.forecasts.repository import OpenInvoice
    from app.forecasts.weekly import expected_by_week

    accumulator = fit_of([3, 8, 30], [0, 5, 12, 40, 70])
    accumulator.pool(("net_30", False), 20, 0, 60)
    accumulator.pool((EVERYONE, True), 50, 0, 3)
    fit = Fit.of(AS_OF, accumulator)
    rng = Random(5)
    invoices = [
        OpenInvoice(
            f"inv-{n}",
            rng.choice(["c-1", "c-2"]),
            rng.choice([None, "net_30"]),
            "USD",
            AS_OF + timedelta(days=rng.randrange(-60, 40)),
            rng.randrange(1, 100_000),
        )
        for n in range(60)
    ]
    promised = {"inv-3": Promised(500, AS_OF + timedelta(days=4), 0.7)}
    disputed = {"inv-5", "inv-8"}
    fast = expected_by_week(fit, invoices, promised, disputed, 13)
    slow = [0.0] * 14
    for invoice in invoices:
        spread = fit.spread(
            invoice.outstanding,
            invoice.customer_id,
            invoice.segment,
            invoice.due_on,
            invoice.invoice_id in disputed,
            promised.get(invoice.invoice_id),
            13,
        )
        for slot, share in enumerate(spread):
            slow[slot] += invoice.outstanding * share
    assert fast == pytest.approx(slow)
