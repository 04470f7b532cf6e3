"""HTTP for segmentation runs: start one (dry by default), list them, page through moves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app.http.dependencies import ClockDep, Ops, ReadSession, RunReader, StoreDep
from app.http.idempotency import IdempotencyKey, json_answer, once_apart
from app.http.pages import Cursor, Limit, Page
from app.http.problems import LIST, READ, problems
from app.segmentation_runs import service
from app.segmentation_runs.schemas import MoveOut, RunIn, RunOut

router = APIRouter(tags=["segmentation runs"])
RunId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,40}$")]


@router.post(
    "/v1/segmentation-runs",
    status_code=201,
    response_model=RunOut,
    responses=problems(400, 401, 403, 409, 413, 422, 503),
)
def start_segmentation_run(
    body: RunIn,
    who: Ops,
    store: StoreDep,
    clock: ClockDep,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Classify every customer with invoices; a dry run (the default) only records the moves."""

    def start() -> Response:
        run = service.run(
            store, as_of=body.as_of, dry_run=body.dry_run, actor=who.name, clock=clock
        )
        return json_answer(run, 201)

    return once_apart(
        store, idempotency_key, who=who, request=request, body=body, clock=clock, work=start
    )


@router.get("/v1/segmentation-runs", responses=LIST)
def list_segmentation_runs(
    who: RunReader, session: ReadSession, limit: Limit = 100, cursor: Cursor = None
) -> Page[RunOut]:
    """Past runs, newest first."""
    items, next_cursor = service.listing(session, cursor, limit)
    return Page(items=items, next_cursor=next_cursor)


@router.get("/v1/segmentation-runs/{run_id}", responses=READ)
def get_segmentation_run(run_id: RunId, who: RunReader, session: ReadSession) -> RunOut:
    """One run's summary."""
    return service.get(session, run_id)


@router.get("/v1/segmentation-runs/{run_id}/moves", responses=READ)
def list_segmentation_moves(
    run_id: RunId,
    who: RunReader,
    session: ReadSession,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[MoveOut]:
    """The customers whose assignment the run changes, by customer_id."""
    items, next_cursor = service.moves(session, run_id, cursor=cursor, limit=limit)
    return Page(items=items, next_cursor=next_cursor)
