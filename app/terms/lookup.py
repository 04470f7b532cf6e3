"""GET /v1/customers/{customer_id}/terms: a dict read and pre-built bytes, no framework.

Answered in the edge (app/http/edge.py), before FastAPI; described in OpenAPI by hand.
"""

from __future__ import annotations

from typing import Any, Final

from app.core import metrics, tallies
from app.core.errors import Invalid, MethodNotAllowed, NotFound, TermsGateError
from app.core.vocabulary import is_caller_id
from app.http.fast import Headers, NewRequestId, Reply, ok, operation, read_headers, refusal
from app.http.ratelimits import ScopeLimit
from app.terms.cache import TermsCache
from app.terms.snapshot import BODY_PREFIX, NEVER_LOADED

ROUTE: Final = "/v1/customers/{customer_id}/terms"
PATH_HEAD: Final = "/v1/customers/"
PATH_TAIL: Final = "/terms"
LOOKUPS_BY_SOURCE = {
    source: tallies.counter_tally(metrics.TERMS_LOOKUPS.labels(source=source))
    for source in ("segment", "override", "exception", "default")
}


class TermsLookup:
    """The lookup: authenticate from the snapshot's keys, then answer from memory.

    `limit` is terms:read's rate limit, None (the default: no limit) to spend nothing on it.
    Lookups are not logged: an answer carries the caller's X-Request-ID if it sent one, and
    only a refusal gets a fresh one.
    """

    route: Final = ROUTE
    reads_body: Final = False

    def __init__(self, cache: TermsCache, limit: ScopeLimit | None = None) -> None:
        self.cache = cache
        self.limit = limit

    def matches(self, path: str) -> bool:
        return path.startswith(PATH_HEAD) and path.endswith(PATH_TAIL) and path.count("/") == 4

    def answer(
        self, headers: Headers, method: str, path: str, body: bytes, new_request_id: NewRequestId
    ) -> Reply:
        customer_id = path[len(PATH_HEAD) : -len(PATH_TAIL)]
        authorization, _content_type, traced = read_headers(headers)
        try:
            if method != "GET":
                raise MethodNotAllowed("This path answers GET only.", headers={"Allow": "GET"})
            known = self.cache.check_key(authorization, self.limit)
            if not is_caller_id(customer_id):
                if not customer_id:
                    raise NotFound("No resource at this path.")
                raise Invalid(
                    "customer_id must be 1 to 128 characters from A-Z a-z 0-9 . _ : @ -",
                    errors=[{"loc": ["path", "customer_id"], "msg": "invalid customer id"}],
                )
        except TermsGateError as error:
            return refusal(error, traced, new_request_id)
        if known:
            answer = self.cache.answer_for(customer_id)
            answered = self.cache.body(customer_id, answer)
        else:  # checked before any snapshot: the fallback, even if one has loaded since
            answer = NEVER_LOADED.answers[NEVER_LOADED.default_answer]
            answered = BODY_PREFIX + customer_id.encode() + answer.stale
        LOOKUPS_BY_SOURCE[answer.source].inc()
        return ok(answered, traced)

    def openapi_path(self) -> dict[str, Any]:
        money = {"anyOf": [{"$ref": "#/components/schemas/Money"}, {"type": "null"}]}
        fields: dict[str, Any] = {
            "customer_id": {"type": "string"},
            "segment": {"type": "string"},
            "terms": {"$ref": "#/components/schemas/Terms"},
            "credit_limit": money,
            "source": {"type": "string", "enum": ["segment", "override", "exception", "default"]},
            "policy_version": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            "stale": {"type": "boolean"},
        }
        schema = {"type": "object", "required": list(fields), "properties": fields}
        return operation(
            "get",
            tag="terms",
            summary="The terms a customer may have at checkout",
            description="Answered from memory. Unknown customers get the policy's "
            "new-customer segment with source 'default'. When the store is unreachable the "
            "answer comes from the last snapshot with stale=true.",
            operation_id="lookup_terms",
            parameters=[
                {
                    "name": "customer_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:@-]{1,128}$"},
                }
            ],
            success={
                "description": "The customer's effective terms",
                "content": {"application/json": {"schema": schema}},
            },
            refusals={
                401: "No, malformed or revoked key",
                403: "The key lacks terms:read",
                422: "Invalid customer id",
                429: "Over the key's terms:read rate limit (none by default)",
            },
        )
