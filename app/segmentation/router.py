"""HTTP for the segmentation policy: read it, replace it under If-Match, read old versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.core.preconditions import etag
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
from app.http.problems import LIST, READ, REPLACE, problems
from app.segmentation import policy
from app.segmentation.policy import MAX_VERSION
from app.segmentation.schemas import PolicyIn, PolicyOut

router = APIRouter(tags=["segmentation"])
PolicyVersion = Annotated[int, Path(ge=1, le=MAX_VERSION)]
WITH_ETAG = {"links": if_match_links(None, ReplacePolicy="put_policy")}


@router.get("/v1/segmentation-policy", responses={200: WITH_ETAG, **problems(401, 403, 503)})
def get_policy(who: AnyKey, session: ReadSession, response: Response) -> PolicyOut:
    """The policy in force, with its version as ETag."""
    out = policy.in_force(session)
    response.headers["ETag"] = etag(out.version)
    return out


@router.put("/v1/segmentation-policy", responses={200: WITH_ETAG, **REPLACE})
def put_policy(
    body: PolicyIn,
    who: Ops,
    session: WriteSession,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
    reason: AuditReason = None,
) -> PolicyOut:
    """Put a new policy in force as the next version, under If-Match on the current one."""
    out = policy.replace(session, body, if_match=if_match, who=who, clock=clock, reason=reason)
    response.headers["ETag"] = etag(out.version)
    return out


@router.get("/v1/segmentation-policy/versions", responses=LIST)
def list_policy_versions(
    who: AnyKey, session: ReadSession, limit: Limit = 100, cursor: Cursor = None
) -> Page[PolicyOut]:
    """Every policy that was ever in force, newest first."""
    items, next_cursor = policy.versions(session, cursor, limit)
    return Page(items=items, next_cursor=next_cursor)


@router.get("/v1/segmentation-policy/versions/{version}", responses=READ)
def get_policy_version(version: PolicyVersion, who: AnyKey, session: ReadSession) -> PolicyOut:
    """One version of the policy, in force or not (If-Match goes by the policy in force)."""
    return policy.version(session, version)
