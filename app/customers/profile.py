"""A customer's profile: where it stands, why, and how it got there.

The "why is this customer on pay-on-order" answer for sales and finance: the segment and its
source as the terms lookup gives them, the classification and numbers of the last applied run,
what the customer owes now, and the history of its assignments with the run or key behind each.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.errors import NotFound
from app.core.models import Customer, SegmentationRun
from app.customers import repository
from app.customers.schemas import (
    HISTORY_SHOWN,
    CustomerMetrics,
    HistoryItem,
    ProfileOut,
    PromisesRecord,
    Sum,
)
from app.customers.why import explain
from app.terms import service as terms


def profile(session: Session, customer_id: str, clock: Clock) -> ProfileOut:
    """The profile of a customer the store knows (a row or an invoice), else 404."""
    row = repository.get(session, customer_id)
    if row is None and not repository.has_invoices(session, customer_id):
        raise NotFound(f"Customer '{customer_id}' has no invoices and no assignment.")
    segment, source = stands_on(session, row, clock.today())
    classified_by = row.classified_run_id if row is not None else None
    run = session.get(SegmentationRun, classified_by) if classified_by else None
    metrics = CustomerMetrics.model_validate(row.metrics) if row and row.metrics else None
    return ProfileOut(
        customer_id=customer_id,
        segment=segment,
        source=source,
        payer_class=row.payer_class if row is not None else None,
        value_tier=row.value_tier if row is not None else None,
        metrics=metrics,
        classified_by_run=classified_by,
        classified_as_of=run.as_of if run is not None else None,
        open_receivables=[
            Sum(amount=amount, currency=currency)
            for currency, amount in repository.open_receivables(session, customer_id)
        ],
        promises=_promises(session, customer_id),
        disputes_open=repository.disputes_open(session, customer_id),
        credited=[
            Sum(amount=amount, currency=currency)
            for currency, amount in repository.credited(session, customer_id)
        ],
        history=[
            HistoryItem(
                at=item.assigned_at,
                kind=item.kind,
                from_segment=item.from_segment,
                to_segment=item.to_segment,
                run_id=item.run_id,
                by=item.assigned_by,
            )
            for item in repository.latest_assignments(session, customer_id, HISTORY_SHOWN)
        ],
        why=_why(session, row, run, metrics, (segment, source)),
    )


def _promises(session: Session, customer_id: str) -> PromisesRecord:
    count = repository.promises_by_status(session, customer_id)
    kept, broken, still_open = count.get("kept", 0), count.get("broken", 0), count.get("open", 0)
    closed = kept + broken
    return PromisesRecord(
        made=kept + broken + still_open,
        kept=kept,
        broken=broken,
        open=still_open,
        kept_rate=round(kept / closed, 4) if closed else None,
    )


def stands_on(session: Session, row: Customer | None, today: date) -> tuple[str, str]:
    """(segment, source) deciding the customer's terms today, as the terms lookup says."""
    placed = (
        terms.placement(terms.standing(row), today, terms.ladder(session))
        if row is not None
        else None
    )
    if placed is None:
        return terms.policy_in_force(session).new_customer_segment, terms.DEFAULT
    return placed.segment_key, placed.source


def _why(
    session: Session,
    row: Customer | None,
    run: SegmentationRun | None,
    metrics: CustomerMetrics | None,
    stands: tuple[str, str],
) -> list[str]:
    segment, source = stands
    reasons: list[str] = []
    policy = terms.policy(session, run.policy_version) if run is not None else None
    if row is not None and metrics is not None and policy is not None:
        reasons = explain(
            policy, payer_class=row.payer_class, value_tier=row.value_tier, metrics=metrics
        )
    elif source == terms.DEFAULT:
        reasons = [f"Not classified by an applied run: on {segment}, the policy's segment for "
                   "new customers."]  # fmt: skip
    elif source == terms.SEGMENT:
        reasons = [f"Assigned to {segment}, with no applied run's figures to show."]
    if source == terms.OVERRIDE:
        reasons.append(f"An override pins it to {segment}, which is no looser.")
    elif source == terms.EXCEPTION:
        reasons.append(f"An approved term exception puts it on {segment} for now.")
    return reasons
