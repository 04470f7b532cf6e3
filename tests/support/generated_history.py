"""Large, valid history files made up on the spot, for the memory test and the benchmark."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Final

from app.history.csvfile import REQUIRED

FIRST_ISSUED_ON: Final = date(2024, 1, 1)
DAYS: Final = 365
NET_DAYS: Final = (0, 15, 30, 45)


def write_history(path: Path, rows: int, customers: int, seed: int = 7) -> None:
    """`rows` invoices of `customers` customers in USD over a year: a few left unpaid, most
    paid, some late; ids `inv-0000001` on, customers `cust-000001` on."""
    chooser = random.Random(seed)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*REQUIRED, "gross_margin"])
        for number in range(1, rows + 1):
            issued_on = FIRST_ISSUED_ON + timedelta(days=chooser.randrange(DAYS))
            due_on = issued_on + timedelta(days=chooser.choice(NET_DAYS))
            cents = chooser.randrange(100, 5_000_000)
            paid = chooser.random() < 0.95
            paid_on = due_on + timedelta(days=chooser.randrange(-10, 40)) if paid else None
            if paid_on is not None and paid_on < issued_on:
                paid_on = issued_on
            writer.writerow(
                [
                    f"cust-{chooser.randrange(customers) + 1:06d}",
                    f"inv-{number:07d}",
                    "USD",
                    f"{cents // 100}.{cents % 100:02d}",
                    issued_on.isoformat(),
                    due_on.isoformat(),
                    paid_on.isoformat() if paid_on is not None else "",
                    f"{cents // 400}.{cents % 100:02d}",
                ]
            )
