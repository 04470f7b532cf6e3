"""The problem answers every route may give, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
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
