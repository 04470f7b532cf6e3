"""Every query about invoices and payments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models import Customer, Invoice, Payment
from app.terms.repository import CustomerRow

CHUNK = 1000


def invoices_by_id(session: Session, invoice_ids: Iterable[str]) -> dict[str, Invoice]:
    ids = sorted(set(invoice_ids))
    found: dict[str, Invoice] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(Invoice).where(Invoice.invoice_id.in_(ids[start : start + CHUNK]))
        found.update((row.invoice_id, row) for row in session.scalars(query))
    return found


def customer_rows(session: Session, customer_ids: Iterable[str]) -> dict[str, CustomerRow]:
    ids = sorted(set(customer_ids))
    found: dict[str, CustomerRow] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(
            Customer.customer_id,
            Customer.segment_key,
            Customer.override_segment_key,
            Customer.override_expires_on,
        ).where(Customer.customer_id.in_(ids[start : start + CHUNK]))
        found.update((row[0], CustomerRow(*row)) for row in session.execute(query))
    return found


def add_invoices(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(Invoice), list(rows))


def invoice(session: Session, invoice_id: str) -> Invoice | None:
    return session.get(Invoice, invoice_id)


def payment(session: Session, payment_id: str) -> Payment | None:
    return session.get(Payment, payment_id)
