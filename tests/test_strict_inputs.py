"""Strict inputs, the same on every operation: generated from the OpenAPI document (the fast
endpoints included), so a new operation is covered without being named here. The committed
document is read (tests/support/openapi.py): building it again cost each xdist worker 0.7 s of
CPU while collecting.

- a key given twice in one JSON object is 400 `malformed`, naming the key;
- a body sent as anything but JSON is 415; a body without a Content-Type is 400;
- a query parameter the operation does not declare is 422, naming each.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.core.clock import Clock
from app.core.store import Store
from app.main import create_app
from tests.support.keys import KeyMaker, key_maker
from tests.support.openapi import committed_document
from tests.support.parts import served, store_of, suite_settings
from tests.support.problems import assert_problem, error_locs
from tests.support.stores import BACKENDS, fresh_database

DOCUMENT = committed_document()
TWICE = "zz_twice"
# Tables a refused request could have written to.
WRITTEN = ("invoices", "payments", "outbox_events", "audit_events", "term_exceptions", "segments")


def _operations(*, with_body: bool) -> list[tuple[str, str]]:
    found = [
        (method.upper(), path)
        for path, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
        if not with_body or "requestBody" in operation
    ]
    return sorted(found, key=lambda op: (op[1], op[0]))


BODIES = _operations(with_body=True)
EVERY = _operations(with_body=False)


def _url(path: str) -> str:
    return path.replace("{", "").replace("}", "")  # any id: the request is judged first


@pytest.fixture
def admin(make_key: KeyMaker) -> dict[str, str]:
    return {**make_key("admin"), "If-Match": '"1"'}


@dataclass(frozen=True)
class Judge:
    """One app on one store for every generated case of a module's worker: each is refused
    before it touches the store, and checks that nothing was written, so they need not start
    an app each (276 of them took a minute of the suite)."""

    client: TestClient
    store: Store

    def admin(self) -> dict[str, str]:
        """A key of the case's own: the write limits count per key."""
        return {**key_maker(self.store, Clock())("admin"), "If-Match": '"1"'}


@pytest.fixture(scope="module", params=list(BACKENDS))
def judge(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Judge]:
    directory = tmp_path_factory.mktemp("strict")
    with (
        fresh_database(request.param, request, directory) as url,
        served(create_app(suite_settings(url), Clock())) as client,
    ):
        yield Judge(client, store_of(client.app))


def test_the_document_has_operations_to_check() -> None:
    assert len(BODIES) >= 10
    assert ("POST", "/v1/checkout/decisions") in BODIES
    assert ("GET", "/v1/customers/{customer_id}/terms") in EVERY


@pytest.mark.parametrize(("method", "path"), BODIES)
def test_a_key_given_twice_is_400_naming_it(method: str, path: str, judge: Judge) -> None:
    headers = {**judge.admin(), "Content-Type": "application/json"}
    before = _counts(judge.store)
    body = b'{"%s": 1, "%s": 2}' % (TWICE.encode(), TWICE.encode())
    answer = judge.client.request(method, _url(path), content=body, headers=headers)
    assert TWICE in assert_problem(answer, 400, "malformed")["detail"], answer.text
    assert _counts(judge.store) == before


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
@pytest.mark.parametrize(("method", "path"), BODIES)
def test_a_body_sent_as_anything_but_json_is_415(
    method: str, path: str, content_type: str, judge: Judge
) -> None:
    headers = {**judge.admin(), "Content-Type": content_type}
    before = _counts(judge.store)
    answer = judge.client.request(method, _url(path), content=b"{}", headers=headers)
    assert "application/json" in assert_problem(answer, 415, "unsupported-media-type")["detail"]
    assert _counts(judge.store) == before


@pytest.mark.parametrize(("method", "path"), BODIES)
def test_a_body_without_a_content_type_is_400(method: str, path: str, judge: Judge) -> None:
    answer = judge.client.request(method, _url(path), content=b'{"a": 1}', headers=judge.admin())
    assert "content-type" not in answer.request.headers
    assert "Content-Type" in assert_problem(answer, 400, "malformed")["detail"]


