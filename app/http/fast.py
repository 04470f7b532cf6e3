"""The kit of the two endpoints answered in the edge, before FastAPI: the terms lookup and the
checkout decision. Header reading, refusals as problem bytes, and their OpenAPI description.

FastAPI never sees these endpoints, so they are described here by hand and merged into the
app's OpenAPI document (a test compares it with the committed file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final, Protocol

from app.core.errors import TermsGateError, problem_bytes
from app.core.logs import is_request_id

JSON_HEADERS: Final = [(b"content-type", b"application/json")]
PROBLEM_HEADERS: Final = [(b"content-type", b"application/problem+json")]
PROBLEM_CONTENT: Final = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
}
# What the edge hands back: status, headers, body.
Reply = tuple[int, list[tuple[bytes, bytes]], bytes]
Headers = list[tuple[bytes, bytes]]
NewRequestId = Callable[[], bytes]


class FastEndpoint(Protocol):
    """An endpoint the edge answers itself; `route` is its template (for metrics and OpenAPI)."""

    @property
    def route(self) -> str: ...

    @property
    def reads_body(self) -> bool: ...

    def matches(self, path: str) -> bool: ...

    def answer(
        self, headers: Headers, method: str, path: str, body: bytes, new_request_id: NewRequestId
    ) -> Reply: ...

    def openapi_path(self) -> dict[str, Any]: ...


def read_headers(headers: Headers) -> tuple[bytes | None, bytes | None, Headers | None]:
    """(Authorization, Content-Type, the caller's X-Request-ID as a header to echo, if valid)."""
    authorization = content_type = traced = None
    for name, value in headers:
        if name == b"authorization":
            authorization = value
        elif name == b"content-type":
            content_type = value
        elif name == b"x-request-id" and is_request_id(value):
            traced = [(b"x-request-id", value)]
    return authorization, content_type, traced


def ok(body: bytes, traced: Headers | None) -> Reply:
    return 200, JSON_HEADERS + traced if traced else JSON_HEADERS, body


def refusal(error: TermsGateError, traced: Headers | None, new_request_id: NewRequestId) -> Reply:
    """The problem answer, with the error's headers and a request id (a fresh one if the caller
    sent none): a refusal is worth tracing; a success pays for no id it does not need."""
    traced = traced or [(b"x-request-id", new_request_id())]
    status, headers, body = problem_reply(error, traced[0][1].decode())
    return status, headers + traced, body


def problem_reply(error: TermsGateError, request_id: str | None) -> Reply:
    """The problem answer for `error`, with its headers, naming `request_id`."""
    extra = [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
    return error.status, PROBLEM_HEADERS + extra, problem_bytes(error, request_id)


def operation(
    method: str,
    *,
    tag: str,
    summary: str,
    description: str,
    operation_id: str,
    success: dict[str, Any],
    refusals: dict[int, str],
    parameters: Iterable[dict[str, Any]] = (),
    request_schema: str | None = None,
) -> dict[str, Any]:
    """One OpenAPI path item for a fast endpoint: a bearer key, a 200 and the problem answers."""
    described: dict[str, Any] = {
        "tags": [tag],
        "summary": summary,
        "description": description,
        "operationId": operation_id,
        "security": [{"bearer": []}],
    }
    if parameters:
        described["parameters"] = list(parameters)
    if request_schema is not None:
        schema = {"$ref": f"#/components/schemas/{request_schema}"}
        described["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    responses: dict[str, Any] = {"200": success}
    for status, text in sorted(refusals.items()):
        responses[str(status)] = {"description": text, "content": PROBLEM_CONTENT}
    described["responses"] = responses
    return {method: described}
