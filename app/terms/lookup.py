"""GET /v1/customers/{customer_id}/terms: a dict read and pre-built bytes, no framework.

Documented in openapi/openapi.json by hand (see `openapi_path`), since FastAPI never sees it.
"""

from __future__ import annotations

from typing import Any, Final

from app import metrics
from app.auth import TERMS_READ, authenticate, authorize
from app.errors import Invalid, NotFound, TermsGateError, problem_bytes
from app.terms.cache import TermsCache
from app.vocabulary import is_caller_id

ROUTE: Final = "/v1/customers/{customer_id}/terms"
PATH_HEAD: Final = "/v1/customers/"
PATH_TAIL: Final = "/terms"
JSON_HEADERS: Final = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
PROBLEM_HEADERS: Final = [(b"content-type", b"application/problem+json")]
LOOKUPS_BY_SOURCE = {
    source: metrics.TERMS_LOOKUPS.labels(source=source)
    for source in ("segment", "override", "exception", "default")
}

Reply = tuple[int, list[tuple[bytes, bytes]], bytes]


def is_lookup(method: str, path: str) -> bool:
    return (
        method == "GET"
        and path.startswith(PATH_HEAD)
        and path.endswith(PATH_TAIL)
        and path.count("/") == 4
    )


def lookup(cache: TermsCache, headers: list[tuple[bytes, bytes]], path: str) -> Reply:
    """The whole lookup: authenticate from the snapshot's keys, then answer from memory."""
    customer_id = path[len(PATH_HEAD) : -len(PATH_TAIL)]
    authorization = None
    for name, value in headers:
        if name == b"authorization":
            authorization = value
            break
    try:
        authorize(authenticate(authorization, cache.snapshot.keys), TERMS_READ)
        if not is_caller_id(customer_id):
            if not customer_id:
                raise NotFound("No resource at this path.")
            raise Invalid(
                "customer_id must be 1 to 128 characters from A-Z a-z 0-9 . _ : @ -",
                errors=[{"loc": ["path", "customer_id"], "msg": "invalid customer id"}],
            )
    except TermsGateError as error:
        extra = [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
        return error.status, PROBLEM_HEADERS + extra, problem_bytes(error)
    answer = cache.answer_for(customer_id)
    LOOKUPS_BY_SOURCE[answer.source].inc()
    return 200, JSON_HEADERS, cache.body(customer_id, answer)


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
            },
        }
    }
