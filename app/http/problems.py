"""Problem answers: the exception handlers that render every failure as RFC 9457
problem+json, and the answers each route documents in OpenAPI."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.core.errors import (
    PROBLEM_MEDIA_TYPE,
    Malformed,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    TermsGateError,
    problem_body,
    problem_bytes,
    validation_problem,
)
from app.core.logs import request_id


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = Field(
        default=None,
        description="This occurrence: urn:termsgate:request: and the answer's X-Request-ID.",
    )
    errors: list[FieldError] | None = None


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The answers for `statuses`; a route that takes a key (401) may also answer 429, past
    the key's rate limit for the route's scope (app/ratelimits.py)."""
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    if 401 in statuses and 429 not in statuses:
        statuses = tuple(sorted((*statuses, 429)))
    return {status: {"model": Problem, "content": content} for status in statuses}


LIST = problems(401, 403, 422, 503)
READ = problems(401, 403, 404, 422, 503)
REPLACE = problems(400, 401, 403, 412, 413, 422, 428, 503)
REMOVE = problems(401, 403, 404, 409, 412, 422, 503)


def problem_response(error: TermsGateError) -> Response:
    """The error as problem+json, its `instance` the request id the edge gave this request."""
    return Response(
        problem_bytes(error, request_id.get()),
        status_code=error.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=error.headers,
    )


async def on_domain_error(_request: Request, error: Exception) -> Response:
    assert isinstance(error, TermsGateError)
    return problem_response(error)


async def on_validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    found = list(error.errors())
    return problem_response(validation_problem(found, request.headers.get("content-type")))


async def on_http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    known: dict[int, type[TermsGateError]] = {
        400: Malformed,
        404: NotFound,
        405: MethodNotAllowed,
        413: PayloadTooLarge,
    }
    kind = known.get(error.status_code)
    headers = dict(error.headers or {})  # e.g. Allow on a 405, which RFC 9110 requires
    if error.status_code == 405:
        headers["Allow"] = allowed_methods(request, headers.get("Allow", ""))
    if kind is None:
        body = problem_body(
            error.status_code,
            "http-error",
            "HTTP error",
            str(error.detail),
            request_id=request_id.get(),
        )
        return Response(
            orjson.dumps(body),
            status_code=error.status_code,
            media_type=PROBLEM_MEDIA_TYPE,
            headers=headers,
        )
    detail = {
        404: "No resource at this path.",
        405: "This method is not allowed at this path.",
    }.get(error.status_code, str(error.detail))
    return problem_response(kind(detail, headers=headers))


def allowed_methods(request: Request, named: str) -> str:
    """Every method the path answers, from the OpenAPI document: Starlette's 405 names only
    the first matching route's (FastAPI has one route per method); RFC 9110 wants them all.
    As in OpenAPI, a concrete path (`/v1/invoice-routes/batch`) wins over a templated one."""
    given = request.url.path.split("/")
    matching: dict[int, set[str]] = {}
    for template, item in request.app.openapi()["paths"].items():
        parameters = _parameters_matched(template.split("/"), given)
        if parameters is not None:
            matching.setdefault(parameters, set()).update(method.upper() for method in item)
    return ", ".join(sorted(matching[min(matching)])) if matching else named


def _parameters_matched(template: list[str], given: list[str]) -> int | None:
    """How many `{parameters}` of the template the path fills; None if it does not match."""
    if len(template) != len(given):
        return None
    filled = 0
    for part, value in zip(template, given, strict=True):
        if part.startswith("{") and part.endswith("}") and value:
            filled += 1
        elif part != value:
            return None
    return filled


async def on_unexpected_error(_request: Request, _error: Exception) -> Response:
    detail = "An unexpected error occurred."
    body = problem_body(500, "internal", "Internal error", detail, request_id=request_id.get())
    return Response(orjson.dumps(body), status_code=500, media_type=PROBLEM_MEDIA_TYPE)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TermsGateError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected_error)
