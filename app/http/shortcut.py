"""Write operations whose common case the edge answers itself, before FastAPI's stack.

FastAPI's routing, dependencies and middleware cost a single route more CPU than its share of
the grouped transaction does (docs/performance.md, section 6). A shortcut answers only a
request that FastAPI would have let through to the operation's handler: no query string, a
JSON body that reads as the operation's model and repeats no key, a key the snapshot knows
holding the operation's scope and within its rate limit. It then does what the handler does,
through the same domain calls, and answers as it would.

Anything else goes on to the FastAPI operation, body and all: a refusal of any kind, a key
newer than the snapshot, a process that has loaded no keys yet, a body FastAPI reads some other
way. That operation stays the one description of the endpoint (its OpenAPI, its problem
answers); the shortcut only spares the common case the trip through it.
"""

from __future__ import annotations

from typing import Final, Generic, Protocol, TypeVar

import orjson
from pydantic import TypeAdapter, ValidationError
from starlette.types import Message, Receive

from app.core.errors import TermsGateError
from app.core.keys import Principal, authenticate
from app.core.logs import request_id
from app.http.fast import JSON_HEADERS, Headers, Reply, problem_reply
from app.http.ratelimits import ScopeLimit
from app.http.state import Terms
from app.http.strict import check_repeats, is_json_media, keys_in

Body = TypeVar("Body")
REPLAYED_HEADER: Final = (b"idempotent-replayed", b"true")


class Shortcut(Protocol):
    """A FastAPI write operation's common case, answered in the edge; `route` is the
    operation's path (exact: no parameters)."""

    @property
    def route(self) -> str: ...

    async def answer(self, headers: Headers, body: bytes) -> Reply | None:
        """The answer, or None for FastAPI to give it."""
        ...


class Gate(Generic[Body]):
    """Whether FastAPI would hand a request to the operation's handler, and with what: the
    caller's key and the body read as `model`."""

    def __init__(
        self, terms: Terms, scope: str, model: type[Body], limit: ScopeLimit | None
    ) -> None:
        self._terms = terms
        self._scope = scope
        self._adapter = TypeAdapter(model)
        self._limit = limit

    def let_through(self, headers: Headers, body: bytes) -> tuple[Principal, Body] | None:
        """The key and the body, or None where FastAPI would refuse the request or read it its
        own way. Raises RateLimited (the one refusal answered here: a bucket drawn from twice
        would count it twice) only for a request FastAPI would otherwise have let through."""
        authorization = content_type = None
        for name, value in headers:  # the first of each, as FastAPI reads them
            if name == b"authorization" and authorization is None:
                authorization = value
            elif name == b"content-type" and content_type is None:
                content_type = value
        if content_type is None or not is_json_media(content_type):
            return None
        try:
            principal = authenticate(authorization, self._terms.principals())
            document = orjson.loads(body)  # what json.loads reads, where orjson reads it at all
            read = self._adapter.validate_python(document, from_attributes=True)
            check_repeats(body, keys_in(document))
        except (TermsGateError, orjson.JSONDecodeError, ValidationError):
            return None
        if not principal.allows(self._scope):
            return None
        if self._limit is not None:
            self._limit.admit(principal.name)
        return principal, read


def answered(status: int, document: object, *, replayed: bool = False) -> Reply:
    """A JSON answer, marked as a replay of the original if it is one."""
    headers = [*JSON_HEADERS, REPLAYED_HEADER] if replayed else JSON_HEADERS
    return status, headers, orjson.dumps(document)


def refused(error: TermsGateError) -> Reply:
    """The problem answer FastAPI's handler gives for `error` (the edge adds the request id)."""
    return problem_reply(error, request_id.get())


def replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` for FastAPI after the edge has read the body: the body first, then the rest."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
