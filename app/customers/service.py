"""Overrides: ops may pin a customer to tighter terms, never looser ones."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.clock import Clock
from app.core.errors import ExceptionRequired, Invalid, NotFound
from app.core.keys import Principal
from app.core.models import Customer, Segment
from app.core.paging import decode_cursor, page_of
from app.core.store import written_version
from app.core.vocabulary import looser
from app.customers import profile, repository
from app.customers.schemas import OverrideIn, OverrideOut
from app.segments import service as segments
from app.terms import service as terms


def find(session: Session, customer_id: str) -> Customer | None:
    """The customer's row; None for one the store holds nothing of."""
    return repository.get(session, customer_id)


def get_or_new(session: Session, customer_id: str, version: int) -> Customer:
    """The customer's row, made (at `version`) if there is none yet."""
    return repository.get_or_new(session, customer_id, version)


def stands_on(session: Session, row: Customer | None, today: date) -> tuple[str, str]:
    """(segment, source) deciding the customer's terms today, as the terms lookup says."""
    return profile.stands_on(session, row, today)


add_assignment = repository.add_assignment


def overrides(
    session: Session, today: date, *, cursor: str | None, limit: int
) -> tuple[list[OverrideOut], str | None]:
    """The overrides in force today (lapsed ones are kept on the row but no longer pin)."""
    rows = repository.overrides_in_force(session, today, after=decode_cursor(cursor), limit=limit)
    rows, next_cursor = page_of(rows, limit, "customer_id")
    return [out for row in rows if (out := _override_of(row)) is not None], next_cursor


def put_override(
    session: Session,
    customer_id: str,
    *,
    body: OverrideIn,
    who: Principal,
    clock: Clock,
) -> OverrideOut:
    """Pin the customer to `body.segment` if that is no looser than what it has without one."""
    target = segments.find(session, body.segment)
    if target is None:
        raise Invalid(
            f"Segment '{body.segment}' does not exist.",
            errors=[{"loc": ["body", "segment"], "msg": "unknown segment"}],
        )
    today = clock.today()
    if body.expires_on is not None and body.expires_on < today:
        raise Invalid(
            f"expires_on {body.expires_on} is in the past.",
            errors=[{"loc": ["body", "expires_on"], "msg": "must be today or later"}],
        )
    row = repository.get_or_new(session, customer_id, written_version(session))
    base = _segment_without_override(session, row)
    if looser(terms.generosity(target), terms.generosity(base)):
        raise ExceptionRequired(
            f"Segment '{target.key}' is looser than '{base.key}', which customer "
            f"'{customer_id}' has without an override. Overrides may only tighten terms; "
            "loosening needs a term exception approved by finance (POST /v1/term-exceptions)."
        )
    before = _override_of(row)
    now = clock.now()
    stood_on, _source = profile.stands_on(session, row, today)
    row.override_segment_key = target.key
    row.override_reason = body.reason
    row.override_expires_on = body.expires_on
    row.override_by = who.name
    row.override_at = now
    row.changed_version = written_version(session)
    session.flush()
    out = _override_of(row)
    assert out is not None
    repository.add_assignment(
        session,
        customer_id=customer_id,
        kind="override",
        from_segment=stood_on,
        to_segment=target.key,
        by=who.name,
        at=now,
    )
    audit.record(
        session,
        audit.Entry(
            actor=who.name,
            action="override.set",
            entity_type="customer",
            entity_id=customer_id,
            occurred_at=now,
            before=before.model_dump(mode="json") if before else None,
            after=out.model_dump(mode="json"),
            reason=body.reason,
        ),
    )
    return out


def delete_override(
    session: Session, customer_id: str, *, who: Principal, clock: Clock, reason: str | None
) -> None:
    row = repository.get(session, customer_id)
    before = _override_of(row) if row is not None else None
    if row is None or before is None:
        raise NotFound(f"Customer '{customer_id}' has no override.")
    today, now = clock.today(), clock.now()
    stood_on, _source = profile.stands_on(session, row, today)
    row.override_segment_key = None
    row.override_reason = None
    row.override_expires_on = None
    row.override_by = None
    row.override_at = None
    row.changed_version = written_version(session)
    repository.add_assignment(
        session,
        customer_id=customer_id,
        kind="override_removed",
        from_segment=stood_on,
        to_segment=profile.stands_on(session, row, today)[0],
        by=who.name,
        at=now,
    )
    audit.record(
        session,
        audit.Entry(
            actor=who.name,
            action="override.removed",
            entity_type="customer",
            entity_id=customer_id,
            occurred_at=now,
            before=before.model_dump(mode="json"),
            reason=reason,
        ),
    )


def _segment_without_override(session: Session, row: Customer) -> Segment:
    key = row.segment_key or terms.policy_in_force(session).new_customer_segment
    segment = segments.find(session, key)
    assert segment is not None, "customers and the policy only name existing segments"
    return segment


def _override_of(row: Customer) -> OverrideOut | None:
    if row.override_segment_key is None or row.override_reason is None:
        return None
    assert row.override_by is not None
    assert row.override_at is not None
    return OverrideOut(
        customer_id=row.customer_id,
        segment=row.override_segment_key,
        reason=row.override_reason,
        expires_on=row.override_expires_on,
        set_by=row.override_by,
        set_at=row.override_at,
    )
