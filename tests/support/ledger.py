"""Invoices and payments written straight into the store, and the reports worked out naively."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import insert

from app.core.models import Invoice, Payment
from app.core.store import Store, written_version

DAY = timedelta(days=1)
BUCKETS = ("current", "1_30", "31_60", "61_90", "over_90")


class Entry(NamedTuple):
    """One invoice and its payments, (paid_on, amount) pairs."""

    invoice_id: str
    amount: int
    issued_on: date
    due_on: date
    payments: tuple[tuple[date, int], ...] = ()
    segment: str | None = None
    owner: str | None = None
    currency: str = "USD"


def record(store: Store, entries: Iterable[Entry]) -> None:
    """Write the invoices and their payments in one transaction."""
    now = datetime.now(UTC)
    invoices: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    with store.writing() as session:
        version = written_version(session)
        for entry in entries:
            invoices.append(
                {
                    "invoice_id": entry.invoice_id,
                    "customer_id": f"c-{entry.invoice_id}",
                    "amount": entry.amount,
                    "currency": entry.currency,
                    "issued_on": entry.issued_on,
                    "due_on": entry.due_on,
                    "sales_owner": entry.owner,
                    "segment_key": entry.segment,
                    "terms_type": "net",
                    "net_days": 30,
                    "origin": "route" if entry.segment else "import",
                    "paid_amount": sum(amount for _on, amount in entry.payments),
                    "changed_version": version,
                }
            )
            payments.extend(
                {
                    "payment_id": f"{entry.invoice_id}-p{number}",
                    "invoice_id": entry.invoice_id,
                    "amount": amount,
                    "currency": entry.currency,
                    "paid_on": paid_on,
                    "recorded_at": now,
                    "origin": "import",
                }
                for number, (paid_on, amount) in enumerate(entry.payments)
            )
        if invoices:
            session.execute(insert(Invoice), invoices)
        if payments:
            session.execute(insert(Payment), payments)


def random_ledger(seed: int, count: int, around: date) -> list[Entry]:
    """Invoices issued in the 200 days before `around` and a little after, paid whole, in
    parts, late, early, after `around` or not at all, across segments, owners and currencies."""
    rng = random.Random(seed)
    entries = []
    for number in range(count):
        issued_on = around - rng.randint(-20, 200) * DAY
        due_on = issued_on + rng.choice([0, 15, 30, 45]) * DAY
        amount = rng.randint(1, 50_000)
        payments: list[tuple[date, int]] = []
        left = amount
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            if left == 0:
                break
            part = left if rng.random() < 0.5 else rng.randint(1, left)
            payments.append((issued_on + rng.randint(-5, 150) * DAY, part))
            left -= part
        entries.append(
            Entry(
                invoice_id=f"r-{seed}-{number}",
                amount=amount,
                issued_on=issued_on,
                due_on=due_on,
                payments=tuple(payments),
                segment=rng.choice([None, None, "net_15", "net_30", "pay_on_order"]),
                owner=rng.choice([None, "ana", "bo", "cy"]),
                currency=rng.choice(["USD", "USD", "USD", "EUR"]),
            )
        )
    return entries


def naive_bucket(days_past_due: int) -> str:
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1_30"
    if days_past_due <= 60:
        return "31_60"
    if days_past_due <= 90:
        return "61_90"
    return "over_90"


def naive_ageing(entries: Iterable[Entry], as_of: date, currency: str) -> dict[str, Any]:
    """The ageing answer worked out invoice by invoice, as a dict like the API's."""
    by_segment: dict[str | None, dict[str, list[int]]] = defaultdict(
        lambda: {name: [0, 0] for name in BUCKETS}
    )
    overall = {name: [0, 0] for name in BUCKETS}
    for entry in entries:
        if entry.currency != currency or entry.issued_on > as_of:
            continue
        owed = entry.amount - sum(amount for paid_on, amount in entry.payments if paid_on <= as_of)
        if owed <= 0:
            continue
        name = naive_bucket((as_of - entry.due_on).days)
        for tallies in (overall, by_segment[entry.segment]):
            tallies[name][0] += 1
            tallies[name][1] += owed
    segments = sorted(by_segment, key=lambda key: (key is None, key or ""))
    return {
        "as_of": as_of.isoformat(),
        "currency": currency,
        **_shown(overall, currency),
        "segments": [
            {"segment": segment, **_shown(by_segment[segment], currency)} for segment in segments
        ],
    }


def _shown(tallies: dict[str, list[int]], currency: str) -> dict[str, Any]:
    def tally(count: int, owed: int) -> dict[str, Any]:
        return {"count": count, "sum": {"amount": owed, "currency": currency}}

    return {
        "total": tally(sum(t[0] for t in tallies.values()), sum(t[1] for t in tallies.values())),
        "buckets": {name: tally(*tallies[name]) for name in BUCKETS},
    }


def naive_collections(
    entries: Iterable[Entry], start: date, end: date, currency: str, quarters: bool, today: date
) -> list[dict[str, Any]]:
    """The collections-by-owner items worked out invoice by invoice."""
    tallies: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for entry in entries:
        if entry.owner is None or entry.currency != currency:
            continue
        if not start <= entry.issued_on <= end:
            continue
        month = entry.issued_on.month
        if quarters:
            month = (month - 1) // 3 * 3 + 1
        tally = tallies[(date(entry.issued_on.year, month, 1), entry.owner)]
        if entry.due_on >= today:
            tally[3] += 1
            continue
        tally[0] += 1
        tally[1] += entry.amount
        tally[2] += sum(amount for paid_on, amount in entry.payments if paid_on <= entry.due_on)
    items = []
    for (first, owner), (count, invoiced, collected, pending) in sorted(tallies.items()):
        months = 3 if quarters else 1
        after = date(
            first.year + (first.month + months - 1) // 12, (first.month + months - 1) % 12 + 1, 1
        )
        items.append(
            {
                "owner": owner,
                "period_from": max(first, start).isoformat(),
                "period_to": min(after - DAY, end).isoformat(),
                "invoiced": {"amount": invoiced, "currency": currency},
                "collected_by_due": {"amount": collected, "currency": currency},
                "share": round(collected / invoiced, 4) if invoiced else None,
                "invoices": count,
                "not_yet_due": pending,
            }
        )
    return items
