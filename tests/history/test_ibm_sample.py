"""IBM's accounts-receivable sample, imported as it is by the one documented command: the store
holds what the raw file says. Every expected figure is computed here from the raw CSV, not
through the importer."""

from __future__ import annotations

import csv
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.config import Settings
from app.core.models import Invoice, Payment
from app.core.store import Store
from tests.support import ibm
from tests.support.harness import cli_env
from tests.support.server import termsgate

REPO = Path(__file__).resolve().parents[2]
COMMAND = " ".join([".venv/bin/termsgate", "import-history", ibm.REPOSITORY_COPY, *ibm.FLAGS])


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


@pytest.mark.process
def test_the_ibm_sample_imports_whole_in_one_command(settings: Settings) -> None:
    done = termsgate("import-history", str(ibm.SAMPLE), *ibm.FLAGS,
                     env=cli_env(settings.database_url), cwd=REPO)  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        f"{ibm.SAMPLE.name}: 2,466 invoices, 2,466 payments and 561 disputes added, "
        "0 already present"
    )
    expected = raw_figures()
    counted = (expected["invoices"], expected["customers"], expected["payments"])
    assert counted == (2_466, 100, 2_466)
    store = Store(settings)
    try:
        assert stored_figures(store) == expected
    finally:
        store.dispose()


@pytest.mark.parametrize("page", ["docs/commands.md", "docs/getting-started.md"])
def test_the_docs_show_that_very_command(page: str) -> None:
    """tests/docs runs the pages' command; this one runs it with these flags: they agree."""
    text = re.sub(r"\\\n\s*", "", (REPO / page).read_text())
    assert COMMAND in text.splitlines()
