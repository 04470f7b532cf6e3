"""POST /v1/checkout/decisions: answered in the edge from the snapshot, like the terms lookup.

Documented in openapi/openapi.json by hand (see `openapi_path`), since FastAPI never sees it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any, Final

import orjson
from pydantic import ValidationError

from app.checkout.decision import decide
from app.checkout.recorder import DecisionRecorder
from app.checkout.schemas import DecisionIn, DecisionOut
from app.core import metrics
from app.core.clock import Clock
from app.core.errors import MethodNotAllowed, TermsGateError, problem_bytes, validation_problem
from app.core.logs import is_request_id
from app.http.ratelimits import ScopeLimit
from app.terms.cache import TermsCache
from app.terms.lookup import JSON_HEADERS, PROBLEM_HEADERS, Reply, check_key

ROUTE: Final = "/v1/checkout/decisions"
DECISIONS_BY_OUTCOME: Final = {
    outcome: metrics.counter_tally(metrics.CHECKOUT_DECISIONS.labels(outcome=outcome))
    for outcome in ("net_terms", "pay_on_order")
}


def new_decision_id() -> str:
    """`dec_` + milliseconds since the epoch + 64 random bits: unique across replicas, and
    in time order for anyone reading a list of them."""
    return f"dec_{time.time_ns() // 1_000_000:012x}{os.urandom(8).hex()}"


class Checkout:
    """The decision desk: the snapshot to decide from, the recorder to hand decisions to, and
    terms:read's rate limit (None: none)."""

    def __init__(
        self,
        cache: TermsCache,
        recorder: DecisionRecorder,
        clock: Clock,
        limit: ScopeLimit | None = None,
    ) -> None:
        self.cache = cache
        self.recorder = recorder
        self.clock = clock
        self.limit = limit

    def answer(
        self,
        headers: list[tuple[bytes, bytes]],
        method: str,
        body: bytes,
        new_request_id: Callable[[], bytes],
    ) -> Reply:
        authorization = content_type = None
        traced: list[tuple[bytes, bytes]] = []
        for name, value in headers:
            if name == b"authorization":
                authorization = value
            elif name == b"content-type":
                content_type = value
            elif name == b"x-request-id" and is_request_id(value):
                traced = [(b"x-request-id", value)]
        try:
            if method != "POST":
                raise MethodNotAllowed("This path answers POST only.", headers={"Allow": "POST"})
            known = check_key(self.cache, authorization, self.limit)  # as for the lookup
            order = _parse(body, content_type)
        except TermsGateError as error:
            extra = [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
            traced = traced or [(b"x-request-id", new_request_id())]
            return error.status, PROBLEM_HEADERS + extra + traced, problem_bytes(error)
        now = self.clock.now()
        decided_at = now.isoformat().replace("+00:00", "Z")
        document = decide(self.cache, order, known, new_decision_id(), decided_at)
        body = orjson.dumps(document)
        self.recorder.add(document, now, body)
        DECISIONS_BY_OUTCOME[document["outcome"]].inc()
        return 200, JSON_HEADERS + traced if traced else JSON_HEADERS, body


def _parse(body: bytes, content_type: bytes | None) -> DecisionIn:
    try:
        return DecisionIn.model_validate_json(body)
    except ValidationError as error:
        found = [{**item, "loc": ("body", *item["loc"])} for item in error.errors()]
        media = content_type.decode("latin-1") if content_type is not None else None
        raise validation_problem(found, media) from None


def openapi_path() -> dict[str, Any]:
    """The OpenAPI description of the decision, merged into the app's schema."""
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {
        "post": {
            "tags": ["checkout"],
            "summary": "Decide the terms an order may have",
            "description": "Answered from memory, like the terms lookup, and recorded off the "
            "hot path (GET /v1/checkout/decisions/{decision_id}). An invoice later routed "
            "with the same order_id and customer gets the decision's granted terms.",
            "operationId": "decide_checkout",
            "security": [{"bearer": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/DecisionIn"}}
                },
            },
            "responses": {
                "200": {
                    "description": "The decision",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/DecisionOut"}}
                    },
                },
                "400": {"description": "The body is not a JSON object", "content": problem},
                "401": {"description": "No, malformed or revoked key", "content": problem},
                "403": {"description": "The key lacks terms:read", "content": problem},
                "413": {"description": "The body is too large", "content": problem},
                "422": {"description": "Invalid fields", "content": problem},
                "429": {
                    "description": "Over the key's terms:read rate limit (none by default)",
                    "content": problem,
                },
            },
        }
    }


SCHEMAS: Final = (DecisionIn, DecisionOut)
