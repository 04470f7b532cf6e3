"""Every query of the history import: what the store already holds, and the bulk writes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any, Final, NamedTuple, cast

from sqlalchemy import ColumnElement, String, Table, any_, bindparam, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.models import HistoryImport, Invoice, Payment
from app.core.statements import copy_rows, on_postgresql

# The columns an imported invoice or payment sets; the others stay NULL (no route, no request).
INVOICE_COLUMNS: Final = (
    "invoice_id",
    "customer_id",
    "amount",
    "currency",
    "issued_on",
    "due_on",
    "gross_margin",
    "terms_type",
    "net_days",
    "origin",
    "paid_amount",
    "changed_version",
    "sales_owner",
)
PAYMENT_COLUMNS: Final = (
    "payment_id",
    "invoice_id",
    "amount",
    "currency",
    "paid_on",
    "recorded_at",
    "origin",
)
PAYMENT_PREFIX: Final = "import:"
PAYMENT_ID_MAX: Final = 128


class StoredInvoice(NamedTuple):
    """What an invoice already in the store says, to compare with the file's row."""

    customer_id: str
    currency: str
    amount: int
    issued_on: date
    due_on: date
    gross_margin: int | None
    paid_amount: int
    last_paid_on: date | None
    sales_owner: str | None
    credited_amount: int  # the part of paid_amount settled by credit notes, not cash


def payment_id(invoice_id: str) -> str:
    """The id of the payment that settles an imported invoice; a hash where the invoice id
    is too long to fit after the prefix."""
    plain = PAYMENT_PREFIX + invoice_id
    if len(plain) <= PAYMENT_ID_MAX:
        return plain
    return f"{PAYMENT_PREFIX}sha256:{hashlib.sha256(invoice_id.encode()).hexdigest()}"


def earlier_import(session: Session, file_sha256: str, reading: str | None) -> HistoryImport | None:
    """The import that already loaded this very file, read the same way, if any."""
    same_reading = (
        HistoryImport.reading.is_(None) if reading is None else HistoryImport.reading == reading
    )
    query = (
        select(HistoryImport)
        .where(HistoryImport.file_sha256 == file_sha256, same_reading)
        .order_by(HistoryImport.imported_at)
        .limit(1)
    )
    return session.scalars(query).first()


def has_invoices(session: Session) -> bool:
    return session.execute(select(Invoice.invoice_id).limit(1)).first() is not None


def stored_invoices(session: Session, invoice_ids: Sequence[str]) -> dict[str, StoredInvoice]:
    """The invoices of `invoice_ids` (a chunk) already in the store."""
    last_paid_on = (
        select(func.max(Payment.paid_on))
        .where(Payment.invoice_id == Invoice.invoice_id)
        .scalar_subquery()
    )
    query = select(
        Invoice.invoice_id,
        Invoice.customer_id,
        Invoice.currency,
        Invoice.amount,
        Invoice.issued_on,
        Invoice.due_on,
        Invoice.gross_margin,
        Invoice.paid_amount,
        last_paid_on,
        Invoice.sales_owner,
        Invoice.credited_amount,
    ).where(_one_of(session, Invoice.invoice_id, invoice_ids))
    return {row[0]: StoredInvoice._make(row[1:]) for row in session.execute(query)}


def taken_payment_ids(session: Session, payment_ids: Sequence[str]) -> set[str]:
    """Which of `payment_ids` (a chunk) some payment already has."""
    if not payment_ids:
        return set()
    query = select(Payment.payment_id).where(_one_of(session, Payment.payment_id, payment_ids))
    return set(session.scalars(query))


def add_invoices(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """Rows of INVOICE_COLUMNS: COPY on PostgreSQL, an executemany on SQLite."""
    _add(session, Invoice, INVOICE_COLUMNS, rows)


def add_payments(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """Rows of PAYMENT_COLUMNS (timestamps timezone-aware: COPY takes them as given)."""
    _add(session, Payment, PAYMENT_COLUMNS, rows)


def add_import(session: Session, record: HistoryImport) -> None:
    session.add(record)
    session.flush()


def _add(
    session: Session,
    model: type[Invoice] | type[Payment],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    if not rows:
        return
    if on_postgresql(session):
        copy_rows(session, model.__tablename__, columns, rows)
        return
    table = cast(Table, model.__table__)
    session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


IN_STEP = 500


def _one_of(
    session: Session, column: InstrumentedAttribute[str], ids: Sequence[str]
) -> ColumnElement[bool]:
    """`column IN (...)`; on PostgreSQL `column = ANY(array)`, one parameter for the chunk.

    On SQLite the list is padded with '' (no id is empty) to a multiple of IN_STEP, so the
    statement text takes few shapes: sqlite3 caches a prepared statement per text, and a
    thousand-parameter statement per chunk length made the import's memory grow with the file."""
    if on_postgresql(session):
        return column == any_(bindparam(None, list(ids), type_=ARRAY(String)))
    padded = [*ids, *[""] * (-len(ids) % IN_STEP)]
    return column.in_(padded)
