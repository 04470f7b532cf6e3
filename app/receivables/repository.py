"""Every query of the receivables reports: aggregate SQL, one round trip each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import Integer, case, extract, func, literal_column, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.core.models import Dispute, Invoice, Payment

# The last day past due (as_of - due_on) of each bucket; older than 90 days is `over_90`.
BUCKET_ENDS = (("current", 0), ("1_30", 30), ("31_60", 60), ("61_90", 90))
BUCKETS = (*(name for name, _end in BUCKET_ENDS), "over_90")


class AgeingRow(NamedTuple):
    segment: str | None
    bucket: str
    invoices: int
    owed: int


class OwnerMonthRow(NamedTuple):
    owner: str
    year: int
    month: int
    invoices: int
    invoiced: int
    collected_by_due: int
    not_yet_due: int


def _days_before(day: date, days: int) -> date:
    """`day` minus `days`, or the first representable day when that would come before it."""
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return date.min


def _day_after_starts(day: date) -> datetime:
    """The first instant (UTC) after `day`, or the last representable one."""
    try:
        return datetime.combine(day + timedelta(days=1), time.min, UTC)
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


def _bucket_of(as_of: date) -> ColumnElement[int]:
    """The ageing bucket's index in BUCKETS, by comparing due_on with dates (no dialect's date
    arithmetic): days past due <= end is due_on >= as_of - end."""
    whens = [
        (Invoice.due_on >= _days_before(as_of, end), literal_column(str(index), Integer))
        for index, (_name, end) in enumerate(BUCKET_ENDS)
    ]
    return case(*whens, else_=literal_column(str(len(BUCKET_ENDS)), Integer))


def open_at(session: Session, as_of: date, currency: str) -> list[AgeingRow]:
    """Owed at `as_of`, by stamped segment and bucket.

    Owed at as_of = amount - payments and credit notes made on or before as_of
                  = (amount - paid_amount) + payments and credit notes made after as_of.
    The first term is over invoices open now (the partial index), the second over the
    payments made after as_of (the paid_on index) and the credit notes issued after it (a
    credit note's day is its dispute's resolution, in UTC), summed per invoice so that an
    invoice settled since is counted once; one open now is counted by the first part already.
    """
    # The bucket is worked out inside each part: a bound date in a GROUP BY expression would
    # not match the same date bound again in the select list on PostgreSQL.
    bucket = _bucket_of(as_of).label("bucket")
    open_now = select(
        Invoice.segment_key.label("segment"),
        bucket,
        literal_column("1", Integer).label("invoices"),
        (Invoice.amount - Invoice.paid_amount).label("owed"),
    ).where(
        Invoice.currency == currency,
        Invoice.issued_on <= as_of,
        Invoice.paid_amount < Invoice.amount,
    )
    settlements = union_all(
        select(Payment.invoice_id, Payment.amount).where(Payment.paid_on > as_of),
        select(Dispute.invoice_id, Dispute.credit_amount.label("amount")).where(
            Dispute.credit_amount.is_not(None),
            Dispute.resolved_at >= _day_after_starts(as_of),
        ),
    ).subquery("settlements")
    paid_since = (
        select(
            Invoice.segment_key.label("segment"),
            bucket,
            case((Invoice.paid_amount >= Invoice.amount, 1), else_=0).label("invoices"),
            func.sum(settlements.c.amount).label("owed"),
        )
        .join(Invoice, Invoice.invoice_id == settlements.c.invoice_id)
        .where(Invoice.currency == currency, Invoice.issued_on <= as_of)
        .group_by(Invoice.invoice_id)
    )
    owing = union_all(open_now, paid_since).subquery("owing")
    query = select(
        owing.c.segment, owing.c.bucket, func.sum(owing.c.invoices), func.sum(owing.c.owed)
    ).group_by(owing.c.segment, owing.c.bucket)
    return [
        AgeingRow(segment, BUCKETS[index], int(count), int(owed))
        for segment, index, count, owed in session.execute(query)
    ]


def owner_months(
    session: Session, start: date, end: date, currency: str, today: date
) -> Sequence[OwnerMonthRow]:
    """Per sales owner and calendar month of issue in [start, end]: the invoices due before
    `today`, their amounts and what was paid on each by its due date; and how many are not
    due yet."""
    by_due = (
        select(func.coalesce(func.sum(Payment.amount), 0))
        .where(Payment.invoice_id == Invoice.invoice_id, Payment.paid_on <= Invoice.due_on)
        .scalar_subquery()
    )
    judged = Invoice.due_on < today
    year = extract("year", Invoice.issued_on).cast(Integer).label("year")
    month = extract("month", Invoice.issued_on).cast(Integer).label("month")
    query = (
        select(
            Invoice.sales_owner,
            year,
            month,
            func.count(case((judged, 1))),
            func.coalesce(func.sum(case((judged, Invoice.amount), else_=0)), 0),
            func.coalesce(func.sum(case((judged, by_due), else_=0)), 0),
            func.count(case((judged, None), else_=1)),
        )
        .where(
            Invoice.currency == currency,
            Invoice.issued_on >= start,
            Invoice.issued_on <= end,
            Invoice.sales_owner.is_not(None),
        )
        .group_by(Invoice.sales_owner, year, month)
    )
    return [
        OwnerMonthRow(str(owner), int(y), int(m), int(n), int(billed), int(paid), int(pending))
        for owner, y, m, n, billed, paid, pending in session.execute(query)
    ]
