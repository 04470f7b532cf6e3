"""The file's rows against the store: which are new, which it holds alike (skipped), which it
holds otherwise (bad lines); and the new ones as the rows to write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Final

from sqlalchemy.orm import Session

from app.contacts import service as contacts
from app.history import repository
from app.history.report import BadLine
from app.history.repository import StoredInvoice
from app.history.rows import HistoryRow

ORIGIN_INVOICE: Final = "imported"
ORIGIN_PAYMENT: Final = "import"


@dataclass(frozen=True)
class Sorted:
    fresh: list[HistoryRow]
    present: int
    problems: list[BadLine]


def sort_out(session: Session, chunk: Sequence[HistoryRow], lookups: bool) -> Sorted:
    """The chunk's rows the store lacks, how many it holds alike, and a problem for each row
    it holds otherwise or whose payment id another payment has. `lookups` False: the store
    held no invoice when the pass began, so there is nothing to look up."""
    if not lookups:
        return Sorted(list(chunk), 0, [])
    stored = repository.stored_invoices(session, [row.invoice_id for row in chunk])
    fresh: list[HistoryRow] = []
    problems: list[BadLine] = []
    present = 0
    for row in chunk:
        known = stored.get(row.invoice_id)
        if known is None:
            fresh.append(row)
        elif differences := _differences(row, known):
            reason = f"invoice {row.invoice_id!r} is in the store with another {differences}"
            problems.append(BadLine(row.line, reason))
        else:
            present += 1
    settling = {repository.payment_id(row.invoice_id): row for row in fresh if settles(row)}
    for payment_id in sorted(repository.taken_payment_ids(session, list(settling))):
        reason = f"payment id {payment_id!r} is taken by another payment"
        problems.append(BadLine(settling[payment_id].line, reason))
    return Sorted(fresh, present, problems)


def _differences(row: HistoryRow, known: StoredInvoice) -> str:
    """The fields in which the store's invoice differs from the row; paid state counts only
    where there is something to pay, and a margin or owner the row leaves empty says nothing."""
    differences = [
        name
        for name, ours, theirs in (
            ("customer_id", row.customer_id, known.customer_id),
            ("currency", row.currency, known.currency),
            ("amount", row.amount, known.amount),
            ("issued_on", row.issued_on, known.issued_on),
            ("due_on", row.due_on, known.due_on),
        )
        if ours != theirs
    ]
    if row.gross_margin is not None and row.gross_margin != known.gross_margin:
        differences.append("gross_margin")
    if row.sales_owner is not None and row.sales_owner != known.sales_owner:
        differences.append("sales_owner")
    if row.amount > 0 and known.amount > 0 and _paid_state(row) != _stored_paid_state(known):
        differences.append("paid state (paid_on)")
    return ", ".join(differences)


def _paid_state(row: HistoryRow) -> tuple[str, date | None]:
    return ("unpaid", None) if row.paid_on is None else ("paid", row.paid_on)


def _stored_paid_state(known: StoredInvoice) -> tuple[str, date | None]:
    """A file's paid_on is cash: an invoice the store has settled only by credit notes is
    unpaid in its terms."""
    if known.paid_amount - known.credited_amount == 0:
        return ("unpaid", None)
    if known.paid_amount < known.amount:
        return ("partly paid", None)
    return ("paid", known.last_paid_on)


def settles(row: HistoryRow) -> bool:
    """Whether the row gets a payment: paid, and something to pay (a payment is never 0)."""
    return row.paid_on is not None and row.amount > 0


def invoice_values(row: HistoryRow, version: int) -> tuple[Any, ...]:
    """The row as repository.INVOICE_COLUMNS: no route; terms read off its dates."""
    net_days = (row.due_on - row.issued_on).days
    terms_type = "net" if net_days > 0 else "pay_on_order"
    paid_amount = row.amount if row.paid_on is not None else 0
    return (row.invoice_id, row.customer_id, row.amount, row.currency, row.issued_on,
            row.due_on, row.gross_margin, terms_type, net_days, ORIGIN_INVOICE, paid_amount,
            version, row.sales_owner)  # fmt: skip


def payment_values(row: HistoryRow, recorded_at: datetime) -> tuple[Any, ...]:
    """The payment in full that settles a paid row, as repository.PAYMENT_COLUMNS."""
    return (repository.payment_id(row.invoice_id), row.invoice_id, row.amount, row.currency,
            row.paid_on, recorded_at, ORIGIN_PAYMENT)  # fmt: skip


def dispute_of(row: HistoryRow) -> contacts.HistoryDispute:
    """A disputed row's dispute: opened at the start of its issue day, resolved (the invoice
    standing) at the start of the day it was paid, if it was."""
    resolved_at = None if row.paid_on is None else _midnight(row.paid_on)
    return contacts.HistoryDispute(row.invoice_id, row.customer_id, row.amount, row.currency,
                                   _midnight(row.issued_on), resolved_at)  # fmt: skip


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)
