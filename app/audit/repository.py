"""Appending to the audit log; each row's hash covers the previous row's hash."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent

GENESIS_HASH = "0" * 64


def chain_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev_hash.encode() + canonical).hexdigest()


def hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "reason": event.reason,
        "before": event.before,
        "after": event.after,
    }


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    occurred_at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Add one audit row in the caller's transaction; the version bump serialises writers."""
    prev_hash = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    event = AuditEvent(
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        reason=reason,
        before=before,
        after=after,
        prev_hash=prev_hash or GENESIS_HASH,
    )
    event.hash = chain_hash(event.prev_hash, hashed_fields(event))
    session.add(event)
    session.flush()
    return event
