"""Reading invoices back, routed or imported, with what has been paid and credited on them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.contacts import service as contacts
from app.contacts.schemas import CreditNoteOut
from app.core.errors import NotFound
from app.core.models import Invoice, Payment
from app.core.paging import decode_cursor, page_of
from app.invoices import repository
from app.invoices.payments import status_of
from app.invoices.schemas import InvoiceOut, PaymentLine, RouteOut


def invoice(session: Session, invoice_id: str) -> InvoiceOut:
    row = repository.invoice(session, invoice_id)
    if row is None:
        raise NotFound(f"No invoice '{invoice_id}'.")
    payments = repository.payments_of(session, [invoice_id])[invoice_id]
    return _out(row, payments, contacts.credit_notes_of(session, [invoice_id])[invoice_id])


def of_customer(
    session: Session, customer_id: str, *, status: str | None, cursor: str | None, limit: int
) -> tuple[list[InvoiceOut], str | None]:
    """A customer's invoices by id, `open` or `paid` or both; an unknown customer has none."""
    rows = repository.customer_invoices(
        session, customer_id, status=status, after=decode_cursor(cursor), limit=limit
    )
    rows, next_cursor = page_of(rows, limit, "invoice_id")
    ids = [row.invoice_id for row in rows]
    paid, credited = repository.payments_of(session, ids), contacts.credit_notes_of(session, ids)
    return [_out(row, paid[row.invoice_id], credited[row.invoice_id]) for row in rows], next_cursor


def _out(row: Invoice, payments: list[Payment], credit_notes: list[CreditNoteOut]) -> InvoiceOut:
    status, outstanding = status_of(row)
    return InvoiceOut(
        invoice_id=row.invoice_id,
        customer_id=row.customer_id,
        order_id=row.order_id,
        amount=row.amount,
        currency=row.currency,
        issued_on=row.issued_on,
        due_on=row.due_on,
        status=status,
        outstanding=outstanding,
        payments=[
            PaymentLine(
                payment_id=p.payment_id, amount=p.amount, currency=p.currency, paid_on=p.paid_on
            )
            for p in payments
        ],
        credited_amount=row.credited_amount,
        credit_notes=credit_notes,
        segment=row.segment_key,
        sales_owner=row.sales_owner,
        route=None if row.route is None else RouteOut.model_validate(row.route),
    )
