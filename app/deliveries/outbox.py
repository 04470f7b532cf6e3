"""Writing events into the outbox, in the transaction of the change they announce."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from app.core import tracing
from app.core.models import OutboxEvent, Workflow
from app.core.statements import insert_rows


def accepts_events(workflow: Workflow) -> bool:
    """Whether the workflow has a live webhook; without one there is nowhere to deliver."""
    return workflow.webhook_url is not None and workflow.webhook_disabled_at is None


def event_row(
    event_type: str, workflow_key: str, data: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """One outbox row: the Standard Webhooks body `{"id", "type", "created_at", "data"}`, and
    the trace context of the request writing it, for its delivery to carry on."""
    event_id = f"evt_{uuid.uuid4().hex}"
    body = {"id": event_id, "type": event_type, "created_at": now.isoformat(), "data": data}
    return {
        "event_id": event_id,
        "event_type": event_type,
        "workflow_key": workflow_key,
        "body": orjson.dumps(body).decode(),
        "created_at": now,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "last_status": None,
        "last_error": None,
        "delivered_at": None,
        "traceparent": tracing.traceparent(),
    }


def enqueue(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Add the events in one statement, in the caller's transaction."""
    insert_rows(session, OutboxEvent, rows)
