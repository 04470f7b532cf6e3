"""Idempotency: what makes a retry the same request, and the answers kept for retries.

Routes, payments and touches carry their own natural key (`invoice_id`, `payment_id`,
`touch_id`) and compare `request_fingerprint`s. Every other POST takes an `Idempotency-Key`
header: its first answer is kept, by caller and key, for `KEEP` (24 hours), in the transaction
of the work itself where the work has one, so an answer lost on the way back is never a second
effect on a retry.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, Final

import orjson
from pydantic import BaseModel
from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.models import IdempotentRequest
from app.core.store import Store, lock_ids

KEEP: Final = timedelta(hours=24)
# A request whose work runs transactions of its own holds its key this long at most; a retry
# after that (its process died mid-way) may do the work again.
IN_FLIGHT_LEASE: Final = timedelta(minutes=10)
KEY_LOCKS: Final = 4  # lock_ids namespace: (caller, Idempotency-Key)
PRUNE_EVERY_SECONDS: Final = 3600.0


def request_fingerprint(body: BaseModel) -> str:
    """SHA-256 of the request as understood (defaults filled), so key order or an explicit
    null for an omitted field does not make an identical retry look different."""
    canonical = orjson.dumps(body.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def call_fingerprint(method: str, path: str, body: BaseModel | None) -> str:
    """The fingerprint of a call: its method, its path and its body as understood."""
    document = None if body is None else body.model_dump(mode="json")
    canonical = orjson.dumps([method, path, document], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def held(session: Session, actor: str, key: str, now: datetime) -> IdempotentRequest | None:
    """The live record of (actor, key), after taking its lock: a concurrent request with the
    same key waits here until this transaction ends (SQLite has one writer at a time)."""
    lock_ids(session, KEY_LOCKS, [f"{actor}\x1f{key}"])
    row = session.get(IdempotentRequest, (actor, key), populate_existing=True)
    if row is not None and row.expires_at <= now:
        session.delete(row)
        session.flush()
        return None
    return row


def remember(
    session: Session,
    actor: str,
    key: str,
    fingerprint: str,
    answer: tuple[int, bytes, dict[str, str]] | None,
    now: datetime,
) -> None:
    """Keep the answer (or, with None, mark the request in flight) in this transaction."""
    row = session.get(IdempotentRequest, (actor, key))
    if row is None:
        row = IdempotentRequest(actor=actor, key=key, fingerprint=fingerprint, created_at=now)
        session.add(row)
    if answer is None:
        row.status_code, row.body, row.headers = None, None, None
        row.expires_at = now + IN_FLIGHT_LEASE
    else:
        status, body, headers = answer
        row.status_code, row.body, row.headers = status, body.decode(), dict(headers)
        row.expires_at = now + KEEP
    session.flush()


def kept_answer(row: IdempotentRequest) -> tuple[int, bytes, dict[str, Any]] | None:
    if row.status_code is None or row.body is None:
        return None
    return row.status_code, row.body.encode(), dict(row.headers or {})


def prune(store: Store, clock: Clock) -> int:
    """Forget answers kept longer than KEEP (and abandoned in-flight marks)."""
    with store.ledger() as session:
        gone = session.execute(
            delete(IdempotentRequest).where(IdempotentRequest.expires_at <= clock.now())
        )
        return int(getattr(gone, "rowcount", 0) or 0)
