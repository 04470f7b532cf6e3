"""Appending to the audit log; each row's hash covers the previous row's hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.entry import Entry
from app.core.logs import request_id
from app.core.models import AuditEvent
from app.core.statements import insert_rows
from app.core.store import before_commit, late_lock

GENESIS_HASH = "0" * 64


def chain_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev_hash.encode() + canonical).hexdigest()


def hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return _with_request_id(
        {
            "occurred_at": event.occurred_at.isoformat(),
            "actor": event.actor,
            "action": event.action,
            "entity_type": event.entity_type,
            "entity_id": event.entity_id,
            "reason": event.reason,
            "before": event.before,
            "after": event.after,
        },
        event.request_id,
    )


def _with_request_id(fields: dict[str, Any], rid: str | None) -> dict[str, Any]:
    """The request id is hashed when there is one; rows from before it was kept hash as they did."""
    return fields if rid is None else {**fields, "request_id": rid}


def append(session: Session, entry: Entry) -> None:
    """Add a row to this transaction's audit log, chained after those added before it.

    Rows are written just before the transaction commits, under the late lock (so the chain
    stays linear with many writers at once and the lock is held for as short a time as can be).
    Each names the request (or CLI run) in whose context it was recorded, if any."""
    pending: list[tuple[Entry, str | None]] = session.info.setdefault("audit_pending", [])
    pending.append((entry, request_id.get()))
    before_commit(session, "audit", _write_pending)


def _write_pending(session: Session) -> None:
    pending: list[tuple[Entry, str | None]] = session.info.pop("audit_pending", [])
    if not pending:
        return
    late_lock(session)
    prev_hash = (
        session.execute(
            select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
        ).scalar_one_or_none()
        or GENESIS_HASH
    )
    rows: list[dict[str, Any]] = []
    for entry, rid in pending:
        fields = {
            "occurred_at": entry.occurred_at.isoformat(),
            "actor": entry.actor,
            "action": entry.action,
            "entity_type": entry.entity_type,
            "entity_id": entry.entity_id,
            "reason": entry.reason,
            "before": entry.before,
            "after": entry.after,
        }
        digest = chain_hash(prev_hash, _with_request_id(fields, rid))
        rows.append({**fields, "occurred_at": entry.occurred_at, "request_id": rid,
                     "prev_hash": prev_hash, "hash": digest})  # fmt: skip
        prev_hash = digest
    insert_rows(session, AuditEvent, rows)  # a batch of 1,000 routes writes 1,000


def page(
    session: Session,
    *,
    after_id: int | None,
    limit: int,
    entity_type: str | None = None,
    entity_id: str | None = None,
    actor: str | None = None,
    occurred_from: datetime | None = None,
    occurred_to: datetime | None = None,
) -> list[AuditEvent]:
    """Up to limit+1 rows matching every filter given, by id, after `after_id`."""
    query = select(AuditEvent).order_by(AuditEvent.id).limit(limit + 1)
    if after_id is not None:
        query = query.where(AuditEvent.id > after_id)
    if entity_type is not None:
        query = query.where(AuditEvent.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    if actor is not None:
        query = query.where(AuditEvent.actor == actor)
    if occurred_from is not None:
        query = query.where(AuditEvent.occurred_at >= occurred_from)
    if occurred_to is not None:
        query = query.where(AuditEvent.occurred_at < occurred_to)
    return list(session.scalars(query))


def in_order(session: Session, chunk: int = 1000) -> Iterator[AuditEvent]:
    """Every row by id, read `chunk` at a time so a long log never sits in memory whole."""
    after_id = 0
    while True:
        query = select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id)
        rows = list(session.scalars(query.limit(chunk)))
        yield from rows
        if len(rows) < chunk:
            return
        after_id = rows[-1].id
        for row in rows:
            session.expunge(row)
