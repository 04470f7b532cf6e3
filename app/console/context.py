"""What the console shows about a customer beside a decision: where it stands, what it owes and
how much of that is overdue, its promise record. Read through the customers' and invoices'
own functions, as the API's routes read them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.errors import NotFound
from app.customers import profile
from app.customers.schemas import ProfileOut, Sum
from app.invoices import ledger
from app.invoices.schemas import InvoiceOut

OPEN_INVOICES_READ = 200


@dataclass(frozen=True, slots=True)
class Standing:
    profile: ProfileOut | None
    overdue: list[Sum]


def standing(session: Session, customer_id: str, clock: Clock) -> Standing:
    try:
        found: ProfileOut | None = profile.profile(session, customer_id, clock)
    except NotFound:
        found = None
    open_invoices, _cursor = ledger.of_customer(
        session, customer_id, status="open", cursor=None, limit=OPEN_INVOICES_READ
    )
    return Standing(found, overdue(open_invoices, clock))


def overdue(invoices: list[InvoiceOut], clock: Clock) -> list[Sum]:
    today = clock.today()
    owed: dict[str, int] = defaultdict(int)
    for invoice in invoices:
        if invoice.status == "open" and invoice.due_on < today:
            owed[invoice.currency] += invoice.outstanding
    return [Sum(amount=amount, currency=currency) for currency, amount in sorted(owed.items())]
