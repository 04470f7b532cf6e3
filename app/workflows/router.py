"""HTTP for workflows."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

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
from app.http.idempotency import IdempotencyKey, json_answer, once
from app.http.pages import Cursor, Limit, Page
from app.http.preconditions import if_match_links
from app.http.problems import LIST, READ, REPLACE, problems
from app.http.state import state_of
from app.workflows import service
from app.workflows.schemas import WorkflowIn, WorkflowOut

router = APIRouter(tags=["workflows"])
WorkflowKey = Annotated[str, Path(pattern=KEY_PATTERN)]
ROTATE = problems(401, 403, 404, 409, 412, 422, 503)
WITH_ETAG = {
    "links": if_match_links("key", ReplaceWorkflow="put_workflow", RotateSecret="rotate_secret")
}


@router.get("/v1/workflows", responses=LIST)
def list_workflows(
    who: AnyKey, session: ReadSession, limit: Limit = 100, cursor: Cursor = None
) -> Page[WorkflowOut]:
    """Every workflow, by key (secrets are never listed)."""
    items, next_cursor = service.listing(session, cursor, limit)
    return Page(items=items, next_cursor=next_cursor)


@router.get("/v1/workflows/{key}", responses={200: WITH_ETAG, **READ})
def get_workflow(
    key: WorkflowKey, who: AnyKey, session: ReadSession, response: Response
) -> WorkflowOut:
    """One workflow, with its ETag."""
    workflow = service.get(session, key)
    response.headers["ETag"] = etag(workflow.revision)
    return workflow


@router.put(
    "/v1/workflows/{key}",
    responses={200: WITH_ETAG, 201: {"model": WorkflowOut, **WITH_ETAG}, **REPLACE},
)
def put_workflow(
    key: WorkflowKey,
    body: WorkflowIn,
    who: Ops,
    session: WriteSession,
    clock: ClockDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
    reason: AuditReason = None,
) -> WorkflowOut:
    """Create a workflow (201) or replace one under If-Match (200)."""
    allow_private = state_of(request).settings.webhook_allow_private
    workflow, created = service.put(
        session,
        key,
        body=body,
        if_match=if_match,
        who=who,
        clock=clock,
        allow_private=allow_private,
        reason=reason,
    )
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(workflow.revision)
    return workflow


@router.post(
    "/v1/workflows/{key}/rotate-secret",
    response_model=WorkflowOut,
    responses={200: WITH_ETAG, **ROTATE},
)
def rotate_secret(
    key: WorkflowKey,
    who: Ops,
    session: WriteSession,
    clock: ClockDep,
    request: Request,
    if_match: IfMatch = None,
    reason: AuditReason = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A new signing secret, shown once; the previous one also signs during the grace period."""
    grace = timedelta(hours=state_of(request).settings.webhook_secret_grace_hours)

    def rotate() -> Response:
        workflow = service.rotate_secret(
            session, key, if_match=if_match, who=who, clock=clock, grace=grace, reason=reason
        )
        return json_answer(workflow, headers={"ETag": etag(workflow.revision)})

    return once(
        session, idempotency_key, who=who, request=request, body=None, clock=clock, work=rotate
    )
