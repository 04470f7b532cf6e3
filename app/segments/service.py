"""The rules for changing segments."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.clock import Clock
from app.core.errors import Conflict, Invalid, NotFound
from app.core.keys import Principal
from app.core.models import Segment
from app.core.paging import decode_cursor, page_of
from app.core.preconditions import check_if_match
from app.segments import repository
from app.segments.schemas import SegmentIn, SegmentOut
from app.terms import service as terms
from app.workflows import service as workflows


def find(session: Session, key: str) -> Segment | None:
    """The segment row, for the domains that place customers on it; None if there is none."""
    return repository.get(session, key)


def get(session: Session, key: str) -> SegmentOut:
    return SegmentOut.of(_existing(session, key))


def listing(
    session: Session, cursor: str | None, limit: int
) -> tuple[list[SegmentOut], str | None]:
    rows, next_cursor = page_of(
        repository.page(session, decode_cursor(cursor), limit), limit, "key"
    )
    return [SegmentOut.of(row) for row in rows], next_cursor


def put(
    session: Session,
    key: str,
    *,
    body: SegmentIn,
    if_match: str | None,
    who: Principal,
    clock: Clock,
    reason: str | None,
) -> tuple[SegmentOut, bool]:
    """Create the segment (True) or replace it under If-Match (False)."""
    if body.key is not None and body.key != key:
        raise Invalid(
            f"The body's key '{body.key}' is not the path's '{key}'.",
            errors=[{"loc": ["body", "key"], "msg": "must equal the key in the path"}],
        )
    if workflows.find(session, body.workflow) is None:
        raise Invalid(
            f"Workflow '{body.workflow}' does not exist.",
            errors=[{"loc": ["body", "workflow"], "msg": "unknown workflow"}],
        )
    row = repository.get(session, key)
    created = row is None
    before = None
    if row is None:
        row = Segment(key=key, revision=0)
        session.add(row)
    else:
        check_if_match(if_match, row.revision, f"Segment '{key}'")
        before = SegmentOut.of(row).model_dump(mode="json")
    row.name = body.name
    row.terms_type = body.terms.type
    row.net_days = body.terms.net_days
    row.credit_limit_amount = body.credit_limit.amount if body.credit_limit else None
    row.credit_limit_currency = body.credit_limit.currency if body.credit_limit else None
    row.workflow_key = body.workflow
    row.contact_plan = [step.model_dump() for step in body.contact_plan]
    row.revision += 1
    row.updated_at = clock.now()
    session.flush()
    out = SegmentOut.of(row)
    audit.record(
        session,
        audit.Entry(
            actor=who.name,
            action="segment.created" if created else "segment.updated",
            entity_type="segment",
            entity_id=key,
            occurred_at=row.updated_at,
            before=before,
            after=out.model_dump(mode="json"),
            reason=reason,
        ),
    )
    return out, created


def delete(
    session: Session,
    key: str,
    *,
    if_match: str | None,
    who: Principal,
    clock: Clock,
    reason: str | None,
) -> None:
    """Delete an unused segment; If-Match is optional here but checked when sent."""
    row = _existing(session, key)
    if if_match is not None:
        check_if_match(if_match, row.revision, f"Segment '{key}'")
    if key in terms.policy_in_force(session).segments_named():
        raise Conflict(f"Segment '{key}' is named by the segmentation policy in force.")
    if repository.placed_customers_exist(session, key):
        raise Conflict(f"Segment '{key}' has customers assigned or pinned to it.")
    if repository.named_by_exception(session, key):
        raise Conflict(f"Segment '{key}' is named by term exceptions (GET /v1/term-exceptions).")
    before = SegmentOut.of(row).model_dump(mode="json")
    session.delete(row)
    audit.record(
        session,
        audit.Entry(
            actor=who.name,
            action="segment.deleted",
            entity_type="segment",
            entity_id=key,
            occurred_at=clock.now(),
            before=before,
            reason=reason,
        ),
    )


def _existing(session: Session, key: str) -> Segment:
    row = repository.get(session, key)
    if row is None:
        raise NotFound(f"Segment '{key}' does not exist.")
    return row
