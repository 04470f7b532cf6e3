"""Books for the forecast tests, written straight to the store: invoices, payments, promises
and disputes, and histories of customers who pay early or late."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.models import Dispute, Invoice, Payment, Promise
from app.core.store import Store
from app.terms import service as terms

RECORDED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), UTC)


@dataclass
class Ledger:
    """Invoices, payments, promises and disputes, written in one transaction by `write`."""

    invoices: list[Invoice] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    written: int = 0  # invoices already written: ids go on from there

    def invoice(
        self,
        customer_id: str,
        amount: int,
        issued_on: date,
        *,
        paid: tuple[tuple[int, date], ...] = (),
        net_days: int = 30,
        segment: str | None = None,
        currency: str = "USD",
    ) -> str:
        invoice_id = f"inv-{self.written + len(self.invoices) + 1:04d}"
        self.invoices.append(
            Invoice(
                invoice_id=invoice_id,
                customer_id=customer_id,
                amount=amount,
                currency=currency,
                issued_on=issued_on,
                due_on=issued_on + timedelta(days=net_days),
                segment_key=segment,
                terms_type="net",
                net_days=net_days,
                origin="test",
                paid_amount=sum(part for part, _ in paid),
                changed_version=1,
            )
        )
        for part, on in paid:
            self.pay(invoice_id, part, on, currency)
        return invoice_id

    def pay(self, invoice_id: str, amount: int, on: date, currency: str = "USD") -> None:
        self.payments.append(
            Payment(
                payment_id=f"{invoice_id}-p{len(self.payments)}",
                invoice_id=invoice_id,
                amount=amount,
                currency=currency,
                paid_on=on,
                recorded_at=RECORDED_AT,
                origin="test",
            )
        )

    def promise(
        self, invoice_id: str, customer_id: str, amount: int, pay_on: date, made_on: date
    ) -> None:
        self.promises.append(
            Promise(
                id=f"prm-{self.written}-{len(self.promises)}",
                invoice_id=invoice_id,
                customer_id=customer_id,
                touch_id=f"t-{self.written}-{len(self.promises)}",
                amount=amount,
                currency="USD",
                pay_on=pay_on,
                keep_by=pay_on + timedelta(days=2),
                status="open",
                made_at=at_noon(made_on),
            )
        )

    def dispute(self, invoice_id: str, customer_id: str, amount: int, opened_on: date) -> None:
        self.disputes.append(
            Dispute(
                id=f"dsp-{self.written}-{len(self.disputes)}",
                invoice_id=invoice_id,
                customer_id=customer_id,
                reason="price",
                amount=amount,
                currency="USD",
                status="open",
                opened_at=at_noon(opened_on),
                origin="touch",
            )
        )

    def write(self, store: Store) -> None:
        with store.writing() as session:
            session.add_all(self.invoices)
            session.flush()
            session.add_all([*self.payments, *self.promises, *self.disputes])
            changed(session, [invoice.invoice_id for invoice in self.invoices])
            for payment in self.payments:
                changed(session, [payment.invoice_id], payment.paid_on)
        self.written += len(self.invoices)
        self.invoices, self.payments, self.promises, self.disputes = [], [], [], []


def history(ledger: Ledger, customer_id: str, days_late: int, start: date, count: int) -> None:
    """`count` monthly invoices of 100.00 from `start`, each paid `days_late` after due."""
    for month in range(count):
        issued_on = start + timedelta(days=30 * month)
        paid_on = issued_on + timedelta(days=30 + days_late)
        ledger.invoice(customer_id, 10_000, issued_on, paid=((10_000, paid_on),))


def pay_later(store: Store, invoice_id: str, amount: int, on: date) -> None:
    """A payment recorded after the books were written: the invoice's paid amount follows."""
    with store.writing() as session:
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None
        invoice.paid_amount += amount
        session.add(
            Payment(
                payment_id=f"{invoice_id}-late-{on.isoformat()}",
                invoice_id=invoice_id,
                amount=amount,
                currency=invoice.currency,
                paid_on=on,
                recorded_at=RECORDED_AT,
                origin="test",
            )
        )
        changed(session, [invoice_id], on)


def changed(session: Session, invoice_ids: list[str], paid_on: date | None = None) -> None:
    """As the app's money-moving writes do: the change feed names the invoices' customers (and
    the day paid, for a payment), so every process's exposure and kept forecast fits hear of
    them."""
    invoices = select(Invoice.customer_id, Invoice.currency).where(
        Invoice.invoice_id.in_(invoice_ids)
    )
    pairs = {(customer, code) for customer, code in session.execute(invoices)}
    terms.owed_changed(session, pairs, paid_on)
