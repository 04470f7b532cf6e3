"""Term exceptions: sales asks for looser terms for one customer, finance (another person) decides.

Approving copies the exception onto the customer's row, which is what places the customer (the
terms snapshot and routing read that row alone); bumping its changed_version is how every
process's cache follows.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.keys import Principal
from app.core.models import Customer, Segment, TermException
from app.core.paging import decode_moment_cursor, encode_moment_cursor
from app.core.store import written_version
from app.core.vocabulary import Money, looser
from app.customers import service as customers
from app.segments import service as segments
from app.term_exceptions import events, repository
from app.term_exceptions.schemas import (
    APPROVED,
    EXPIRED,
    PENDING,
    REJECTED,
    DecisionNoteIn,
    Status,
    TermExceptionIn,
    TermExceptionOut,
    status_seen,
)
from app.terms import service as terms


def request(
    session: Session, body: TermExceptionIn, *, who: Principal, clock: Clock
) -> TermExceptionOut:
    """Record a pending request for terms looser than the customer has today."""
    today = clock.today()
    target = segments.find(session, body.segment)
    if target is None:
        raise Invalid(
            f"Segment '{body.segment}' does not exist.",
            errors=[{"loc": ["body", "segment"], "msg": "unknown segment"}],
        )
    if body.expires_on is not None and body.expires_on < today:
        raise Invalid(
            f"expires_on {body.expires_on} is in the past.",
            errors=[{"loc": ["body", "expires_on"], "msg": "must be today or later"}],
        )
    current, current_limit = _terms_today(session, body.customer_id, today)
    asked = (target.net_days, body.credit_limit or _limit_of(target))
    if not looser(asked, (current.net_days, current_limit)):
        raise Invalid(
            f"Segment '{target.key}'{' with that credit limit' if body.credit_limit else ''} is "
            f"no looser than what customer '{body.customer_id}' has today ('{current.key}'). "
            "An exception may only loosen terms; to tighten them, set an override "
            f"(PUT /v1/customers/{body.customer_id}/override).",
            errors=[{"loc": ["body", "segment"], "msg": "not looser than the customer's terms"}],
        )
    now = clock.now()
    row = TermException(
        id=f"tex_{uuid.uuid4().hex}",
        customer_id=body.customer_id,
        segment_key=target.key,
        credit_limit_amount=body.credit_limit.amount if body.credit_limit else None,
        credit_limit_currency=body.credit_limit.currency if body.credit_limit else None,
        reason=body.reason,
        expires_on=body.expires_on,
        status=PENDING,
        requested_by=who.name,
        requested_owner=who.owner,
        requested_at=now,
    )
    repository.add(session, row)
    return events.record(
        session, row, action="requested", actor=who.name, now=now, today=today, reason=body.reason
    )


def approve(
    session: Session,
    exception_id: str,
    *,
    body: DecisionNoteIn | None,
    who: Principal,
    clock: Clock,
) -> TermExceptionOut:
    """Put the exception in force: its segment (and credit limit) now place the customer."""
    today, now = clock.today(), clock.now()
    row = _decidable(session, exception_id, who, today)
    before = TermExceptionOut.of(row, today).model_dump(mode="json")
    note = body.note if body else None
    version = written_version(session)
    customer = customers.get_or_new(session, row.customer_id, version)
    replaced = _in_force_on(session, customer, today)
    stood_on, _source = customers.stands_on(session, customer, today)
    _decide(row, APPROVED, who, now, note)
    customer.exception_id = row.id
    customer.exception_segment_key = row.segment_key
    customer.exception_credit_limit_amount = row.credit_limit_amount
    customer.exception_credit_limit_currency = row.credit_limit_currency
    customer.exception_expires_on = row.expires_on
    customer.changed_version = version
    customers.add_assignment(
        session,
        customer_id=row.customer_id,
        kind="exception",
        from_segment=stood_on,
        to_segment=row.segment_key,
        by=who.name,
        at=now,
    )
    shown = events.record(
        session,
        row,
        action="approved",
        actor=who.name,
        now=now,
        today=today,
        reason=note,
        before=before,
    )
    if replaced is not None and replaced.id != row.id:
        _expire_replaced(session, replaced, row, who, now, today)
    return shown


def reject(
    session: Session,
    exception_id: str,
    *,
    body: DecisionNoteIn | None,
    who: Principal,
    clock: Clock,
) -> TermExceptionOut:
    today, now = clock.today(), clock.now()
    row = _decidable(session, exception_id, who, today)
    before = TermExceptionOut.of(row, today).model_dump(mode="json")
    note = body.note if body else None
    _decide(row, REJECTED, who, now, note)
    return events.record(
        session,
        row,
        action="rejected",
        actor=who.name,
        now=now,
        today=today,
        reason=note,
        before=before,
    )


def get(session: Session, exception_id: str, clock: Clock) -> TermExceptionOut:
    return TermExceptionOut.of(_existing(session, exception_id), clock.today())


def listing(
    session: Session,
    *,
    status: Status | None,
    customer_id: str | None,
    cursor: str | None,
    limit: int,
    clock: Clock,
) -> tuple[list[TermExceptionOut], str | None]:
    """Exceptions by (requested_at, id), with the status callers see today."""
    today = clock.today()
    rows = repository.page(
        session,
        today=today,
        status=status,
        customer_id=customer_id,
        after=decode_moment_cursor(cursor),
        limit=limit,
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_moment_cursor(rows[-1].requested_at, rows[-1].id)
    return [TermExceptionOut.of(row, today) for row in rows], next_cursor


def _existing(session: Session, exception_id: str) -> TermException:
    row = repository.get(session, exception_id)
    if row is None:
        raise NotFound(f"Term exception '{exception_id}' does not exist.")
    return row


def _decidable(session: Session, exception_id: str, who: Principal, today: date) -> TermException:
    """The exception, read inside the writers' lock, if `who` may decide it now."""
    row = _existing(session, exception_id)
    # Four eyes are two people: no key of the requester's owner may decide, not only not the
    # requesting key (rows from before owners name none: the requesting key's name stands in).
    requester = row.requested_owner or row.requested_by
    if who.owner == requester or who.name == row.requested_by:
        raise Forbidden(
            f"Term exception '{exception_id}' was requested by '{requester}' (key "
            f"'{row.requested_by}'): a key of another person must approve or reject it."
        )
    seen = status_seen(row, today)
    if seen != PENDING:
        why = " (its expires_on has passed)" if row.status == PENDING else ""
        raise Conflict(
            f"Term exception '{exception_id}' is {seen}{why}: only a pending one can be "
            "approved or rejected."
        )
    return row


