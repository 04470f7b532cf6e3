"""What callers get back from the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from app.core.models import AuditEvent


class AuditEventOut(BaseModel):
    """One recorded write: who (key name), what, when and why, with its place in the chain."""

    id: int
    occurred_at: datetime
    actor: str = Field(description="Name of the API key (or `cli:<user>`) that made the change.")
    action: str
    entity_type: str
    entity_id: str
    reason: str | None = Field(
        description="Why, in the caller's words: a body's reason or note, or X-Audit-Reason."
    )
    request_id: str | None = Field(
        description=(
            "The request that made the change (its X-Request-ID, the caller's own if it sent "
            "one), or the CLI run; with the logs, the why where no reason was given."
        )
    )
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    hash: str = Field(description="SHA-256 over prev_hash and this event's fields.")
    prev_hash: str

    @classmethod
    def of(cls, row: AuditEvent) -> AuditEventOut:
        return cls(
            id=row.id,
            occurred_at=row.occurred_at,
            actor=row.actor,
            action=row.action,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            reason=row.reason,
            request_id=row.request_id,
            before=row.before,
            after=row.after,
            hash=row.hash,
            prev_hash=row.prev_hash,
        )
