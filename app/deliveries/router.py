"""HTTP for webhook deliveries: what ops watch and resend."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from app.core.vocabulary import KEY_PATTERN
from app.deliveries import service
from app.deliveries.schemas import EVENT_ID_PATTERN, DeliveryOut, DeliveryStatus
from app.http.dependencies import AuditReason, ClockDep, Ops, ReadSession, WriteSession
from app.http.idempotency import IdempotencyKey, json_answer, once
from app.http.pages import Cursor, Limit, Page
from app.http.problems import LIST, problems

router = APIRouter(tags=["deliveries"])
EventId = Annotated[str, Path(pattern=EVENT_ID_PATTERN, description="The event id, evt_...")]
StatusFilter = Annotated[DeliveryStatus | None, Query(description="Only deliveries in this state.")]
WorkflowFilter = Annotated[
    str | None, Query(pattern=KEY_PATTERN, description="Only this workflow's deliveries.")
]


@router.get("/v1/deliveries", responses=LIST)
def list_deliveries(
    who: Ops,
    session: ReadSession,
    status: StatusFilter = None,
    workflow: WorkflowFilter = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[DeliveryOut]:
    """Webhook deliveries, newest first."""
    items, next_cursor = service.listing(
        session, status=status, workflow=workflow, cursor=cursor, limit=limit
    )
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/v1/deliveries/{event_id}/retry",
    response_model=DeliveryOut,
    responses=problems(401, 403, 404, 409, 422, 503),
)
def retry_delivery(
    event_id: EventId,
    who: Ops,
    session: WriteSession,
    clock: ClockDep,
    request: Request,
    reason: AuditReason = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Send a dead delivery again, with a fresh retry schedule (409 once delivered)."""
    return once(
        session,
        idempotency_key,
        who=who,
        request=request,
        body=None,
        clock=clock,
        work=lambda: json_answer(
            service.retry(session, event_id, who=who, clock=clock, reason=reason)
        ),
    )
