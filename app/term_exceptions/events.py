"""What every change to an exception leaves behind: an audit row and, where finance listens, an
event to the finance_approvals workflow, both in the transaction of the change."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.models import TermException
from app.deliveries import service as outbox
from app.term_exceptions.schemas import TermExceptionOut
from app.workflows import service as workflows

FINANCE_WORKFLOW = "finance_approvals"


def record(
    session: Session,
    row: TermException,
    *,
    action: str,
    actor: str,
    now: datetime,
    today: date,
    reason: str | None,
    before: dict[str, Any] | None = None,
) -> TermExceptionOut:
    """Audit `term_exception.<action>` and send it to finance; the exception as callers see it."""
    session.flush()
    shown = TermExceptionOut.of(row, today)
    data = shown.model_dump(mode="json")
    event_type = f"term_exception.{action}"
    audit.record(
        session,
        audit.Entry(
            actor=actor,
            action=event_type,
            entity_type="term_exception",
            entity_id=row.id,
            occurred_at=now,
            before=before,
            after=data,
            reason=reason,
        ),
    )
    workflow = workflows.find(session, FINANCE_WORKFLOW)
    if workflow is not None and outbox.accepts_events(workflow):
        outbox.enqueue(session, [outbox.event_row(event_type, workflow.key, data, now)])
    return shown
