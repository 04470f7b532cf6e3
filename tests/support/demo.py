"""What the demo tests share: clearing every row the demo writes."""

from __future__ import annotations

from sqlalchemy import delete

from app.core.models import ContactTask, Dispute, Invoice, Payment, Promise, Touch
from app.core.store import Store


def wipe(store: Store) -> None:
    """Every demo row, the contact loop's first (they name the invoices)."""
    with store.writing() as session:
        for model in (ContactTask, Touch, Promise, Dispute, Payment, Invoice):
            session.execute(delete(model))
