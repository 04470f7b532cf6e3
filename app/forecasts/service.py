"""The cash forecast: when the open receivables turn into cash, week by week and per invoice,
as the service would have said it at `as_of` (nothing known after it counts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.core.errors import Invalid
from app.core.paging import decode_cursor, encode_cursor
from app.forecasts import fits, repository, weekly
from app.forecasts.model import Fit, Promised, allocate, kept_rate
from app.forecasts.patterns import Accumulator
from app.forecasts.repository import OpenInvoice

DEFAULT_WEEKS = 13
MAX_WEEKS = 52


@dataclass(frozen=True, slots=True)
class Week:
    starts_on: date
    ends_on: date
    expected: int


@dataclass(frozen=True, slots=True)
class CashForecast:
    as_of: date
    currency: str
    segment: str | None
    open_receivables: int
    weeks: list[Week]
    later: int


@dataclass(frozen=True, slots=True)
class InvoiceForecast:
    invoice_id: str
    customer_id: str
    segment: str | None
    currency: str
    due_on: date
    outstanding: int
    expected_paid_on: date
    weeks: list[int]  # the outstanding over the first 13 weeks, then later
    basis: str


@dataclass(slots=True)
class Known:
    """What was known at the end of as_of: the fit, open promises and open disputes."""

    fit: Fit
    promised: dict[str, Promised]
    disputed: set[str]

    def spread(self, invoice: OpenInvoice, weeks: int) -> list[float]:
        return self.fit.spread(
            invoice.outstanding,
            invoice.customer_id,
            invoice.segment,
            invoice.due_on,
            invoice.invoice_id in self.disputed,
            self.promised.get(invoice.invoice_id),
            weeks,
        )


def week_bounds(as_of: date, week: int) -> tuple[date, date]:
    """Week k (from 0) covers as_of + 1 + 7k to as_of + 7k + 7."""
    return as_of + timedelta(days=1 + 7 * week), as_of + timedelta(days=7 * week + 7)


def check(
    session: Session, today: date, as_of: date, segment: str | None = None, weeks: int = 1
) -> None:
    """as_of no later than today, weeks 1 to 52, a segment that exists (or did)."""
    if as_of > today:
        raise invalid("as_of", f"as_of is after today ({today.isoformat()}).")
    if not 1 <= weeks <= MAX_WEEKS:
        raise invalid("weeks", f"weeks must be 1 to {MAX_WEEKS}.")
    if segment is not None and not repository.segment_known(session, segment):
        raise invalid("segment", f"Segment '{segment}' is not known.")


def check_span(start: date, end: date) -> None:
    if start > end:
        raise invalid("to", "to is before from.")


def invalid(field: str, detail: str) -> Invalid:
    return Invalid(detail, errors=[{"loc": ["query", field], "msg": detail}])


def known_at(
    session: Session, as_of: date, customers: Sequence[str] | None = None, *, keep: bool = True
) -> Known:
    """Fit on what was known at the end of as_of: payments, promises and disputes by then
    (`keep`: the process's kept fit for as_of, see app/forecasts/fits.py)."""
    fit = fits.fit_at(session, as_of, customers, keep=keep)
    record = repository.promise_record(session, as_of)
    everyone_kept = sum(kept for kept, _ in record.values())
    everyone_broken = sum(broken for _, broken in record.values())
    promised: dict[str, Promised] = {}
    for promise in repository.promises_open_at(session, as_of):
        kept, broken = record.get(promise.customer_id, (0, 0))
        rate = kept_rate(kept, broken, everyone_kept, everyone_broken)
        promised[promise.invoice_id] = Promised(promise.amount, promise.pay_on, rate)
    return Known(fit, promised, repository.disputed_at(session, as_of))


def forecast_from(
    known: Known,
    invoices: Sequence[OpenInvoice],
    as_of: date,
    weeks: int,
    currency: str,
    segment: str | None,
) -> CashForecast:
    """Each invoice's outstanding spread over the weeks and later, summed, then put in whole
    minor units (largest remainders): the weeks plus later add up to the open receivables
    exactly."""
    owed = sum(invoice.outstanding for invoice in invoices)
    totals = weekly.expected_by_week(known.fit, invoices, known.promised, known.disputed, weeks)
    expected = allocate(owed, totals) if owed else [0] * (weeks + 1)
    return CashForecast(
        as_of=as_of,
        currency=currency,
        segment=segment,
        open_receivables=owed,
        weeks=[Week(*week_bounds(as_of, k), expected[k]) for k in range(weeks)],
        later=expected[weeks],
    )


def cash_forecast(
    session: Session, as_of: date, weeks: int, currency: str, segment: str | None
) -> CashForecast:
    """The weekly forecast at as_of in one currency (and segment)."""
    invoices = repository.open_at(session, as_of, currency, segment)
    if not invoices:
        nothing = Known(Fit.of(as_of, Accumulator()), {}, set())
        return forecast_from(nothing, [], as_of, weeks, currency, segment)
    return forecast_from(known_at(session, as_of), invoices, as_of, weeks, currency, segment)


def invoice_forecasts(
    session: Session,
    as_of: date,
    customer_id: str | None,
    cursor: str | None,
    limit: int,
    weeks: int = DEFAULT_WEEKS,
) -> tuple[list[InvoiceForecast], str | None]:
    """A page of open invoices at as_of, by invoice id, each with its expected payment day and
    basis; only the page's customers are fit one by one (the pools come from everyone)."""
    after = decode_cursor(cursor)
    page = repository.open_at(
        session, as_of, None, customer_id=customer_id, after=after, limit=limit + 1
    )
    more = len(page) > limit
    page = page[:limit]
    if not page:
        return [], None
    known = known_at(session, as_of, sorted({invoice.customer_id for invoice in page}))
    items = []
    for invoice in page:
        disputed = invoice.invoice_id in known.disputed
        found = known.fit.expect(
            invoice.outstanding,
            invoice.customer_id,
            invoice.segment,
            invoice.due_on,
            disputed,
            known.promised.get(invoice.invoice_id),
            weeks,
        )
        items.append(
            InvoiceForecast(
                invoice_id=invoice.invoice_id,
                customer_id=invoice.customer_id,
                segment=invoice.segment,
                currency=invoice.currency,
                due_on=invoice.due_on,
                outstanding=invoice.outstanding,
                expected_paid_on=found.expected_paid_on,
                weeks=found.shares,
                basis=found.basis,
            )
        )
    return items, encode_cursor(page[-1].invoice_id) if more else None


def currencies(session: Session) -> list[str]:
    return repository.currencies(session)


def forecasts_by_currency(session: Session, as_of: date, weeks: int) -> dict[str, CashForecast]:
    """The forecast at as_of in every currency owed in, fit once for all of them."""
    invoices = repository.open_at(session, as_of, None)
    if not invoices:
        return {}
    known = known_at(session, as_of)
    by_currency: dict[str, list[OpenInvoice]] = {}
    for invoice in invoices:
        by_currency.setdefault(invoice.currency, []).append(invoice)
    return {
        code: forecast_from(known, owed, as_of, weeks, code, None)
        for code, owed in sorted(by_currency.items())
    }


def baseline_from(invoices: Sequence[OpenInvoice], as_of: date, weeks: int) -> list[int]:
    """The due-date baseline: each outstanding on max(due_on, as_of + 1); `later` last."""
    totals = [0] * (weeks + 1)
    for invoice in invoices:
        days = max((invoice.due_on - as_of).days, 1)
        totals[min((days - 1) // 7, weeks)] += invoice.outstanding
    return totals


def open_invoices(session: Session, as_of: date) -> list[OpenInvoice]:
    return repository.open_at(session, as_of, None)


def paid_by_week(
    session: Session, as_of: date, weeks: int, currency: str | None, until: date | None = None
) -> dict[str, list[int]]:
    """Per currency, what was paid in each week after as_of on the invoices open at it (up to
    `until`, included, when the weeks are not all over)."""
    last = as_of + timedelta(days=7 * weeks)
    if until is not None:
        last = min(last, until)
    paid: dict[str, list[int]] = {}
    for code, day, cash in repository.paid_by_day(session, as_of, last, currency):
        paid.setdefault(code, [0] * weeks)[((day - as_of).days - 1) // 7] += cash
    return paid