@pytest.mark.parametrize(("method", "path"), EVERY)
def test_an_unknown_query_parameter_is_422_naming_each(
    method: str, path: str, judge: Judge
) -> None:
    admin = judge.admin()
    before = _counts(judge.store)
    query = {"zz_unknown": "1", "actorr": "ops"}
    answer = judge.client.request(method, _url(path), params=query, headers=admin)
    body = assert_problem(answer, 422, "invalid")
    assert error_locs(body) == [["query", "zz_unknown"], ["query", "actorr"]], answer.text
    assert "zz_unknown" in body["detail"]
    assert "actorr" in body["detail"]
    assert _counts(judge.store) == before


def test_every_operation_documents_what_these_rules_answer() -> None:
    for method, path in EVERY:
        responses = DOCUMENT["paths"][path][method.lower()]["responses"]
        assert "422" in responses, (method, path)
        if (method, path) in BODIES:
            assert "415" in responses, (method, path)


def test_the_audit_log_filters_only_by_what_it_declares(
    client: TestClient, admin: dict[str, str]
) -> None:
    assert client.get("/v1/audit-events?actor=ops", headers=admin).status_code == 200
    answer = client.get("/v1/audit-events?actorr=ops", headers=admin)
    assert error_locs(assert_problem(answer, 422, "invalid")) == [["query", "actorr"]]


def _order(**changes: Any) -> dict[str, Any]:
    return {"customer_id": "c-1", "order_id": "o-1", "amount": 100, "currency": "USD"} | changes


def test_a_checkout_decision_with_a_field_given_twice_is_400(
    client: TestClient, reader: dict[str, str]
) -> None:
    headers = {**reader, "Content-Type": "application/json"}
    repeats = (
        b'{"customer_id":"c-1","order_id":"o-1","amount":100,"amount":9,"currency":"USD"}',
        b'{"customer_id":"c-1","order_id":"o-1","amount":100,"currency":"USD",'
        b'"requested_terms":{"type":"net","net_days":30,"net_days":90}}',
        b'{"customer_id":"c:1","order_id":"o:1","amount":1,"currency":"USD","currency":"EUR"}',
        b'{"customer_id":"c\\u003a1","order_id":"o:1","amount":1,"currency":"USD","amount":2}',
        b'{"customer_id":"c-1","order_id":"o-1","amount":true,"amount":5}',  # invalid as well
    )
    for body in repeats:
        answer = client.post("/v1/checkout/decisions", content=body, headers=headers)
        assert_problem(answer, 400, "malformed")
        assert "given twice" in answer.json()["detail"], body


def test_checkout_takes_json_media_types_and_colons_inside_strings(
    client: TestClient, reader: dict[str, str]
) -> None:
    order = _order(customer_id="c:1", order_id="o:2:3", requested_terms=None)
    for content_type in ("application/json", "application/json; charset=utf-8", "Application/JSON"):
        headers = {**reader, "Content-Type": content_type}
        answer = client.post("/v1/checkout/decisions", json=order, headers=headers)
        assert answer.status_code == 200, (content_type, answer.text)
    escaped = b'{"customer_id":"c\\u003a1","order_id":"o:1","amount":1,"currency":"USD"}'
    answer = client.post("/v1/checkout/decisions", content=escaped, headers=headers)
    assert answer.json()["customer_id"] == "c:1"
    spaced = b'{"customer_id" : "c-1", "order_id" : "o-1", "amount" : 1, "currency" : "USD"}'
    headers = {**reader, "Content-Type": "application/vnd.termsgate+json"}
    assert client.post("/v1/checkout/decisions", content=spaced, headers=headers).status_code == 200


def test_a_repeat_nested_in_a_batch_item_is_400_and_colons_in_strings_are_fine(
    client: TestClient, make_key: KeyMaker, store: Store
) -> None:
    billing = {**make_key("invoices:write"), "Content-Type": "application/json"}
    item = b'{"invoice_id":"inv:1","customer_id":"c:1","amount":5,"currency":"USD",'
    repeated = item + b'"issued_on":"2026-11-02","amount":6}'
    answer = client.post(
        "/v1/invoice-routes/batch", content=b'{"invoices":[%s]}' % repeated, headers=billing
    )
    assert "'amount'" in assert_problem(answer, 400, "malformed")["detail"]
    assert _counts(store)["invoices"] == 0
    fine = item + b'"issued_on":"2026-11-02"}'
    answer = client.post(
        "/v1/invoice-routes/batch", content=b'{"invoices":[%s]}' % fine, headers=billing
    )
    assert [r["status"] for r in answer.json()["results"]] == [201]


def _counts(store: Store) -> dict[str, int]:
    with store.reading() as session:
        return {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in WRITTEN}
