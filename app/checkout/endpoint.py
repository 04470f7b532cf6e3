"""POST /v1/checkout/decisions: answered in the edge from the snapshot, like the terms lookup.

Answered in the edge (app/http/edge.py), before FastAPI; described in OpenAPI by hand.
"""

from __future__ import annotations

import os
import time
from typing import Any, Final

import orjson
from pydantic import ValidationError

from app.checkout.decision import decide, hold_of
from app.checkout.recorder import DecisionRecorder
from app.checkout.schemas import DecisionIn, DecisionOut
from app.core import metrics, tallies
from app.core.clock import Clock
from app.core.errors import MethodNotAllowed, TermsGateError, validation_problem
from app.http.fast import Headers, NewRequestId, Reply, ok, operation, read_headers, refusal
from app.http.ratelimits import ScopeLimit
from app.http.strict import JSON, check_media, check_repeats
from app.terms.service import TermsCache

ROUTE: Final = "/v1/checkout/decisions"
DECISIONS_BY_OUTCOME: Final = {
    outcome: tallies.counter_tally(metrics.CHECKOUT_DECISIONS.labels(outcome=outcome))
    for outcome in ("net_terms", "pay_on_order")
}


def new_decision_id() -> str:
    """`dec_` + milliseconds since the epoch + 64 random bits: unique across replicas, and
    in time order for anyone reading a list of them."""
    return f"dec_{time.time_ns() // 1_000_000:012x}{os.urandom(8).hex()}"


class Checkout:
    """The decision desk: the snapshot to decide from, the recorder to hand decisions to, and
    terms:read's rate limit (None: none)."""

    route: Final = ROUTE
    reads_body: Final = True

    def __init__(
        self,
        cache: TermsCache,
        recorder: DecisionRecorder,
        clock: Clock,
        limit: ScopeLimit | None = None,
        *,
        hold_days: int,
    ) -> None:
        self.hold_days = hold_days
        self.cache = cache
        self.recorder = recorder
        self.clock = clock
        self.limit = limit

    def matches(self, path: str) -> bool:
        return path == ROUTE

    def answer(
        self, headers: Headers, method: str, path: str, body: bytes, new_request_id: NewRequestId
    ) -> Reply:
        authorization, content_type, traced = read_headers(headers)
        try:
            if method != "POST":
                raise MethodNotAllowed("This path answers POST only.", headers={"Allow": "POST"})
            known = self.cache.check_key(authorization, self.limit)  # as for the lookup
            order = _parse(body, content_type)
        except TermsGateError as error:
            return refusal(error, traced, new_request_id)
        now = self.clock.now()
        decided_at = now.isoformat().replace("+00:00", "Z")
        document = decide(self.cache, order, known, new_decision_id(), decided_at)
        answered = orjson.dumps(document)
        hold = hold_of(document, now, self.hold_days)
        if hold is not None:
            self.cache.hold(hold)  # counted here at once; elsewhere once it is recorded
        self.recorder.add(document, now, answered)
        DECISIONS_BY_OUTCOME[document["outcome"]].inc()
        return ok(answered, traced)

    def openapi_path(self) -> dict[str, Any]:
        return operation(
            "post",
            tag="checkout",
            summary="Decide the terms an order may have",
            description="Answered from memory, like the terms lookup, and recorded off the "
            "hot path (GET /v1/checkout/decisions/{decision_id}). An invoice later routed "
            "with the same order_id and customer gets the decision's granted terms.",
            operation_id="decide_checkout",
            request_schema="DecisionIn",
            success={
                "description": "The decision",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/DecisionOut"}}
                },
            },
            refusals={
                400: "The body is not a JSON object, repeats a key, or has no Content-Type",
                401: "No, malformed or revoked key",
                403: "The key lacks terms:read",
                413: "The body is too large",
                422: "Invalid fields",
                429: "Over the key's terms:read rate limit (none by default)",
            },
        )


def _parse(body: bytes, content_type: bytes | None) -> DecisionIn:
    """The order, read as StrictInputs reads the other routes' bodies: JSON only (415, or 400
    without a Content-Type), no key given twice (400), then the fields (422)."""
    if content_type != JSON:  # the common case costs one comparison
        check_media(content_type)
    try:
        order = DecisionIn.model_validate_json(body)
    except ValidationError as error:
        check_repeats(body, 0)  # a repeat is a malformed body, whatever its fields
        found = [{**item, "loc": ("body", *item["loc"])} for item in error.errors()]
        media = content_type.decode("latin-1") if content_type is not None else None
        raise validation_problem(found, media) from None
    keys = _keys(order)
    if body.count(b":") > keys:  # a colon inside an id, or a key given twice
        check_repeats(body, keys + _colons_in_ids(body, order))
    return order


def _keys(order: DecisionIn) -> int:
    """The keys the order was read from (the last of a repeat winning): its own, and its
    requested terms'. A body without a repeat holds a colon for each, and any inside strings."""
    keys = len(order.__pydantic_fields_set__)
    terms = order.requested_terms
    return keys if terms is None else keys + len(terms.__pydantic_fields_set__)


def _colons_in_ids(body: bytes, order: DecisionIn) -> int:
    """The colons inside the order's strings (currencies and terms hold none). An undercount
    only costs a second reading (app/http/strict.py), so a body with an escape, which could
    make this count too high (`\\u003a`), counts none."""
    if b"\\" in body:
        return 0
    return order.customer_id.count(":") + order.order_id.count(":")


SCHEMAS: Final = (DecisionIn, DecisionOut)
