"""IBM's accounts-receivable sample and the one `termsgate import-history` reading of it.

The sample (a copy of ../shared/data/ibm-accounts-receivable.csv is kept in tests/data, so a
clean clone tests with it; 2,466 invoices of 100 customers) has its own header, US-style dates
(M/D/YYYY), amounts in dollars and every invoice settled. The flags below read it as it is:
paid_on is SettledDate (the day the invoice was settled), disputed is Disputed (Yes/No), the
currency USD; its other columns (country, paperless, days late) are ignored. docs/commands.md and
docs/getting-started.md show the same command.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from app.history.reading import Reading

SAMPLE: Final = Path(
    os.environ.get(
        "TERMSGATE_IBM_SAMPLE",
        Path(__file__).resolve().parents[1] / "data" / "ibm-accounts-receivable.csv",
    )
)
REPOSITORY_COPY: Final = "tests/data/ibm-accounts-receivable.csv"
COLUMNS: Final = (
    "customer_id=customerID",
    "invoice_id=invoiceNumber",
    "amount=InvoiceAmount",
    "issued_on=InvoiceDate",
    "due_on=DueDate",
    "paid_on=SettledDate",
    "disputed=Disputed",
)
VALUES: Final = ("currency=USD",)
DATE_FORMAT: Final = "%m/%d/%Y"
FLAGS: Final = (
    *(flag for column in COLUMNS for flag in ("--column", column)),
    *(flag for value in VALUES for flag in ("--set", value)),
    "--date-format",
    DATE_FORMAT,
)
READING: Final = Reading.from_flags(COLUMNS, VALUES, DATE_FORMAT)
