"""What the history tests share: writing CSV files and reading back what an import wrote."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from sqlalchemy import func, select

from app.core.models import AuditEvent, HistoryImport, Invoice, Payment, StoreVersion
from app.core.store import Store

HEADER: Final = ("customer_id", "invoice_id", "currency", "amount", "issued_on", "due_on",
                 "paid_on")  # fmt: skip


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> Path:
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def row(
    invoice_id: str = "inv-1",
    customer_id: str = "c-1",
    amount: str = "100.00",
    currency: str = "USD",
    issued_on: str = "2025-01-01",
    due_on: str = "2025-01-31",
    paid_on: str = "2025-02-03",
) -> list[str]:
    """One line in HEADER's order."""
    return [customer_id, invoice_id, currency, amount, issued_on, due_on, paid_on]


def counts(store: Store) -> dict[str, int]:
    """Rows in every table an import writes, and the store version (a write bumps it)."""
    with store.reading() as session:
        return {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in (
                ("invoices", Invoice),
                ("payments", Payment),
                ("history_imports", HistoryImport),
                ("audit_events", AuditEvent),
            )
        } | {"version": session.scalar(select(StoreVersion.version)) or 0}


def invoices(store: Store) -> dict[str, dict[str, Any]]:
    """Every invoice by id, with the columns an import sets."""
    with store.reading() as session:
        return {
            invoice.invoice_id: {
                column: getattr(invoice, column)
                for column in (
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
                    "segment_key",
                    "workflow_key",
                    "route",
                    "request_sha256",
                    "policy_version",
                    "routed_at",
                    "order_id",
                )
            }
            for invoice in session.scalars(select(Invoice))
        }


def payments(store: Store) -> dict[str, dict[str, Any]]:
    with store.reading() as session:
        return {
            payment.payment_id: {
                "invoice_id": payment.invoice_id,
                "amount": payment.amount,
                "currency": payment.currency,
                "paid_on": payment.paid_on,
                "origin": payment.origin,
            }
            for payment in session.scalars(select(Payment))
        }
