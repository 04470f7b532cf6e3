"""POST /v1/touches/batch: up to 1000 touches in one transaction, each answered as the single
call would answer it, and a refused one leaving nothing behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.contacts import service as contacts
from app.core.errors import PayloadTooLarge
from app.core.store import Store
from tests.support.contacts import routed, rows, statuses, tasks, touch
from tests.support.days import today
from tests.support.invoices import events, payment
from tests.support.problems import assert_problem

pytestmark = pytest.mark.usefixtures("watched")


def batch(client: TestClient, headers: dict[str, str], items: list[Any]) -> list[dict[str, Any]]:
    answer = client.post("/v1/touches/batch", json={"touches": items}, headers=headers)
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


def test_each_touch_of_a_batch_is_answered_as_the_single_call_would_be(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    routed(client, store, billing, invoice_id="inv-2", customer_id="c-2")
    routed(client, store, billing, invoice_id="inv-3", customer_id="c-3")
    paid = payment(invoice_id="inv-3", amount=125_000)
    assert client.post("/v1/payments", json=paid, headers=billing).status_code == 201
    check = tasks(client, collector, invoice_id="inv-1")[0]["id"]
    foreign = tasks(client, collector, invoice_id="inv-2")[0]["id"]
    tomorrow = (today() + timedelta(days=1)).isoformat()
    promise = {"amount": 50_000, "currency": "USD", "pay_on": tomorrow}
    first = touch(task_id=check, note="Delivered.")
    items: list[Any] = [
        first,
        first,  # the same touch again: a replay
        first | {"note": "Other."},  # the same id, another body
        touch("t-2", invoice_id="inv-9"),
        "not a touch",
        touch("t-3", task_id=foreign),
        touch("t-4", invoice_id="inv-2", outcome="promise_to_pay", promise=promise),
        touch("t-5", outcome="dispute", dispute={"reason": "quantity"}),
        touch("t-6", outcome="dispute", dispute={"reason": "price"}),  # already disputed
        touch("t-7", invoice_id="inv-3", outcome="dispute", dispute={"reason": "price"}),
        touch("t-8", outcome="invoice_not_received", note="Sent to the old address."),
        touch("t-9", outcome="bogus"),
    ]
    before = rows(store)
    queued = len(events(store))

    results = batch(client, collector, items)

    assert [(r["touch_id"], r["status"]) for r in results] == [
        ("t-1", 201),
        ("t-1", 200),
        ("t-1", 409),
        ("t-2", 404),
        (None, 422),
        ("t-3", 422),
        ("t-4", 201),
        ("t-5", 201),
        ("t-6", 409),
        ("t-7", 409),
        ("t-8", 201),
        ("t-9", 422),
    ]
    assert results[1]["touch"] == results[0]["touch"]
    assert results[0]["touch"]["task_id"] == check
    assert results[6]["touch"]["promise"]["amount"] == 50_000
    assert results[7]["touch"]["dispute"]["reason"] == "quantity"
    for index, result in enumerate(results):
        if "error" in result:
            problem = result["error"]
            assert problem["status"] == result["status"]
            assert problem["detail"].startswith(f"Touch {index} of the batch")
    assert [e["loc"] for e in results[5]["error"]["errors"]] == [["body", "touches", 5, "task_id"]]
    assert [e["loc"] for e in results[11]["error"]["errors"]] == [
        ["body", "touches", 11, "outcome"]
    ]
    after = rows(store)
    assert after["touches"] == before["touches"] + 4
    assert (after["promises"], after["disputes"]) == (1, 1)
    assert statuses(client, collector)["service_check"] == "done"
    sent = [(e["event_type"], e["body"]["data"]["invoice_id"]) for e in events(store)[queued:]]
    assert sent == [("dispute.opened", "inv-1"), ("invoice.resend_requested", "inv-1")]

    again = batch(client, collector, items)
    assert [r["status"] for r in again] == [
        200,
        200,
        409,
        404,
        422,
        422,
        200,
        200,
        409,
        409,
        200,
        422,
    ]
    assert [r.get("touch") for r in again if r["status"] == 200][:2] == [results[0]["touch"]] * 2
    assert rows(store) == after


def test_a_touch_recorded_by_a_batch_replays_through_the_single_call(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    body = touch(outcome="no_answer")
    [recorded] = batch(client, collector, [body])
    single = client.post("/v1/touches", json=body, headers=collector)
    assert single.status_code == 200
    assert single.headers["idempotent-replayed"] == "true"
    assert single.json() == recorded["touch"]
    assert rows(store)["touches"] == 1


def test_a_batch_too_large_or_not_a_batch_is_refused_whole(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    before = rows(store)
    many = [touch(f"t-{n}", outcome="no_answer") for n in range(1001)]
    too_many = client.post("/v1/touches/batch", json={"touches": many}, headers=collector)
    assert "1000" in assert_problem(too_many, 413, "payload-too-large")["detail"]
    not_batches: list[dict[str, Any]] = [{"touches": "t-1"}, {"items": []}]
    for body in not_batches:
        answer = client.post("/v1/touches/batch", json=body, headers=collector)
        assert_problem(answer, 422, "invalid")
    listed = client.post("/v1/touches/batch", json=[touch()], headers=collector)
    assert_problem(listed, 400, "malformed")
    refused = client.post("/v1/touches/batch", json={"touches": [touch()]}, headers=billing)
    assert_problem(refused, 403, "forbidden")
    assert rows(store) == before
    assert batch(client, collector, []) == []


def test_a_batch_leaves_tasks_as_the_same_touches_sent_one_by_one(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    """A promise holds the reminder, a touch marks it done, a dispute holds the escalation: on
    inv-1 in one batch, on inv-2 one call at a time."""
    pay_on = (today() + timedelta(days=15)).isoformat()
    steps: dict[str, list[dict[str, Any]]] = {}
    for invoice_id in ("inv-1", "inv-2"):
        routed(client, store, billing, invoice_id=invoice_id)
        by_kind = {t["kind"]: t["id"] for t in tasks(client, collector, invoice_id=invoice_id)}
        promise = {"amount": 1_000, "currency": "USD", "pay_on": pay_on}
        steps[invoice_id] = [
            touch(f"{invoice_id}-a", invoice_id=invoice_id, kind="reminder",
                  outcome="promise_to_pay", promise=promise),
            touch(f"{invoice_id}-b", invoice_id=invoice_id, kind="reminder",
                  task_id=by_kind["reminder"], outcome="no_issue"),
            touch(f"{invoice_id}-c", invoice_id=invoice_id, outcome="dispute",
                  dispute={"reason": "quality"}),
        ]  # fmt: skip

    assert [r["status"] for r in batch(client, collector, steps["inv-1"])] == [201] * 3
    for body in steps["inv-2"]:
        assert client.post("/v1/touches", json=body, headers=collector).status_code == 201

    expected = {"service_check": "open", "reminder": "done", "escalation": "held"}
    assert statuses(client, collector, "inv-2") == expected
    assert statuses(client, collector, "inv-1") == expected


def test_the_service_answers_each_item_and_writes_only_what_it_recorded(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    routed(client, store, billing)
    routed(client, store, billing, invoice_id="inv-2", customer_id="c-2")
    paid = payment(invoice_id="inv-2", amount=125_000)
    assert client.post("/v1/payments", json=paid, headers=billing).status_code == 201
    items = [
        touch("t-1"),
        touch("t-2", invoice_id="inv-2", outcome="dispute", dispute={"reason": "price"}),
        {"touch_id": "t-3"},
        touch("t-4", outcome="payment_sent"),
    ]
    now = datetime.now(UTC)
    with store.ledger() as session:
        recorded = contacts.record_touches(session, items, grace_days=2, now=now, actor="dialer")

    assert [(r.touch_id, r.status) for r in recorded] == [
        ("t-1", 201),
        ("t-2", 409),
        ("t-3", 422),
        ("t-4", 201),
    ]
    assert [r.touch is not None for r in recorded] == [True, False, False, True]
    after = rows(store)
    assert (after["touches"], after["disputes"]) == (2, 0)
    many = [touch(f"m-{n}") for n in range(1001)]
    with store.ledger() as session, pytest.raises(PayloadTooLarge):
        contacts.record_touches(session, many, grace_days=2, now=now, actor="dialer")
    assert rows(store) == after
