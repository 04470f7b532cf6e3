"""HTTP for segments: parse, authorise, call the service, answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.core.preconditions import etag
from app.core.vocabulary import KEY_PATTERN
from app.http.dependencies import (
    AnyKey,
    AuditReason,
    ClockDep,
    IfMatch,
    Ops,
    ReadSession,
    WriteSession,
)
from app.http.pages import Cursor, Limit, Page
from app.http.preconditions import if_match_links
from app.http.problems import LIST, READ, REMOVE, REPLACE
from app.segments import service
from app.segments.schemas import SegmentIn, SegmentOut

router = APIRouter(tags=["segments"])
SegmentKey = Annotated[str, Path(pattern=KEY_PATTERN)]
WITH_ETAG = {
    "links": if_match_links("key", ReplaceSegment="put_segment", DeleteSegment="delete_segment")
}


@router.get("/v1/segments", responses=LIST)
def list_segments(
    who: AnyKey, session: ReadSession, limit: Limit = 100, cursor: Cursor = None
) -> Page[SegmentOut]:
    """Every segment, by key."""
    items, next_cursor = service.listing(session, cursor, limit)
    return Page(items=items, next_cursor=next_cursor)


@router.get("/v1/segments/{key}", responses={200: WITH_ETAG, **READ})
def get_segment(
    key: SegmentKey, who: AnyKey, session: ReadSession, response: Response
) -> SegmentOut:
    """One segment, with its ETag."""
    segment = service.get(session, key)
    response.headers["ETag"] = etag(segment.revision)
    return segment


@router.put(
    "/v1/segments/{key}",
    responses={200: WITH_ETAG, 201: {"model": SegmentOut, **WITH_ETAG}, **REPLACE},
)
def put_segment(
    key: SegmentKey,
    body: SegmentIn,
    who: Ops,
    session: WriteSession,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
    reason: AuditReason = None,
) -> SegmentOut:
    """Create a segment (201), or replace one under If-Match (200)."""
    segment, created = service.put(
        session, key, body=body, if_match=if_match, who=who, clock=clock, reason=reason
    )
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(segment.revision)
    return segment


@router.delete("/v1/segments/{key}", status_code=204, responses=REMOVE)
def delete_segment(
    key: SegmentKey,
    who: Ops,
    session: WriteSession,
    clock: ClockDep,
    if_match: IfMatch = None,
    reason: AuditReason = None,
) -> None:
    """Delete a segment no customer and no policy uses (else 409)."""
    service.delete(session, key, if_match=if_match, who=who, clock=clock, reason=reason)
