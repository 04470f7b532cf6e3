"""Strict inputs, the same on every operation (docs/api/conventions.md#strict-inputs):

- a query parameter the operation does not declare is 422, naming it;
- a body is JSON: a Content-Type other than application/json (or `+json`) is 415, and none at
  all is 400 `malformed`, as FastAPI's own reading of such a body always was;
- a key given twice in one JSON object is 400 `malformed`, naming it (orjson, pydantic and the
  standard library all keep the last one silently).

FastAPI routes get them from `StrictInputs`, a dependency of the whole app that runs before any
other (before the key check, as the body's parsing does); the fast endpoints of the edge call
the same functions themselves. The repeated-key check is cheap on the common path: a key is
followed by one `:` outside strings, so a body with no more colons than the distinct keys it
was read to cannot repeat one, and only a body with more (a colon inside a string, or a repeat)
is read again to tell which.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Final
from urllib.parse import parse_qsl

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request

from app.core.errors import Invalid, Malformed, UnsupportedMediaType

JSON: Final = b"application/json"
NO_CONTENT_TYPE: Final = "Send the body as JSON, with Content-Type: application/json."
UNKNOWN_PARAMETER: Final = "unknown parameter: not accepted here"
PROBLEM_CONTENT: Final = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
}


def is_json_media(content_type: bytes) -> bool:
    """application/json or application/<anything>+json, with any parameters, in any case."""
    if content_type == JSON:
        return True
    media = content_type.partition(b";")[0].strip().lower()
    return media == JSON or (media.startswith(b"application/") and media.endswith(b"+json"))


def check_media(content_type: bytes | None) -> None:
    """Raise unless `content_type` says JSON: 400 when missing, 415 when it names another."""
    if content_type is None:
        raise Malformed(NO_CONTENT_TYPE)
    if not is_json_media(content_type):
        shown = content_type.decode("latin-1")[:100]
        raise UnsupportedMediaType(
            f"The body must be JSON (Content-Type: application/json), not {shown!r}."
        )


def unknown_parameters(names: Iterable[str]) -> Invalid:
    named = list(names)
    errors = [{"loc": ["query", name], "msg": UNKNOWN_PARAMETER} for name in named]
    listed = ", ".join(repr(name) for name in named)
    return Invalid(f"Unknown query parameters: {listed}.", errors=errors)


def check_no_query(query_string: bytes) -> None:
    """For an operation that declares no query parameter: raise naming every one sent."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    names = list(dict.fromkeys(name for name, _value in pairs))
    if names:
        raise unknown_parameters(names)


def check_repeats(body: bytes, colons: int) -> None:
    """Raise 400 naming a key given twice in one object of `body`, a JSON document that holds
    `colons` colons if it gives no key twice: at least one per key of its objects once read
    (the last of a repeat winning), plus any known to be inside its strings. Only a body with
    more is read again, to tell whether (and which) a key is repeated."""
    if body.count(b":") > colons:
        key = repeated_key(body)
        if key is not None:
            raise Malformed(f"The key {key!r} is given twice in one JSON object.")


def keys_in(value: Any) -> int:
    """How many keys the objects of a JSON value hold, nested ones included."""
    if isinstance(value, dict):
        return len(value) + sum(keys_in(item) for item in value.values())
    if isinstance(value, list):
        return sum(keys_in(item) for item in value)
    return 0


class _Repeated(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    read = dict(pairs)
    if len(read) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _Repeated(key)
            seen.add(key)
    return read


def repeated_key(body: bytes) -> str | None:
    """The first key given twice in one object of `body`; None if none is (or it is no JSON)."""
    try:
        json.loads(body, object_pairs_hook=_pairs)
    except _Repeated as repeated:
        return repeated.key
    except ValueError:
        return None
    return None


class _Rules:
    __slots__ = ("body", "query")

    def __init__(self, route: APIRoute) -> None:
        self.query = frozenset(_query_names(route.dependant))
        self.body = route.body_field is not None


def _query_names(dependant: Dependant) -> Iterable[str]:
    for field in dependant.query_params:
        yield field.alias
    for sub in dependant.dependencies:
        yield from _query_names(sub)


class StrictInputs:
    """The app-wide dependency: refuses unknown query parameters, bodies that are not JSON, and
    keys given twice. What each route declares is read once, from its dependant."""

    def __init__(self) -> None:
        self._rules: dict[int, tuple[APIRoute, _Rules]] = {}

    def rules(self, route: APIRoute) -> _Rules:
        known = self._rules.get(id(route))
        if known is None:
            known = self._rules[id(route)] = (route, _Rules(route))
        return known[1]

    async def __call__(self, request: Request) -> None:
        route = request.scope.get("route")
        if not isinstance(route, APIRoute):
            return
        rules = self.rules(route)
        query = request.query_params
        if query:
            unknown = [name for name in query if name not in rules.query]
            if unknown:
                raise unknown_parameters(unknown)
        if not rules.body:
            return
        content_type = request.headers.get("content-type")
        body = await request.body()
        if not body and content_type is None:
            return  # no body at all: an optional one is absent, a required one FastAPI refuses
        check_media(None if content_type is None else content_type.encode("latin-1"))
        if body:  # read already, and parsed (a body that is no JSON was refused before this)
            check_repeats(body, keys_in(await request.json()))


def describe(paths: dict[str, Any]) -> None:
    """The answers these rules add to each operation of an OpenAPI document: 415 where a body
    is taken, and 422 (an unknown query parameter) where none was described."""
    for item in paths.values():
        for operation in item.values():
            responses = operation["responses"]
            if "requestBody" in operation:
                responses.setdefault(
                    "415",
                    {"description": "The body is not sent as JSON", "content": PROBLEM_CONTENT},
                )
            responses.setdefault(
                "422", {"description": "An unknown query parameter", "content": PROBLEM_CONTENT}
            )
            operation["responses"] = dict(sorted(responses.items()))
