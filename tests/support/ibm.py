"""IBM's accounts-receivable sample, converted to the history import format.

The sample (a copy of ../shared/data/ibm-accounts-receivable.csv is kept in tests/data, so a
clean clone tests with it; 2,466 invoices of 100 customers) has
US-style dates (M/D/YYYY), amounts in dollars and every invoice settled; it becomes
`customer_id,invoice_id,currency,amount,issued_on,due_on,paid_on` in USD with
paid_on = SettledDate. Its other columns (country, dispute, paperless, days late) are kept as
they are: the import ignores columns it does not know.
"""

from __future__ import annotations

import csv
import os
from datetime import date, datetime
from pathlib import Path
from typing import Final

SAMPLE: Final = Path(
    os.environ.get(
        "TERMSGATE_IBM_SAMPLE",
        Path(__file__).resolve().parents[1] / "data" / "ibm-accounts-receivable.csv",
    )
)
IMPORT_COLUMNS: Final = (
    "customer_id", "invoice_id", "currency", "amount", "issued_on", "due_on", "paid_on",
)  # fmt: skip
KEPT_COLUMNS: Final = ("countryCode", "Disputed", "PaperlessBill", "DaysToSettle", "DaysLate")


def us_date(text: str) -> date:
    """4/6/2013 -> 2013-04-06."""
    return datetime.strptime(text.strip(), "%m/%d/%Y").date()


def convert(target: Path, source: Path = SAMPLE) -> int:
    """Write the sample in the import format to `target`; returns the invoices written."""
    written = 0
    with source.open(newline="") as raw, target.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*IMPORT_COLUMNS, *KEPT_COLUMNS])
        for row in csv.DictReader(raw):
            writer.writerow(
                [
                    row["customerID"],
                    row["invoiceNumber"],
                    "USD",
                    row["InvoiceAmount"],
                    us_date(row["InvoiceDate"]).isoformat(),
                    us_date(row["DueDate"]).isoformat(),
                    us_date(row["SettledDate"]).isoformat() if row["SettledDate"].strip() else "",
                    *(row[name] for name in KEPT_COLUMNS),
                ]
            )
            written += 1
    return written
