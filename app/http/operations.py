"""Health and metrics: no key, and no store I/O on either."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app.core import metrics, schema
from app.http.state import state_of

router = APIRouter(tags=["operations"])
NO_KEY: dict[str, Any] = {"security": []}


@router.get("/healthz/live", openapi_extra=NO_KEY)
async def live() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get(
    "/healthz/ready",
    responses={503: {"description": "Migrations pending or the terms snapshot not loaded yet"}},
    openapi_extra=NO_KEY,
)
def ready(request: Request) -> JSONResponse:
    """200 once the schema is current and the terms snapshot loaded."""
    terms = state_of(request).terms
    schema_current = state_of(request).schema_current or _check_schema(request)
    body: dict[str, Any] = {
        "status": "ok" if schema_current and terms.loaded else "unavailable",
        "schema_current": schema_current,
        "snapshot_loaded": terms.loaded,
        "stale": terms.is_stale(),
    }
    if body["status"] == "ok":
        return JSONResponse(body)
    return JSONResponse(body, status_code=503, headers={"Retry-After": "1"})


@router.get("/metrics", response_class=Response, openapi_extra=NO_KEY)
def prometheus_metrics() -> Response:
    """Prometheus text, summed across this server's workers."""
    payload, content_type = metrics.exposition()
    return Response(payload, media_type=content_type)


def _check_schema(request: Request) -> bool:
    """Ask the store once more whether migrations are current; remember a yes."""
    state = state_of(request)
    try:
        current = schema.is_current(state.opened_store().engine)
    except Exception:  # the store is down: not ready, and no reason to say more
        return False
    state.schema_current = current
    return current
