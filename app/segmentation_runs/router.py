"""HTTP for segmentation runs: start one (dry by default), list them, page through moves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.http.dependencies import ClockDep, Ops, ReadSession, RunReader, StoreDep
from app.http.pages import Cursor, Limit, Page
from app.http.problems import LIST, READ, problems
from app.segmentation_runs import service
from app.segmentation_runs.schemas import MoveOut, RunIn, RunOut

router = APIRouter(tags=["segmentation runs"])
RunId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,40}$")]


@router.post(
    "/v1/segmentation-runs", status_code=201, responses=problems(400, 401, 403, 413, 422, 503)
)
def start_segmentation_run(body: RunIn, who: Ops, store: StoreDep, clock: ClockDep) -> RunOut:
    """Classify every customer with invoices; a dry run (the default) only records the moves."""
    return service.run(store, as_of=body.as_of, dry_run=body.dry_run, actor=who.name, clock=clock)


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
