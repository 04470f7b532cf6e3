"""IBM's accounts-receivable sample, converted and imported: the store holds what the raw file
says. Every expected figure is computed here from the raw CSV, not through the importer."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.core.models import Invoice, Payment
from app.core.store import Store
from app.history.importer import import_file
from tests.support import ibm


def raw_figures() -> dict[str, object]:
    with ibm.SAMPLE.open(newline="") as raw:
        rows = list(csv.DictReader(raw))
    dollars = [Decimal(row["InvoiceAmount"]) for row in rows]
    cents = [int(amount * 100) for amount in dollars]
    assert [amount * 100 for amount in dollars] == cents  # whole cents, nothing cut off
    per_customer = Counter[str]()
    for row, cent in zip(rows, cents, strict=True):
        per_customer[row["customerID"]] += cent
    return {
        "invoices": len(rows),
        "payments": sum(1 for row in rows if row["SettledDate"].strip()),
        "customers": len({row["customerID"] for row in rows}),
        "amount": sum(cents),
        "per_customer": dict(per_customer),
        "days_late": sum(int(row["DaysLate"]) for row in rows),
        "late": sum(1 for row in rows if int(row["DaysLate"]) > 0),
    }


def stored_figures(store: Store) -> dict[str, object]:
    with store.reading() as session:
        stored = session.execute(
            select(Invoice.customer_id, Invoice.amount, Invoice.due_on, Payment.paid_on)
            .join(Payment, Payment.invoice_id == Invoice.invoice_id, isouter=True)
        ).all()  # fmt: skip
        paid = session.scalars(select(Payment.amount)).all()
    per_customer = Counter[str]()
    for customer_id, amount, _, _ in stored:
        per_customer[customer_id] += amount
    days_late = [max(0, (paid_on - due_on).days) for _, _, due_on, paid_on in stored]
    assert sum(paid) == sum(amount for _, amount, _, _ in stored)  # every one paid in full
    return {
        "invoices": len(stored),
        "payments": len(paid),
        "customers": len(per_customer),
        "amount": sum(per_customer.values()),
        "per_customer": dict(per_customer),
        "days_late": sum(days_late),
        "late": sum(1 for days in days_late if days > 0),
    }


def test_the_ibm_sample_imports_whole(store: Store, tmp_path: Path) -> None:
    converted = tmp_path / "ibm-history.csv"
    assert ibm.convert(converted) == 2_466

    result = import_file(store, converted, "cli:tester")

    expected = raw_figures()
    counted = (expected["invoices"], expected["customers"], expected["payments"])
    assert counted == (2_466, 100, 2_466)
    assert (result.invoices_added, result.payments_added) == (2_466, 2_466)
    assert stored_figures(store) == expected
