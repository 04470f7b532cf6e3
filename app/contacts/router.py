"""HTTP for the contact loop: tasks, the worklist, touches, promises and disputes."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from app.contacts import service
from app.contacts.schemas import (
    DisputeOut,
    PromiseOut,
    ResolveIn,
    TaskOut,
    TaskStatus,
    TouchBatchIn,
    TouchBatchOut,
    TouchIn,
    TouchOut,
    WorklistOut,
)
from app.core.vocabulary import CUSTOMER_ID_PATTERN, Day
from app.http.dependencies import (
    ClockDep,
    Collector,
    ContactReader,
    Finance,
    LedgerSession,
    ReadSession,
    SettingsDep,
)
from app.http.idempotency import IdempotencyKey, json_answer, once
from app.http.pages import Cursor, Limit, Page
from app.http.problems import LIST, problems

router = APIRouter(tags=["contacts"])
REPLAYED = {"Idempotent-Replayed": "true"}
CustomerQuery = Annotated[
    str | None, Query(pattern=CUSTOMER_ID_PATTERN, description="Only this customer's.")
]
OnQuery = Annotated[Day | None, Query(description="The day (default today, UTC).")]


@router.get("/v1/contact-tasks", responses=LIST)
def list_tasks(
    who: ContactReader,
    session: ReadSession,
    clock: ClockDep,
    on: OnQuery = None,
    status: Annotated[TaskStatus | None, Query(description="Only tasks in this state.")] = None,
    customer_id: CustomerQuery = None,
    invoice_id: Annotated[
        str | None, Query(pattern=CUSTOMER_ID_PATTERN, description="Only this invoice's.")
    ] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[TaskOut]:
    """Tasks dated on or before `on`, by id."""
    items, next_cursor = service.task_listing(
        session,
        on=on or clock.today(),
        status=status,
        customer_id=customer_id,
        invoice_id=invoice_id,
        cursor=cursor,
        limit=limit,
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get("/v1/worklist", responses=LIST)
def get_worklist(
    who: ContactReader,
    session: ReadSession,
    clock: ClockDep,
    on: OnQuery = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> WorklistOut:
    """Who to contact on `on`: one entry per customer with open tasks due, most urgent first,
    with the reasons in words."""
    return service.day_list(session, on or clock.today(), cursor=cursor, limit=limit)


@router.post(
    "/v1/touches",
    status_code=201,
    responses={
        201: {"model": TouchOut, "description": "Recorded"},
        200: {"model": TouchOut, "description": "The same request again: the original answer"},
        **problems(400, 401, 403, 404, 409, 413, 422, 503),
    },
)
def record_touch(
    body: TouchIn,
    who: Collector,
    session: LedgerSession,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Record a contact and its outcome (idempotent by touch_id)."""
    answer, replayed = service.record_touch(
        session, body, grace_days=settings.promise_grace_days, now=clock.now(), actor=who.name
    )
    return _json(answer, 200 if replayed else 201, REPLAYED if replayed else None)


@router.post(
    "/v1/touches/batch",
    responses={200: {"model": TouchBatchOut}, **problems(400, 401, 403, 413, 422, 503)},
)
def record_touches(
    body: TouchBatchIn,
    who: Collector,
    session: LedgerSession,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Up to 1000 touches in one transaction, each answered as POST /v1/touches would answer
    it, in the order given; one refused does not stop the others."""
    recorded = service.record_touches(
        session,
        body.touches,
        grace_days=settings.promise_grace_days,
        now=clock.now(),
        actor=who.name,
    )
    results = [
        {"touch_id": r.touch_id, "status": r.status}
        | ({"touch": r.touch} if r.touch is not None else {"error": r.error})
        for r in recorded
    ]
    return _json({"results": results}, 200)


@router.get("/v1/promises", responses=LIST)
def list_promises(
    who: ContactReader,
    session: ReadSession,
    status: Annotated[
        str | None, Query(pattern="^(open|kept|broken)$", description="open, kept or broken.")
    ] = None,
    customer_id: CustomerQuery = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[PromiseOut]:
    """Promises to pay, newest first."""
    items, next_cursor = service.promise_listing(
        session, status=status, customer_id=customer_id, cursor=cursor, limit=limit
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get("/v1/disputes", responses=LIST)
def list_disputes(
    who: ContactReader,
    session: ReadSession,
    status: Annotated[
        str | None, Query(pattern="^(open|resolved)$", description="open or resolved.")
    ] = None,
    customer_id: CustomerQuery = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[DisputeOut]:
    """Disputes, newest first."""
    items, next_cursor = service.dispute_listing(
        session, status=status, customer_id=customer_id, cursor=cursor, limit=limit
    )
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/v1/disputes/{dispute_id}/resolve",
    response_model=DisputeOut,
    responses=problems(400, 401, 403, 404, 409, 413, 422, 503),
)
def resolve_dispute(
    dispute_id: Annotated[str, Path(pattern=CUSTOMER_ID_PATTERN)],
    body: ResolveIn,
    who: Finance,
    session: LedgerSession,
    clock: ClockDep,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Finance resolves a dispute: the invoice stands, or a credit note lowers it."""
    return once(
        session,
        idempotency_key,
        who=who,
        request=request,
        body=body,
        clock=clock,
        work=lambda: json_answer(
            service.resolve_dispute(session, dispute_id, body, now=clock.now(), actor=who.name)
        ),
    )


def _json(body: Any, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers=headers
    )
