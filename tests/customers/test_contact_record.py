"""GET /v1/customers/{id} shows the customer's contact record: its promises to pay, its open
disputes and the credit notes it was given."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.contacts import service as contacts
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from tests.support.days import today
from tests.support.keys import KeyMaker
from tests.support.payment_history import bill, record


def touch(touch_id: str, invoice_id: str, **outcome: Any) -> dict[str, Any]:
    return {
        "touch_id": touch_id,
        "invoice_id": invoice_id,
        "channel": "phone",
        "kind": "reminder",
        "occurred_at": f"{today().isoformat()}T09:30:00Z",
        **outcome,
    }


def promise(touch_id: str, invoice_id: str) -> dict[str, Any]:
    promised = {"amount": 4_000, "currency": "USD", "pay_on": today().isoformat()}
    return touch(touch_id, invoice_id, outcome="promise_to_pay", promise=promised)


def dispute(touch_id: str, invoice_id: str) -> dict[str, Any]:
    return touch(touch_id, invoice_id, outcome="dispute", dispute={"reason": "price"})


def profile_of(client: TestClient, headers: dict[str, str], customer_id: str) -> dict[str, Any]:
    answer = client.get(f"/v1/customers/{customer_id}", headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_profile_shows_promises_disputes_and_credit_notes(
    client: TestClient, store: Store, settings: Settings, clock: Clock, make_key: KeyMaker
) -> None:
    collector = make_key("collections:write", name="collector")
    finance = make_key("exceptions:approve", name="finance")
    reports = make_key("reports:read", name="reports")
    due = today() + timedelta(days=20)
    owed = [bill("c-1", f"c-1-{n}", due_on=due) for n in range(5)]
    eur = bill("c-1", "c-1-eur", due_on=due, amount=7_000, currency="EUR")
    record(store, [*owed, eur, bill("c-2", "c-2-0", due_on=due)])

    def sent(body: dict[str, Any]) -> dict[str, Any]:
        answer = client.post("/v1/touches", json=body, headers=collector)
        assert answer.status_code == 201, answer.text
        found: dict[str, Any] = answer.json()
        return found

    # Three promises: two broken by the sweep five days on, one kept by a payment.
    sent(promise("t-p0", "c-1-0"))
    sent(promise("t-p1", "c-1-1"))
    sent(promise("t-p2", "c-1-2"))
    paid = {"payment_id": "pay-2", "invoice_id": "c-1-2", "amount": 4_000, "currency": "USD"}
    answer = client.post(
        "/v1/payments",
        json={**paid, "paid_on": today().isoformat()},
        headers=make_key("invoices:write", name="billing"),
    )
    assert answer.status_code == 201, answer.text
    clock.shift = timedelta(days=5)
    assert contacts.sweep(store, settings, clock).broken == 2
    clock.shift = timedelta(0)
    # A fourth still open; c-2's promise is its own.
    sent(promise("t-p3", "c-1-3"))
    sent(promise("t-c2", "c-2-0"))
    # Two disputes credited (one in EUR), one open.
    for touch_id, invoice_id, credit in (("t-d0", "c-1-4", 2_500), ("t-d1", "c-1-eur", 700)):
        opened = sent(dispute(touch_id, invoice_id))["dispute"]["id"]
        resolution = {"resolution": "credit_note", "credit_amount": credit}
        answer = client.post(f"/v1/disputes/{opened}/resolve", json=resolution, headers=finance)
        assert answer.status_code == 200, answer.text
    sent(dispute("t-d2", "c-1-0"))

    found = profile_of(client, reports, "c-1")

    assert found["promises"] == {"made": 4, "kept": 1, "broken": 2, "open": 1, "kept_rate": 0.3333}
    assert found["disputes_open"] == 1
    assert found["credited"] == [
        {"amount": 700, "currency": "EUR"},
        {"amount": 2_500, "currency": "USD"},
    ]
    assert {"amount": 7_000 - 700, "currency": "EUR"} in found["open_receivables"]


def test_a_customer_without_contacts_has_an_empty_record(
    client: TestClient, store: Store, make_key: KeyMaker
) -> None:
    record(store, [bill("c-1", "c-1-0", due_on=today())])

    found = profile_of(client, make_key("reports:read"), "c-1")

    assert found["promises"] == {"made": 0, "kept": 0, "broken": 0, "open": 0, "kept_rate": None}
    assert (found["disputes_open"], found["credited"]) == (0, [])
