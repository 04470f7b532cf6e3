"""The edge's shortcuts for single routes and payments (app/http/shortcut.py): the common case
answered without FastAPI, and every request answered as the FastAPI operation alone answers
it. Each case is sent twice over the same app and store: through an edge with the shortcuts
(its trips to FastAPI counted) and through one without."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from app.core.keys import INVOICES_WRITE
from app.http.edge import Edge
from app.http.shortcut import Gate
from app.invoices.schemas import InvoiceIn
from app.invoices.shortcuts import shortcuts
from app.main import state_of_api
from tests.support.invoices import invoice, payment, route
from tests.support.keys import KeyMaker

# What differs between two answers to the same request sent twice: ids and times.
VARYING = {"invoice_id", "payment_id", "routed_at", "instance"}
Request = Callable[[str], tuple[str, dict[str, str], bytes]]


class Pair:
    """The same app behind two edges: `short` with the shortcuts, `plain` without."""

    def __init__(self, client: TestClient) -> None:
        api = _api(client)
        self.reached: list[str] = []  # the paths the shortcut edge handed on to FastAPI

        async def counted(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                self.reached.append(scope["path"])
            await api(scope, receive, send)

        state = state_of_api(api)
        limit = state.settings.max_body_bytes
        # No lifespan: the client fixture's app already runs it, for both.
        self.short = TestClient(Edge(counted, [], limit, shortcuts(state)))
        self.plain = TestClient(Edge(api, [], limit))

    def both(self, request: Request) -> tuple[httpx.Response, httpx.Response]:
        path, headers, body = request("s")
        short = self.short.post(path, content=body, headers=headers)
        path, headers, body = request("p")
        plain = self.plain.post(path, content=body, headers=headers)
        return short, plain


def _api(client: TestClient) -> FastAPI:
    edge = client.app
    assert isinstance(edge, Edge)
    assert isinstance(edge.api, FastAPI)
    return edge.api


@pytest.fixture
def pair(client: TestClient) -> Pair:
    return Pair(client)


def same_answer(short: httpx.Response, plain: httpx.Response) -> None:
    assert short.status_code == plain.status_code, (short.text, plain.text)
    for header in ("content-type", "idempotent-replayed", "retry-after"):
        assert short.headers.get(header) == plain.headers.get(header)
    assert short.headers["x-request-id"]
    assert _steady(short.json()) == _steady(plain.json())


def _steady(document: Any) -> Any:
    if isinstance(document, dict):
        return {k: _steady(v) for k, v in document.items() if k not in VARYING}
    if isinstance(document, list):
        return [_steady(item) for item in document]
    if isinstance(document, str):  # an id in a detail: each side's own ("inv-s", "inv-p")
        return document.replace("-s'", "-?'").replace("-p'", "-?'")
    return document


def json_request(path: str, headers: dict[str, str], body: Callable[[str], Any]) -> Request:
    def request(side: str) -> tuple[str, dict[str, str], bytes]:
        sent = {"Content-Type": "application/json", **headers}
        return path, sent, orjson.dumps(body(side))

    return request


def raw(headers: dict[str, str], body: Callable[[str], bytes]) -> Request:
    return lambda side: ("/v1/invoice-routes", headers, body(side))


def routes(headers: dict[str, str], **changes: Any) -> Request:
    return json_request("/v1/invoice-routes", headers, lambda s: invoice(f"inv-{s}", **changes))


def test_a_valid_route_never_reaches_fastapi_and_is_answered_as_fastapi_answers_it(
    pair: Pair, billing: dict[str, str]
) -> None:
    cases: list[tuple[int, dict[str, Any]]] = [
        (201, {}),
        (200, {}),  # the same body again
        (409, {"amount": 1}),  # another body
        (422, {"issued_on": "2999-01-01"}),  # the handler's own check
    ]
    for expected, changes in cases:
        short, plain = pair.both(routes(billing, **changes))
        assert short.status_code == expected
        same_answer(short, plain)
    assert pair.reached == []


def test_a_valid_payment_and_its_refusals_after_the_write_answer_as_fastapi_does(
    client: TestClient, pair: Pair, billing: dict[str, str]
) -> None:
    for side in "sp":
        route(client, billing, invoice(f"inv-{side}"))

    def payments(**changes: Any) -> Request:
        body = lambda s: payment(f"pay-{s}", invoice_id=f"inv-{s}", **changes)  # noqa: E731
        return json_request("/v1/payments", billing, body)

    for expected, request in [
        (201, payments()),
        (200, payments()),  # a replay
        (409, payments(amount=7)),  # the payment id again, another body
        (422, json_request("/v1/payments", billing, lambda s: payment(f"over-{s}", amount=10**12))),
    ]:
        short, plain = pair.both(request)
        assert short.status_code == expected, short.text
        same_answer(short, plain)
    assert pair.reached == []


def test_every_refusal_before_the_write_is_fastapis_own(
    pair: Pair, billing: dict[str, str], make_key: KeyMaker
) -> None:
    reader = make_key("invoices:read", name="reader")
    json_headers = {**billing, "Content-Type": "application/json"}
    cases: dict[str, tuple[int, Request]] = {
        "no key": (401, routes({})),
        "unknown key": (401, routes({"Authorization": "Bearer tg_" + "x" * 40})),
        "not a bearer key": (401, routes({"Authorization": "Basic abc"})),
        "another scope": (403, routes(reader)),
        "a field out of range": (422, routes(billing, amount=-5)),
        "an unknown field": (422, routes(billing, colour="red")),
        "not JSON": (400, raw(json_headers, lambda s: b"{no")),
        "not an object": (400, raw(json_headers, lambda s: b"[1]")),
        "no content type": (400, raw(billing, lambda s: orjson.dumps(invoice(f"n-{s}")))),
        "text": (415, raw({**billing, "Content-Type": "text/plain"}, lambda s: b"{}")),
        "a key twice": (400, raw(json_headers, _twice)),
    }
    for name, (expected, request) in cases.items():
        before = len(pair.reached)
        short, plain = pair.both(request)
        assert short.status_code == expected, (name, short.text)
        same_answer(short, plain)
        assert len(pair.reached) == before + 1, name  # FastAPI gave the answer


def test_a_json_media_type_with_parameters_takes_the_shortcut_too(
    pair: Pair, billing: dict[str, str]
) -> None:
    headers = {**billing, "Content-Type": "application/json; charset=utf-8"}

    def request(side: str) -> tuple[str, dict[str, str], bytes]:
        return "/v1/invoice-routes", headers, orjson.dumps(invoice(f"cs-{side}"))

    short, plain = pair.both(request)
    assert short.status_code == 201
    same_answer(short, plain)
    assert pair.reached == []


def _twice(side: str) -> bytes:
    body = orjson.dumps(invoice(f"t-{side}"))
    return body[:-1] + b',"amount":5}'


def test_the_gate_lets_through_only_what_fastapi_hands_the_handler(
    client: TestClient, billing: dict[str, str]
) -> None:
    state = state_of_api(_api(client))
    gate = Gate(state.terms, INVOICES_WRITE, InvoiceIn, None)
    headers = [
        (b"authorization", billing["Authorization"].encode()),
        (b"content-type", b"application/json"),
    ]
    body = orjson.dumps(invoice())
    passed = gate.let_through(headers, body)
    assert passed is not None
    assert passed[0].name == "billing"
    assert passed[1] == InvoiceIn.model_validate(invoice())
    # The first of a header sent twice is the one read, as FastAPI reads it.
    assert gate.let_through([(b"content-type", b"text/plain"), *headers], body) is None
    assert gate.let_through([(b"authorization", b"Bearer no"), *headers], body) is None
    assert gate.let_through(headers, body.replace(b'"c-1"', b'"c 1"')) is None
