"""The contact KPIs for a period, per segment and overall: touches by kind and outcome, issues
caught before the due date, promises and their kept rate, disputes and how long they took,
and tasks done by their date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.contacts.schemas import (
    CaughtOut,
    ContactKpis,
    DisputesKpi,
    MoneyOut,
    PromisesKpi,
    TasksKpi,
)
from app.core.models import ContactTask, Dispute, Invoice, Promise, Touch

ALL = "all"
CAUGHT = ("invoice_not_received", "dispute")


class _Tally:
    def __init__(self) -> None:
        self.by_kind: dict[str, int] = defaultdict(int)
        self.by_outcome: dict[str, int] = defaultdict(int)
        self.caught = 0
        self.caught_money: dict[str, int] = defaultdict(int)
        self.promises = {"made": 0, "kept": 0, "broken": 0}
        self.disputes_opened = 0
        self.disputes_resolved = 0
        self.days_to_resolve = 0.0
        self.tasks_due = 0
        self.tasks_done = 0

    def kpis(self) -> ContactKpis:
        kept, broken = self.promises["kept"], self.promises["broken"]
        resolved = self.disputes_resolved
        return ContactKpis(
            touches_by_kind=dict(sorted(self.by_kind.items())),
            touches_by_outcome=dict(sorted(self.by_outcome.items())),
            issues_caught_before_due=CaughtOut(
                count=self.caught,
                money=[
                    MoneyOut(amount=a, currency=c) for c, a in sorted(self.caught_money.items())
                ],
            ),
            promises=PromisesKpi(
                made=self.promises["made"],
                kept=kept,
                broken=broken,
                kept_rate=round(kept / (kept + broken), 4) if kept + broken else None,
            ),
            disputes=DisputesKpi(
                opened=self.disputes_opened,
                resolved=resolved,
                mean_days_to_resolve=round(self.days_to_resolve / resolved, 2)
                if resolved
                else None,
            ),
            tasks=TasksKpi(
                due=self.tasks_due,
                done_on_date=self.tasks_done,
                done_on_date_share=(
                    round(self.tasks_done / self.tasks_due, 4) if self.tasks_due else None
                ),
            ),
        )


def measure(
    session: Session, start: date, end: date, segment: str | None
) -> tuple[ContactKpis, dict[str, ContactKpis]]:
    """(overall, per segment) for [start, end]; `segment` keeps only that one."""
    since = datetime.combine(start, time.min, tzinfo=UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    tallies: dict[str, _Tally] = defaultdict(_Tally)

    def add(seg: str | None) -> Iterable[_Tally]:
        return (tallies[ALL], tallies[seg or "none"])

    for seg, kind, outcome, before_due, currency, count, owed in _touches(session, since, until):
        for t in add(seg):
            t.by_kind[kind] += count
            t.by_outcome[outcome] += count
            if before_due and outcome in CAUGHT:
                t.caught += count
                t.caught_money[currency] += int(owed)
    for seg, status, count in _promises(session, since, until):
        for t in add(seg):
            t.promises[status] += count
    for seg, opened, resolved, days in _disputes(session, since, until):
        for t in add(seg):
            t.disputes_opened += opened
            t.disputes_resolved += resolved
            t.days_to_resolve += days
    for seg, due, done in _tasks(session, start, end):
        for t in add(seg):
            t.tasks_due += due
            t.tasks_done += done
    if segment is not None:
        only = tallies.get(segment, _Tally())
        return only.kpis(), {segment: only.kpis()}
    overall = tallies.pop(ALL, _Tally())
    return overall.kpis(), {key: t.kpis() for key, t in sorted(tallies.items())}


def _touches(session: Session, since: datetime, until: datetime) -> list[Any]:
    query = select(
        Touch.segment,
        Touch.kind,
        Touch.outcome,
        Touch.before_due,
        Touch.currency,
        func.count(),
        func.coalesce(func.sum(Touch.outstanding), 0),
    ).where(Touch.occurred_at >= since, Touch.occurred_at < until)
    query = query.group_by(
        Touch.segment, Touch.kind, Touch.outcome, Touch.before_due, Touch.currency
    )
    return [tuple(row) for row in session.execute(query)]


def _promises(
    session: Session, since: datetime, until: datetime
) -> list[tuple[str | None, str, int]]:
    made = (
        select(Invoice.segment_key, func.count())
        .select_from(Promise)
        .join(Invoice, Invoice.invoice_id == Promise.invoice_id)
        .where(Promise.made_at >= since, Promise.made_at < until)
        .group_by(Invoice.segment_key)
    )
    closed = (
        select(Invoice.segment_key, Promise.status, func.count())
        .select_from(Promise)
        .join(Invoice, Invoice.invoice_id == Promise.invoice_id)
        .where(Promise.closed_at >= since, Promise.closed_at < until)
        .group_by(Invoice.segment_key, Promise.status)
    )
    rows = [(seg, "made", count) for seg, count in session.execute(made)]
    return rows + [(seg, status, int(count)) for seg, status, count in session.execute(closed)]


def _disputes(
    session: Session, since: datetime, until: datetime
) -> list[tuple[str | None, int, int, float]]:
    opened = (
        select(Invoice.segment_key, func.count())
        .select_from(Dispute)
        .join(Invoice, Invoice.invoice_id == Dispute.invoice_id)
        .where(Dispute.opened_at >= since, Dispute.opened_at < until)
        .group_by(Invoice.segment_key)
    )
    resolved = (
        select(Invoice.segment_key, Dispute.opened_at, Dispute.resolved_at)
        .select_from(Dispute)
        .join(Invoice, Invoice.invoice_id == Dispute.invoice_id)
        .where(Dispute.resolved_at >= since, Dispute.resolved_at < until)
    )
    rows = [(seg, int(count), 0, 0.0) for seg, count in session.execute(opened)]
    for seg, opened_at, resolved_at in session.execute(resolved):
        assert resolved_at is not None  # the query asks for resolved ones
        days = (resolved_at - opened_at).total_seconds() / 86_400
        rows.append((seg, 0, 1, days))
    return rows


def _tasks(session: Session, start: date, end: date) -> list[tuple[str | None, int, int]]:
    """Tasks dated in the period and not cancelled; those done by their date."""
    rows = session.execute(
        select(
            ContactTask.segment, ContactTask.scheduled_on, ContactTask.status, ContactTask.done_at
        ).where(
            ContactTask.scheduled_on >= start,
            ContactTask.scheduled_on <= end,
            ContactTask.status != "cancelled",
        )
    )
    counts: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    for seg, on, status, done_at in rows:
        tally = counts[seg]
        tally[0] += 1
        if status == "done" and done_at is not None and done_at.astimezone(UTC).date() <= on:
            tally[1] += 1
    return [(seg, due, done) for seg, (due, done) in counts.items()]
