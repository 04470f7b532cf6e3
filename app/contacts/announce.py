"""What a change in the contact loop leaves behind, in its own transaction: an audit row and,
where the invoice's workflow listens, an event to it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.models import Invoice
from app.deliveries import service as outbox
from app.workflows import service as workflows


def event(
    session: Session, invoice: Invoice, event_type: str, data: dict[str, Any], now: datetime
) -> None:
    """Send `event_type` to the workflow the invoice was routed to, if it takes events."""
    if invoice.workflow_key is None:
        return
    workflow = workflows.find(session, invoice.workflow_key)
    if workflow is not None and outbox.accepts_events(workflow):
        outbox.enqueue(session, [outbox.event_row(event_type, workflow.key, data, now)])


def audited(
    session: Session,
    *,
    action: str,
    entity_type: str,
    entity_id: str,
    actor: str,
    now: datetime,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    audit.record(
        session,
        audit.Entry(
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            occurred_at=now,
            before=before,
            after=after,
            reason=reason,
        ),
    )
