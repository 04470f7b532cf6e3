"""GET /v1/customers/{customer_id}/terms: a dict read and pre-built bytes, no framework.

Documented in openapi/openapi.json by hand (see `openapi_path`), since FastAPI never sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from app.core import metrics
from app.core.errors import Invalid, MethodNotAllowed, NotFound, TermsGateError, problem_bytes
from app.core.keys import TERMS_READ, TOKEN_PREFIX
from app.core.logs import is_request_id
from app.core.vocabulary import is_caller_id
from app.http.auth import authenticate, authorize
from app.http.ratelimits import ScopeLimit
from app.terms.cache import TermsCache
from app.terms.snapshot import BODY_PREFIX, NEVER_LOADED

ROUTE: Final = "/v1/customers/{customer_id}/terms"
PATH_HEAD: Final = "/v1/customers/"
PATH_TAIL: Final = "/terms"
JSON_HEADERS: Final = [(b"content-type", b"application/json")]
PROBLEM_HEADERS: Final = [(b"content-type", b"application/problem+json")]
# What `app.http.auth.new_token` hands out: the prefix and 32 random bytes, URL-safe base64.
TOKEN_SHAPE: Final = re.compile(re.escape(TOKEN_PREFIX.encode()) + rb"[A-Za-z0-9_-]{43}")
CHECKED_KEYS_MAX: Final = 10_000
LOOKUPS_BY_SOURCE = {
    source: metrics.counter_tally(metrics.TERMS_LOOKUPS.labels(source=source))
    for source in ("segment", "override", "exception", "default")
}

Reply = tuple[int, list[tuple[bytes, bytes]], bytes]


def is_lookup_path(path: str) -> bool:
    return path.startswith(PATH_HEAD) and path.endswith(PATH_TAIL) and path.count("/") == 4


def lookup(
    cache: TermsCache,
    headers: list[tuple[bytes, bytes]],
    method: str,
    path: str,
    new_request_id: Callable[[], bytes],
    limit: ScopeLimit | None = None,
) -> Reply:
    """The whole lookup: authenticate from the snapshot's keys, then answer from memory.

    `limit` is terms:read's rate limit, None (the default: no limit) to spend nothing on it.

    Lookups are not logged: an answer carries the caller's X-Request-ID if it sent one, and
    only a refusal gets a fresh one, so a successful lookup pays for no id it does not need.
    """
    customer_id = path[len(PATH_HEAD) : -len(PATH_TAIL)]
    authorization = None
    traced: list[tuple[bytes, bytes]] = []
    for name, value in headers:
        if name == b"authorization":
            authorization = value
        elif name == b"x-request-id" and is_request_id(value):
            traced = [(b"x-request-id", value)]
    try:
        if method != "GET":
            raise MethodNotAllowed("This path answers GET only.", headers={"Allow": "GET"})
        known = check_key(cache, authorization, limit)
        if not is_caller_id(customer_id):
            if not customer_id:
                raise NotFound("No resource at this path.")
            raise Invalid(
                "customer_id must be 1 to 128 characters from A-Z a-z 0-9 . _ : @ -",
                errors=[{"loc": ["path", "customer_id"], "msg": "invalid customer id"}],
            )
    except TermsGateError as error:
        extra = [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
        traced = traced or [(b"x-request-id", new_request_id())]
        return error.status, PROBLEM_HEADERS + extra + traced, problem_bytes(error)
    if known:
        answer = cache.answer_for(customer_id)
        body = cache.body(customer_id, answer)
    else:  # checked before any snapshot: the fallback, even if one has loaded since
        answer = NEVER_LOADED.answers[NEVER_LOADED.default_answer]
        body = BODY_PREFIX + customer_id.encode() + answer.stale
    LOOKUPS_BY_SOURCE[answer.source].inc()
    return 200, JSON_HEADERS + traced if traced else JSON_HEADERS, body


def check_key(
    cache: TermsCache, authorization: bytes | None, limit: ScopeLimit | None = None
) -> bool:
    """True for a known key holding terms:read (and within `limit`, if terms:read has one);
    False for one let through unchecked.

    A header value checked once is remembered in the snapshot (not across snapshots, so a
    revocation still takes effect with the next one), which spares a SHA-256 per lookup.

    Before any snapshot has loaded no key is known, yet the lookup must not fail because the
    store is down: any bearer token shaped like a key then gets the fallback answer
    (pay-on-order, default, stale), the most restrictive one, the same for everyone.
    """
    if cache.loaded:
        snapshot = cache.snapshot
        principal = snapshot.checked.get(authorization) if authorization else None
        if principal is None:
            principal = authenticate(authorization, snapshot.keys)
            if authorization and len(snapshot.checked) < CHECKED_KEYS_MAX:
                snapshot.checked[authorization] = principal
        authorize(principal, TERMS_READ)
        if limit is not None:
            limit.admit(principal.name)
        return True
    scheme, _, token = (authorization or b"").partition(b" ")
    if scheme.lower() != b"bearer" or not TOKEN_SHAPE.fullmatch(token.strip()):
        authenticate(authorization, {})  # raises the 401 that fits
    return False


def openapi_path() -> dict[str, Any]:
    """The OpenAPI description of the lookup, merged into the app's schema."""
    terms = {"$ref": "#/components/schemas/Terms"}
    money = {"anyOf": [{"$ref": "#/components/schemas/Money"}, {"type": "null"}]}
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {
        "get": {
            "tags": ["terms"],
            "summary": "The terms a customer may have at checkout",
            "description": "Answered from memory. Unknown customers get the policy's "
            "new-customer segment with source 'default'. When the store is unreachable the "
            "answer comes from the last snapshot with stale=true.",
            "operationId": "lookup_terms",
            "security": [{"bearer": []}],
            "parameters": [
                {
                    "name": "customer_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:@-]{1,128}$"},
                }
            ],
            "responses": {
                "200": {
                    "description": "The customer's effective terms",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": [
                                    "customer_id",
                                    "segment",
                                    "terms",
                                    "credit_limit",
                                    "source",
                                    "policy_version",
                                    "stale",
                                ],
                                "properties": {
                                    "customer_id": {"type": "string"},
                                    "segment": {"type": "string"},
                                    "terms": terms,
                                    "credit_limit": money,
                                    "source": {
                                        "type": "string",
                                        "enum": ["segment", "override", "exception", "default"],
                                    },
                                    "policy_version": {
                                        "anyOf": [{"type": "integer"}, {"type": "null"}]
                                    },
                                    "stale": {"type": "boolean"},
                                },
                            }
                        }
                    },
                },
                "401": {"description": "No, malformed or revoked key", "content": problem},
                "403": {"description": "The key lacks terms:read", "content": problem},
                "422": {"description": "Invalid customer id", "content": problem},
                "429": {
                    "description": "Over the key's terms:read rate limit (none by default)",
                    "content": problem,
                },
            },
        }
    }
