"""Reading the audit log, and checking that its hash chain is unbroken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app.audit import repository
from app.audit.entry import Entry
from app.audit.schemas import AuditEventOut
from app.core.errors import Invalid
from app.core.paging import decode_cursor, page_of

__all__ = ["AuditFilter", "ChainCheck", "Entry", "listing", "record", "verify"]


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which events a listing answers; None means any."""

    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """What `verify` found: how many rows it checked, and the first broken one if any."""

    events_checked: int
    broken_at: int | None = None
    why: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def listing(
    session: Session, wanted: AuditFilter, *, cursor: str | None, limit: int
) -> tuple[list[AuditEventOut], str | None]:
    if (
        wanted.occurred_from is not None
        and wanted.occurred_to is not None
        and wanted.occurred_from > wanted.occurred_to
    ):
        raise Invalid(
            "occurred_from is after occurred_to.",
            errors=[{"loc": ["query", "occurred_from"], "msg": "must not be after occurred_to"}],
        )
    rows = repository.page(
        session,
        after_id=_after_id(cursor),
        limit=limit,
        entity_type=wanted.entity_type,
        entity_id=wanted.entity_id,
        actor=wanted.actor,
        occurred_from=wanted.occurred_from,
        occurred_to=wanted.occurred_to,
    )
    items, next_cursor = page_of(rows, limit, "id")
    return [AuditEventOut.of(row) for row in items], next_cursor


def verify(session: Session) -> ChainCheck:
    """Walk the log by id: each row must link to the row before and hash to what it says."""
    expected_prev = repository.GENESIS_HASH
    checked = 0
    for row in repository.in_order(session):
        checked += 1
        if row.prev_hash != expected_prev:
            return ChainCheck(checked, row.id, "prev_hash does not match the previous event's hash")
        if repository.chain_hash(row.prev_hash, repository.hashed_fields(row)) != row.hash:
            return ChainCheck(checked, row.id, "hash does not match the event's contents")
        expected_prev = row.hash
    return ChainCheck(checked)


def _after_id(cursor: str | None) -> int | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    if not key.isascii() or not key.isdigit():
        raise Invalid(
            "cursor is not one this service handed out.",
            errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor"}],
        )
    return int(key)


def record(session: Session, entry: Entry) -> None:
    """Append one row to the chain, in the caller's transaction."""
    repository.append(session, entry)
