"""A made-up but plausible payment history, one customer at a time, from a seed.

Each customer draws from its own random stream, seeded by (seed, customer number), so its
history never depends on how many customers are made alongside it or which were skipped.
What the mix looks like (the README's "Demo data" gives the shares it comes out at):

- payers: 55% pay on time (3% of invoices a few days late), 30% are average (25% late, by 2
  to 14 days), 15% are poor (70% late, by 8 to 45 days); 6% of customers are new, with 1 to 3
  invoices from the last 60 days;
- volume is seasonal: invoices are issued over the 365 days up to today, busiest in November
  and quietest in May (1.3 to 0.7);
- revenue is spread log-normally around USD 30,000 a year, so about one customer in six is
  high-value under the default policy (USD 100,000.00);
- disputes: 0.5%, 3% and 6% of invoices (good, average, poor) are paid 60 to 150 days late,
  or not yet;
- partial payments: 3%, 12% and 25% of invoices from the last 90 days got part of their
  amount and are still open;
- an invoice whose payment would fall after today is open and unpaid.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Final

CURRENCY: Final = "USD"
DAYS: Final = 365
INVOICE_COLUMNS: Final = (
    "invoice_id", "customer_id", "amount", "currency", "issued_on", "due_on", "gross_margin",
    "terms_type", "net_days", "origin", "paid_amount", "changed_version", "credited_amount",
)  # fmt: skip
PAYMENT_COLUMNS: Final = (
    "payment_id", "invoice_id", "amount", "currency", "paid_on", "recorded_at", "origin",
)  # fmt: skip
InvoiceRow = tuple[str, str, int, str, date, date, int, str, int, str, int, int, int]
PaymentRow = tuple[str, str, int, str, date, datetime, str]


@dataclass(frozen=True, slots=True)
class Payer:
    """How one kind of payer pays: the chance an invoice is late, and by how many days."""

    share: float
    late_chance: float
    days_late: tuple[int, int]
    dispute_chance: float
    partial_chance: float


PAYERS: Final = {
    "good": Payer(
        0.55, late_chance=0.03, days_late=(1, 4), dispute_chance=0.005, partial_chance=0.03
    ),
    "average": Payer(
        0.30, late_chance=0.25, days_late=(2, 14), dispute_chance=0.03, partial_chance=0.12
    ),
    "poor": Payer(
        0.15, late_chance=0.70, days_late=(8, 45), dispute_chance=0.06, partial_chance=0.25
    ),
}
NEW_CUSTOMER_CHANCE: Final = 0.06
NEW_CUSTOMER_DAYS: Final = 60
DISPUTE_DAYS_LATE: Final = (60, 150)
PARTIAL_DAYS: Final = 90
# (net days, cumulative share): net 30 for most, some shorter, some longer.
NET_DAYS: Final = ((15, 0.20), (30, 0.80), (45, 0.90), (60, 1.0))
MEDIAN_REVENUE: Final = 3_000_000  # USD 30,000.00 a year, in cents
REVENUE_SIGMA: Final = 1.2
MIN_AMOUNT: Final = 1_000  # USD 10.00
# The default policy's matrix (payer kind, high value) -> segment, its high-value revenue and
# the invoices it needs to classify a customer at all.
SEGMENTS: Final = {
    ("good", True): "net_30", ("good", False): "net_30",
    ("average", True): "net_30", ("average", False): "net_15",
    ("poor", True): "net_15", ("poor", False): "pay_on_order",
}  # fmt: skip
HIGH_VALUE_REVENUE: Final = 10_000_000
MIN_INVOICES: Final = 3
NEW_CUSTOMER_SEGMENT: Final = "pay_on_order"


@dataclass(frozen=True, slots=True)
class Calendar:
    """The days invoices may be issued on, oldest first, with their seasonal weights summed."""

    today: date
    days: tuple[date, ...]
    cumulative_weights: tuple[float, ...]

    @classmethod
    def ending(cls, today: date) -> Calendar:
        days = tuple(today - timedelta(days=back) for back in range(DAYS - 1, -1, -1))
        weights = (1 + 0.3 * math.cos(2 * math.pi * (day.month - 11) / 12) for day in days)
        return cls(today, days, tuple(accumulate(weights)))


@dataclass(frozen=True, slots=True)
class Stamp:
    """What every row of one demo write shares."""

    changed_version: int
    recorded_at: datetime


def customer_id(number: int) -> str:
    return f"demo-{number:05d}"


def customer_history(
    seed: int, number: int, calendar: Calendar, stamp: Stamp
) -> tuple[list[InvoiceRow], list[PaymentRow], str]:
    """The invoices and payments of demo customer `number`, the same for the same seed, and
    the segment the demo means it for."""
    rng = random.Random(f"termsgate-demo:{seed}:{number}")
    customer = customer_id(number)
    payer = _pick_payer(rng.random())
    net_days = next(days for days, upto in NET_DAYS if rng.random() < upto)
    revenue = MEDIAN_REVENUE * rng.lognormvariate(0, REVENUE_SIGMA)
    margin_pct = 0.10 + 0.35 * rng.random()
    if rng.random() < NEW_CUSTOMER_CHANCE:
        issue_days = sorted(rng.choices(calendar.days[-NEW_CUSTOMER_DAYS:], k=rng.randint(1, 3)))
    else:
        count = min(60, int(rng.lognormvariate(math.log(8.4), 0.6)) + 1)
        issue_days = sorted(
            rng.choices(calendar.days, cum_weights=calendar.cumulative_weights, k=count)
        )
    typical = revenue / len(issue_days)
    today = calendar.today
    recent = today - timedelta(days=PARTIAL_DAYS)
    invoices: list[InvoiceRow] = []
    payments: list[PaymentRow] = []
    for index, issued_on in enumerate(issue_days, start=1):
        invoice_id = f"{customer}-{index:03d}"
        amount = max(MIN_AMOUNT, int(typical * (0.6 + 0.8 * rng.random())))
        due_on = issued_on + timedelta(days=net_days)
        paid_amount = 0
        if issued_on >= recent and rng.random() < payer.partial_chance:
            paid_on = issued_on + timedelta(days=int(rng.random() * (today - issued_on).days))
            paid_amount = amount * (3 + int(rng.random() * 5)) // 10
        else:
            paid_on = due_on + timedelta(days=_days_late(rng, payer))
            if paid_on <= today:
                paid_amount = amount
        if paid_amount:
            payments.append(
                (f"{invoice_id}-p1", invoice_id, paid_amount, CURRENCY, max(paid_on, issued_on),
                 stamp.recorded_at, "demo")
            )  # fmt: skip
        margin = int(amount * margin_pct * (0.8 + 0.4 * rng.random()))
        invoices.append(
            (invoice_id, customer, amount, CURRENCY, issued_on, due_on, margin, "net", net_days,
             "imported", paid_amount, stamp.changed_version, 0)
        )  # fmt: skip
    return invoices, payments, intended_segment(payer, invoices)


def intended_segment(payer: Payer, invoices: list[InvoiceRow]) -> str:
    """Where the default policy would place a customer paying like `payer` (a new one, with
    too few invoices to tell, on its new-customer segment)."""
    if len(invoices) < MIN_INVOICES:
        return NEW_CUSTOMER_SEGMENT
    kind = next(name for name, known in PAYERS.items() if known is payer)
    return SEGMENTS[kind, sum(row[2] for row in invoices) >= HIGH_VALUE_REVENUE]


def _pick_payer(draw: float) -> Payer:
    for payer in PAYERS.values():
        if draw < payer.share:
            return payer
        draw -= payer.share
    return PAYERS["poor"]


def _days_late(rng: random.Random, payer: Payer) -> int:
    """Days after due (negative: early) this invoice is paid."""
    draw = rng.random()
    if draw < payer.dispute_chance:
        low, high = DISPUTE_DAYS_LATE
        return low + int(rng.random() * (high - low + 1))
    if draw < payer.dispute_chance + payer.late_chance:
        low, high = payer.days_late
        return low + int(rng.random() * (high - low + 1))
    return -int(rng.random() * 8)  # on time: on the day or up to a week early
