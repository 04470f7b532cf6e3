"""Invoices and payments written straight to the store, and the KPIs worked out from them in
plain Python, the slow obvious way (CONTRACT 9 word for word), to check the SQL against."""

from __future__ import annotations

import random
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from app.core.models import Invoice, Payment
from app.core.store import Store
from app.terms import service as terms


@dataclass
class Paid:
    amount: int
    paid_on: date


@dataclass
class Booked:
    invoice_id: str
    amount: int
    issued_on: date
    due_on: date
    segment: str | None
    currency: str = "USD"
    payments: list[Paid] = field(default_factory=list)


@dataclass
class Books:
    """What the test wrote; `write` puts it in the store."""

    invoices: list[Booked] = field(default_factory=list)

    def invoice(
        self,
        amount: int,
        issued_on: date,
        due_on: date | None = None,
        segment: str | None = None,
        currency: str = "USD",
        paid: tuple[tuple[int, date], ...] = (),
    ) -> Booked:
        booked = Booked(
            f"inv-{len(self.invoices) + 1}",
            amount,
            issued_on,
            due_on or issued_on + timedelta(days=30),
            segment,
            currency,
            [Paid(amount, on) for amount, on in paid],
        )
        assert sum(p.amount for p in booked.payments) <= amount
        self.invoices.append(booked)
        return booked

    def write(self, store: Store) -> None:
        recorded_at = datetime(2026, 1, 1, tzinfo=UTC)
        with store.writing() as session:
            for booked in self.invoices:
                session.add(
                    Invoice(
                        invoice_id=booked.invoice_id,
                        customer_id="c-1",
                        amount=booked.amount,
                        currency=booked.currency,
                        issued_on=booked.issued_on,
                        due_on=booked.due_on,
                        segment_key=booked.segment,
                        terms_type="net",
                        net_days=max(1, (booked.due_on - booked.issued_on).days),
                        origin="test",
                        paid_amount=sum(p.amount for p in booked.payments),
                        changed_version=1,
                    )
                )
            session.flush()
            for booked in self.invoices:
                for index, paid in enumerate(booked.payments):
                    session.add(
                        Payment(
                            payment_id=f"{booked.invoice_id}-p{index}",
                            invoice_id=booked.invoice_id,
                            amount=paid.amount,
                            currency=booked.currency,
                            paid_on=paid.paid_on,
                            recorded_at=recorded_at,
                            origin="test",
                        )
                    )
            # As the app's writes do: every process's exposure and kept forecast fits hear of it.
            for booked in self.invoices:
                earliest = min((paid.paid_on for paid in booked.payments), default=None)
                terms.owed_changed(session, [("c-1", booked.currency)], earliest)

    # -- the KPIs, naively ---------------------------------------------------------------

    def _mine(self, currency: str, segment: str | None) -> list[Booked]:
        return [
            b
            for b in self.invoices
            if b.currency == currency and (segment is None or b.segment == segment)
        ]

    def credit_sales(self, start: date, end: date, currency: str, segment: str | None) -> int:
        return sum(b.amount for b in self._mine(currency, segment) if start <= b.issued_on <= end)

    def receivables(
        self, end: date, currency: str, segment: str | None, *, current: bool = False
    ) -> int:
        total = 0
        for b in self._mine(currency, segment):
            if b.issued_on > end or (current and b.due_on < end):
                continue
            total += max(0, b.amount - sum(p.amount for p in b.payments if p.paid_on <= end))
        return total

    def dso(
        self, start: date, end: date, currency: str = "USD", segment: str | None = None
    ) -> dict[str, object]:
        sold = self.credit_sales(start, end, currency, segment)
        owed = self.receivables(end, currency, segment)
        current = self.receivables(end, currency, segment, current=True)
        days = (end - start).days + 1
        dso = half_up(Decimal(owed) * days / Decimal(sold)) if sold else None
        best = half_up(Decimal(current) * days / Decimal(sold)) if sold else None
        return {
            "days": days,
            "credit_sales": {"amount": sold, "currency": currency},
            "receivables_end": {"amount": owed, "currency": currency},
            "current_receivables": {"amount": current, "currency": currency},
            "dso": dso,
            "best_possible_dso": best,
            "add": None if dso is None or best is None else round(dso - best, 2),
        }


def half_up(value: Decimal | Fraction) -> float:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def countback_days(books: Books, end: date, owed: int, currency: str = "USD") -> Fraction:
    """The documented countback walk, month by month, from the invoices themselves."""
    days = Fraction(0)
    window = (end.replace(day=1), end)
    while owed > 0:
        sold = books.credit_sales(window[0], window[1], currency, None)
        length = (window[1] - window[0]).days + 1
        if sold >= owed:
            return days + Fraction(owed, sold) * length
        days += length
        owed -= sold
        last = window[0] - timedelta(days=1)
        window = (last.replace(day=1), last.replace(day=monthrange(last.year, last.month)[1]))
    return days


def tricky(seed: int = 7, count: int = 400) -> Books:
    """Partial payments on both sides of many period ends, payments before the invoice was
    issued (the store allows them), invoices fully paid, unpaid, of zero amount, three
    segments and imported history (none), and a second currency."""
    rng = random.Random(seed)
    books = Books()
    first = date(2024, 1, 1)
    for _ in range(count):
        issued_on = first + timedelta(days=rng.randrange(0, 600))
        amount = rng.choice([0, rng.randrange(1, 100), rng.randrange(100, 5_000_000)])
        due_on = issued_on + timedelta(days=rng.choice([0, 15, 30, 60, 90]))
        left = amount
        paid: list[tuple[int, date]] = []
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            if left == 0:
                break
            part = left if rng.random() < 0.5 else rng.randrange(1, left + 1)
            paid.append((part, issued_on + timedelta(days=rng.randrange(-20, 150))))
            left -= part
        books.invoice(
            amount,
            issued_on,
            due_on,
            rng.choice([None, "retail", "wholesale", "enterprise"]),
            rng.choice(["USD", "USD", "USD", "EUR"]),
            tuple(paid),
        )
    return books
