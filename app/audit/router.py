"""HTTP for the audit log: read-only, paged, filtered."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BeforeValidator

from app.audit import service
from app.audit.schemas import AuditEventOut
from app.core.vocabulary import PRINTABLE_PATTERN
from app.http.dependencies import ReadSession, Reports
from app.http.pages import Cursor, Limit, Page
from app.http.problems import LIST

router = APIRouter(tags=["audit"])

EntityType = Annotated[
    str | None,
    Query(max_length=32, pattern=PRINTABLE_PATTERN, description="e.g. segment, customer."),
]
EntityId = Annotated[
    str | None,
    Query(max_length=128, pattern=PRINTABLE_PATTERN, description="Needs no entity_type."),
]
Actor = Annotated[
    str | None,
    Query(max_length=64, pattern=PRINTABLE_PATTERN, description="The key name that wrote."),
]
# Pydantic would also read a bare number as seconds since 1970: only RFC 3339 text is taken.
RFC3339_START = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]")


def _rfc3339(value: object) -> object:
    if isinstance(value, str) and not RFC3339_START.match(value):
        raise ValueError("must be an RFC 3339 date-time with an offset, e.g. 2026-11-22T10:00:00Z")
    return value


OccurredFrom = Annotated[
    AwareDatetime | None,
    BeforeValidator(_rfc3339),
    Query(description="RFC 3339 with offset; events at or after it."),
]
OccurredTo = Annotated[
    AwareDatetime | None,
    BeforeValidator(_rfc3339),
    Query(description="RFC 3339 with offset; events before it."),
]


@router.get("/v1/audit-events", responses=LIST)
def list_audit_events(
    who: Reports,
    session: ReadSession,
    entity_type: EntityType = None,
    entity_id: EntityId = None,
    actor: Actor = None,
    occurred_from: OccurredFrom = None,
    occurred_to: OccurredTo = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[AuditEventOut]:
    """Every write, oldest first: who (key name), what, when and why."""
    wanted = service.AuditFilter(entity_type, entity_id, actor, occurred_from, occurred_to)
    items, next_cursor = service.listing(session, wanted, cursor=cursor, limit=limit)
    return Page(items=items, next_cursor=next_cursor)
