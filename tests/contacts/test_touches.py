"""Tasks from contact plans, and touches: idempotent by touch_id, marking their task done, and
what each outcome sets going."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.contacts import DUE_IN, routed, rows, statuses, tasks, touch
from tests.support.days import today
from tests.support.invoices import events, payment
from tests.support.problems import assert_problem, error_locs

pytestmark = pytest.mark.usefixtures("watched")


def test_routing_plans_a_task_per_step_and_paying_in_full_cancels_the_rest(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    due = today() + DUE_IN
    planned = tasks(client, collector)
    assert [(t["on"], t["channel"], t["kind"], t["status"]) for t in planned] == [
        ((due - timedelta(days=5)).isoformat(), "phone", "service_check", "open"),
        ((due + timedelta(days=3)).isoformat(), "email", "reminder", "open"),
        ((due + timedelta(days=15)).isoformat(), "phone", "escalation", "open"),
    ]
    assert {(t["invoice_id"], t["customer_id"], t["segment"]) for t in planned} == {
        ("inv-1", "c-1", "watch")
    }
    # Only what is dated on or before `on`.
    on = (due - timedelta(days=5)).isoformat()
    assert [t["kind"] for t in tasks(client, collector, on=on)] == ["service_check"]

    paid = client.post("/v1/payments", json=payment(amount=50_000), headers=billing)
    assert paid.status_code == 201, paid.text
    assert set(statuses(client, collector).values()) == {"open"}  # partly paid: still chased
    paid = client.post("/v1/payments", json=payment("pay-2", amount=75_000), headers=billing)
    assert paid.status_code == 201, paid.text
    assert set(statuses(client, collector).values()) == {"cancelled"}


def test_a_batch_plans_tasks_for_each_new_invoice(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)  # places c-1 in the watch segment
    batch = [
        {
            "invoice_id": f"inv-b{n}",
            "customer_id": "c-1",
            "amount": 1_000,
            "currency": "USD",
            "issued_on": today().isoformat(),
        }
        for n in range(5)
    ]
    answer = client.post("/v1/invoice-routes/batch", json={"invoices": batch}, headers=billing)
    assert answer.status_code == 200, answer.text
    assert rows(store)["contact_tasks"] == 3 * 6
    again = client.post("/v1/invoice-routes/batch", json={"invoices": batch}, headers=billing)
    assert {r["status"] for r in again.json()["results"]} == {200}
    assert rows(store)["contact_tasks"] == 3 * 6  # replays plan nothing


def test_a_touch_marks_its_task_done_and_a_replay_answers_it_again(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    check = tasks(client, collector)[0]
    body = touch(task_id=check["id"], note="Delivered and complete.")
    first = client.post("/v1/touches", json=body, headers=collector)
    assert first.status_code == 201, first.text
    recorded = first.json()
    assert recorded["touch_id"] == "t-1"
    assert (recorded["invoice_id"], recorded["customer_id"]) == ("inv-1", "c-1")
    assert (recorded["task_id"], recorded["outcome"]) == (check["id"], "no_issue")
    assert recorded["occurred_at"] == body["occurred_at"]
    assert statuses(client, collector)["service_check"] == "done"

    again = client.post("/v1/touches", json=body, headers=collector)
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == recorded
    other = client.post("/v1/touches", json=body | {"note": "Other."}, headers=collector)
    assert_problem(other, 409, "conflict")
    assert rows(store)["touches"] == 1


def test_invoice_not_received_asks_the_workflow_to_resend_it(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    before = len(events(store))
    answer = client.post(
        "/v1/touches", json=touch(outcome="invoice_not_received"), headers=collector
    )
    assert answer.status_code == 201, answer.text
    sent = events(store)[before:]
    assert [(e["event_type"], e["workflow_key"]) for e in sent] == [
        ("invoice.resend_requested", "net_30")
    ]
    data = sent[0]["body"]["data"]
    assert (data["invoice_id"], data["customer_id"], data["touch_id"]) == ("inv-1", "c-1", "t-1")
    assert data["route"]["due_on"] == (today() + DUE_IN).isoformat()


@pytest.mark.parametrize("outcome", ["no_issue", "no_answer", "wrong_contact", "payment_sent"])
def test_outcomes_that_set_nothing_going_send_no_event(
    client: TestClient,
    store: Store,
    billing: dict[str, str],
    collector: dict[str, str],
    outcome: str,
) -> None:
    routed(client, store, billing)
    before = rows(store)
    answer = client.post("/v1/touches", json=touch(outcome=outcome), headers=collector)
    assert answer.status_code == 201, answer.text
    after = rows(store)
    assert after["touches"] == before["touches"] + 1
    assert after["outbox_events"] == before["outbox_events"]
    assert (after["promises"], after["disputes"]) == (0, 0)


def test_bad_touches_are_refused_and_change_nothing(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    routed(client, store, billing, invoice_id="inv-2")
    other_task = tasks(client, collector, invoice_id="inv-2")[0]["id"]
    tomorrow = (today() + timedelta(days=1)).isoformat()
    yesterday = (today() - timedelta(days=1)).isoformat()
    promise = {"amount": 10_000, "currency": "USD", "pay_on": tomorrow}
    before = rows(store)

    unknown = client.post("/v1/touches", json=touch(invoice_id="inv-9"), headers=collector)
    assert_problem(unknown, 404, "not-found")
    no_task = client.post("/v1/touches", json=touch(task_id=999_999), headers=collector)
    assert_problem(no_task, 404, "not-found")
    foreign = client.post("/v1/touches", json=touch(task_id=other_task), headers=collector)
    assert error_locs(assert_problem(foreign, 422, "invalid")) == [["body", "task_id"]]
    cases = [
        (promise | {"currency": "EUR"}, ["body", "promise", "currency"]),
        (promise | {"amount": 125_001}, ["body", "promise", "amount"]),
        (promise | {"pay_on": yesterday}, ["body", "promise", "pay_on"]),
    ]
    for promised, loc in cases:
        body = touch(outcome="promise_to_pay", promise=promised)
        refused = client.post("/v1/touches", json=body, headers=collector)
        assert error_locs(assert_problem(refused, 422, "invalid")) == [loc], promised
    missing = client.post("/v1/touches", json=touch(outcome="promise_to_pay"), headers=collector)
    assert_problem(missing, 422, "invalid")
    stray = client.post("/v1/touches", json=touch(promise=promise), headers=collector)
    assert_problem(stray, 422, "invalid")
    future = touch(occurred_at=f"{today() + timedelta(days=3)}T09:00:00Z")
    assert_problem(client.post("/v1/touches", json=future, headers=collector), 422, "invalid")
    naive = touch(occurred_at=f"{today()}T09:00:00")
    assert_problem(client.post("/v1/touches", json=naive, headers=collector), 422, "invalid")
    assert rows(store) == before


def test_only_collectors_record_touches(
    client: TestClient,
    store: Store,
    billing: dict[str, str],
    finance: dict[str, str],
    reader: dict[str, str],
) -> None:
    routed(client, store, billing)
    for headers in (billing, finance, reader):
        assert_problem(client.post("/v1/touches", json=touch(), headers=headers), 403, "forbidden")
    assert client.get("/v1/contact-tasks", headers=finance).status_code == 200
    assert_problem(client.get("/v1/contact-tasks", headers=billing), 403, "forbidden")
    assert rows(store)["touches"] == 0
