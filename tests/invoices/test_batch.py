"""POST /v1/invoice-routes/batch: up to 1000 invoices, each answered as the single call would be."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.invoices import (
    counts,
    events,
    feed,
    invoice,
    route,
    routed_total,
    set_webhook,
    store_version,
)
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem
from tests.support.segments import place

BATCH = "/v1/invoice-routes/batch"
LIMIT = 1000


def results(answer: Any) -> list[dict[str, Any]]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    found: list[dict[str, Any]] = answer.json()["results"]
    return found


def test_each_item_is_answered_in_input_order_as_the_single_call_would_be(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    place(store, "c-15", "net_15")
    known = route(client, billing, invoice("inv-known"))
    route(client, billing, invoice("inv-taken"))
    items = [
        invoice("inv-a", customer_id="c-15"),
        invoice("inv-known"),
        invoice("inv-taken", amount=1),
        invoice("inv-bad", currency="usd", status="paid"),
        invoice("inv-b"),
        invoice("inv-a", customer_id="c-15"),
        invoice("inv-b", amount=2),
    ]

    answered = results(client.post(BATCH, json={"invoices": items}, headers=billing))

    assert [(r["invoice_id"], r["status"]) for r in answered] == [
        ("inv-a", 201),
        ("inv-known", 200),
        ("inv-taken", 409),
        ("inv-bad", 422),
        ("inv-b", 201),
        ("inv-a", 200),
        ("inv-b", 409),
    ]
    a, replayed, taken, bad, b, a_again, b_again = answered
    assert (a["route"]["segment"], a["route"]["due_on"]) == ("net_15", "2026-11-17")
    assert replayed["route"] == known
    assert a_again["route"] == a["route"]
    for conflict in (taken, b_again):
        assert "route" not in conflict
        assert conflict["error"]["type"] == "urn:termsgate:problem:conflict"
        assert conflict["error"]["status"] == 409
        assert conflict["error"]["detail"]
    assert "route" not in bad
    assert bad["error"]["type"] == "urn:termsgate:problem:invalid"
    assert bad["error"]["status"] == 422
    assert {tuple(e["loc"]) for e in bad["error"]["errors"]} == {
        ("body", "invoices", 3, "currency"),
        ("body", "invoices", 3, "status"),
    }
    assert "Invoice 3 " in bad["error"]["detail"]
    alone = client.post("/v1/invoice-routes", json=items[3], headers=billing)
    single = assert_problem(alone, 422, "invalid")["errors"]
    # Worded as the single call's, located within the batch.
    assert bad["error"]["errors"] == [
        {**e, "loc": ["body", "invoices", 3, *e["loc"][1:]]} for e in single
    ]
    # What was routed reads back as answered; what was refused left nothing behind.
    for created in (a, b):
        fetched = client.get(f"/v1/invoice-routes/{created['invoice_id']}", headers=billing)
        assert fetched.json() == created["route"] | {"status": "open", "outstanding": 125_000}
    assert client.get("/v1/invoice-routes/inv-bad", headers=billing).status_code == 404
    taken_now = client.get("/v1/invoice-routes/inv-taken", headers=billing).json()
    assert taken_now["amount"] == 125_000
    assert counts(store) == (4, 0, 0)


def test_an_item_that_is_not_an_object_is_422_and_does_not_stop_the_others(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    items: list[Any] = [invoice("inv-1"), None, "inv-2", 7, [], invoice("inv-3")]

    answered = results(client.post(BATCH, json={"invoices": items}, headers=billing))

    assert [(r["invoice_id"], r["status"]) for r in answered] == [
        ("inv-1", 201),
        (None, 422),
        (None, 422),
        (None, 422),
        (None, 422),
        ("inv-3", 201),
    ]
    assert all(r["error"]["errors"] for r in answered if r["status"] == 422)
    assert counts(store) == (2, 0, 0)


def test_a_batch_of_1000_is_one_transaction_with_one_event_per_route(
    client: TestClient, store: Store, ops: dict[str, str], billing: dict[str, str]
) -> None:
    set_webhook(client, ops, "pay_on_order")
    counted = routed_total(client, "pay_on_order", "pay_on_order")
    version = store_version(store)
    ids = [f"inv-{number:04d}" for number in range(LIMIT)]
    items = [
        invoice(invoice_id, customer_id=f"c-{number % 50}", amount=1_000 + number)
        for number, invoice_id in enumerate(ids)
    ]

    answered = results(client.post(BATCH, json={"invoices": items}, headers=billing))

    assert [(r["invoice_id"], r["status"]) for r in answered] == [(i, 201) for i in ids]
    assert [r["route"]["amount"] for r in answered] == [1_000 + n for n in range(LIMIT)]
    assert counts(store) == (LIMIT, 0, LIMIT)
    written = events(store)
    assert {e["body"]["data"]["invoice_id"] for e in written} == set(ids)
    assert {(e["event_type"], e["workflow_key"]) for e in written} == {
        ("invoice.routed", "pay_on_order")
    }
    # Routes change no one's terms: no snapshot version, one feed entry per customer.
    assert store_version(store) == version
    assert len(feed(store)) == 50
    assert routed_total(client, "pay_on_order", "pay_on_order") == counted + LIMIT

    again = results(client.post(BATCH, json={"invoices": items}, headers=billing))
    assert {r["status"] for r in again} == {200}
    assert counts(store) == (LIMIT, 0, LIMIT)
    assert routed_total(client, "pay_on_order", "pay_on_order") == counted + LIMIT


def test_a_batch_of_1001_is_413_and_writes_nothing(
    client: TestClient, store: Store, ops: dict[str, str], billing: dict[str, str]
) -> None:
    set_webhook(client, ops, "pay_on_order")
    version = store_version(store)
    items = [invoice(f"inv-{number:04d}") for number in range(LIMIT + 1)]

    answer = client.post(BATCH, json={"invoices": items}, headers=billing)

    body = assert_problem(answer, 413, "payload-too-large")
    assert "1000" in body["detail"]
    assert counts(store) == (0, 0, 0)
    assert store_version(store) == version


def test_an_empty_batch_answers_no_results(client: TestClient, billing: dict[str, str]) -> None:
    assert results(client.post(BATCH, json={"invoices": []}, headers=billing)) == []


def test_batch_needs_invoices_write(client: TestClient, store: Store, make_key: KeyMaker) -> None:
    body = {"invoices": [invoice()]}
    assert_problem(client.post(BATCH, json=body), 401, "unauthenticated")
    for scopes in (("terms:read",), ("invoices:read",)):
        answer = client.post(BATCH, json=body, headers=make_key(*scopes))
        assert_problem(answer, 403, "forbidden")
    assert counts(store) == (0, 0, 0)
