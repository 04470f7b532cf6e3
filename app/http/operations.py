"""Health and metrics: no key, and no store I/O on either."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app.core import metrics, schema
from app.terms.cache import TermsCache

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
    cache: TermsCache = request.app.state.cache
    schema_current: bool = request.app.state.schema_current or _check_schema(request)
    body: dict[str, Any] = {
        "status": "ok" if schema_current and cache.loaded else "unavailable",
        "schema_current": schema_current,
        "snapshot_loaded": cache.loaded,
        "stale": cache.is_stale(),
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
    try:
        current = schema.is_current(request.app.state.store.engine)
    except Exception:  # the store is down: not ready, and no reason to say more
        return False
    request.app.state.schema_current = current
    return current
