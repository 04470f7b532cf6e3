"""Ageing: what was owed at a date, by how many days past due, overall and per segment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from app.customers.schemas import Sum
from app.receivables import repository
from app.receivables.schemas import BUCKETS, AgeingBuckets, AgeingOut, SegmentAgeing, Tally


def ageing(session: Session, as_of: date, currency: str) -> AgeingOut:
    """Open receivables at `as_of` in `currency`, bucketed by days past due."""
    rows = repository.open_at(session, as_of, currency)
    segments = sorted({row.segment for row in rows}, key=lambda key: (key is None, key or ""))
    overall = _buckets(rows, currency)
    return AgeingOut(
        as_of=as_of,
        currency=currency,
        total=_total(overall, currency),
        buckets=overall,
        segments=[_segment(rows, segment, currency) for segment in segments],
    )


def _segment(rows: list[repository.AgeingRow], segment: str | None, currency: str) -> SegmentAgeing:
    buckets = _buckets((row for row in rows if row.segment == segment), currency)
    return SegmentAgeing(segment=segment, total=_total(buckets, currency), buckets=buckets)


def _buckets(rows: Iterable[repository.AgeingRow], currency: str) -> AgeingBuckets:
    counts = dict.fromkeys(BUCKETS, 0)
    owed = dict.fromkeys(BUCKETS, 0)
    for row in rows:
        counts[row.bucket] += row.invoices
        owed[row.bucket] += row.owed
    return AgeingBuckets.model_validate(
        {
            name: Tally(count=counts[name], sum=Sum(amount=owed[name], currency=currency))
            for name in BUCKETS
        }
    )


def _total(buckets: AgeingBuckets, currency: str) -> Tally:
    tallies = (
        buckets.current,
        buckets.days_1_30,
        buckets.days_31_60,
        buckets.days_61_90,
        buckets.over_90,
    )
    return Tally(
        count=sum(tally.count for tally in tallies),
        sum=Sum(amount=sum(tally.sum.amount for tally in tallies), currency=currency),
    )