def _decide(
    row: TermException, status: str, who: Principal, now: datetime, note: str | None
) -> None:
    row.status = status
    row.decided_by = who.name
    row.decided_at = now
    row.note = note


def _in_force_on(session: Session, customer: Customer, today: date) -> TermException | None:
    """The approved exception the customer's row carries today, if any."""
    if customer.exception_id is None or not terms.in_force(customer.exception_expires_on, today):
        return None
    row = repository.get(session, customer.exception_id)
    return row if row is not None and row.status == APPROVED else None


def _expire_replaced(
    session: Session,
    old: TermException,
    new: TermException,
    who: Principal,
    now: datetime,
    today: date,
) -> None:
    before = TermExceptionOut.of(old, today).model_dump(mode="json")
    why = f"Replaced by term exception '{new.id}', approved by '{who.name}'."
    old.status = EXPIRED
    old.note = f"{old.note}\n{why}" if old.note else why
    old.expiry_announced_at = now
    events.record(
        session,
        old,
        action="expired",
        actor=who.name,
        now=now,
        today=today,
        reason=why,
        before=before,
    )


def _terms_today(session: Session, customer_id: str, today: date) -> tuple[Segment, Money | None]:
    """The segment that places the customer today, and the credit limit it has under it."""
    customer = customers.find(session, customer_id)
    placed = (
        terms.placement(terms.standing(customer), today, terms.ladder(session))
        if customer is not None
        else None
    )
    if placed is None:
        key = terms.policy_in_force(session).new_customer_segment
        placed_limit = None
    else:
        key, placed_limit = placed.segment_key, placed.credit_limit
    segment = segments.find(session, key)
    assert segment is not None, "customers and the policy only name existing segments"
    if placed_limit is not None:
        return segment, Money(amount=placed_limit[0], currency=placed_limit[1])
    return segment, _limit_of(segment)


def _limit_of(segment: Segment) -> Money | None:
    if segment.credit_limit_amount is None or segment.credit_limit_currency is None:
        return None
    return Money(amount=segment.credit_limit_amount, currency=segment.credit_limit_currency)
