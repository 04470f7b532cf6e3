"""Segmentation runs: preview a dry run, see its moves grouped from -> to with each customer's
figures, and apply it (a new run, as of the same day) once confirmed. The runs are the
service's own (`POST /v1/segmentation-runs`), with the session's key as the actor."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from app.console.access import Form, Refused, Viewer, may, need, refusals, render, see_other
from app.core.keys import REPORTS_READ, SEGMENTS_WRITE
from app.http.state import state_of
from app.segmentation_runs import service as runs
from app.segmentation_runs.schemas import MoveOut

router = APIRouter(include_in_schema=False)
RunId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,40}$")]
Notice = Annotated[str | None, Query(max_length=200)]
MOVES_READ = 2000  # grouped and counted; each group shows its first customers
SHOWN_PER_GROUP = 25
PAGE = 500


@router.get("/runs")
def run_list(request: Request, who: Viewer, notice: Notice = None) -> Response:
    need(who, SEGMENTS_WRITE, REPORTS_READ)
    state = state_of(request)
    with state.opened_store().reading() as session:
        listed, _ = runs.listing(session, None, 20)
    return render(
        request,
        "runs.html",
        who,
        title="Segmentation runs",
        notice=notice,
        runs=listed,
        today=state.clock.today(),
        may_run=may(who, SEGMENTS_WRITE),
    )


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: RunId, who: Viewer, notice: Notice = None) -> Response:
    need(who, SEGMENTS_WRITE, REPORTS_READ)
    state = state_of(request)
    moves: list[MoveOut] = []
    cursor: str | None = None
    with state.opened_store().reading() as session, refusals():
        run = runs.get(session, run_id)
        while len(moves) < MOVES_READ:
            page, cursor = runs.moves(session, run_id, cursor=cursor, limit=PAGE)
            moves += page
            if cursor is None:
                break
    groups: dict[tuple[str, str], list[MoveOut]] = defaultdict(list)
    for move in moves:
        groups[(move.from_segment or "none", move.to_segment)].append(move)
    return render(
        request,
        "run.html",
        who,
        title=f"Run {run_id}",
        notice=notice,
        run=run,
        groups=sorted(groups.items(), key=lambda item: -len(item[1])),
        shown_per_group=SHOWN_PER_GROUP,
        all_read=cursor is None,
        may_run=may(who, SEGMENTS_WRITE),
    )


@router.post("/runs")
async def start_run(request: Request, form: Form) -> Response:
    """A dry run (preview), or, confirmed, the run applied as of the preview's day."""
    need(form.who, SEGMENTS_WRITE)
    apply = form.get("apply") == "yes"
    if apply and form.get("confirm") != "yes":
        raise Refused(422, "Invalid request", "Tick the confirmation to apply the run.")
    as_of = None
    if form.get("as_of"):
        try:
            as_of = date.fromisoformat(form.get("as_of"))
        except ValueError as error:
            raise Refused(422, "Invalid request", "as_of is a day: YYYY-MM-DD.") from error
    state = state_of(request)

    def start() -> str:
        with refusals():
            return runs.run(
                state.opened_store(),
                as_of=as_of,
                dry_run=not apply,
                actor=form.who.principal.name,
                clock=state.clock,
            ).id

    run_id = await run_in_threadpool(start)
    said = "Applied" if apply else "Preview"
    return see_other(f"/console/runs/{run_id}?notice={said}+run+{run_id}")
