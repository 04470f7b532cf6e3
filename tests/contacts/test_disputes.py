"""Disputes: opened by a touch, holding reminders but not service checks, resolved by finance
with the invoice standing or a credit note that lowers what is owed without being cash."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.models import AuditEvent, LedgerChange
from app.core.store import Store
from tests.support.contacts import routed, rows, statuses, touch
from tests.support.invoices import events, payment
from tests.support.problems import assert_problem, error_locs

pytestmark = pytest.mark.usefixtures("watched")


def dispute(
    client: TestClient, headers: dict[str, str], touch_id: str = "t-1", **disputed: Any
) -> dict[str, Any]:
    body = touch(touch_id, outcome="dispute", dispute={"reason": "wrong_delivery", **disputed})
    answer = client.post("/v1/touches", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    opened: dict[str, Any] = answer.json()["dispute"]
    return opened


def resolve(client: TestClient, headers: dict[str, str], dispute_id: str, **body: Any) -> Any:
    return client.post(f"/v1/disputes/{dispute_id}/resolve", json=body, headers=headers)


def owed(client: TestClient, billing: dict[str, str]) -> tuple[str, int]:
    body = client.get("/v1/invoice-routes/inv-1", headers=billing).json()
    return body["status"], body["outstanding"]


def test_a_dispute_holds_reminders_and_escalations_but_not_the_service_check(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    before = len(events(store))
    opened = dispute(client, collector)
    assert opened["id"].startswith("dsp_")
    assert {k: opened[k] for k in ("invoice_id", "customer_id", "reason", "amount", "status")} == {
        "invoice_id": "inv-1",
        "customer_id": "c-1",
        "reason": "wrong_delivery",
        "amount": 125_000,  # the outstanding, by default
        "status": "open",
    }
    assert statuses(client, collector) == {
        "service_check": "open",
        "reminder": "held",
        "escalation": "held",
    }
    sent = events(store)[before:]
    assert [(e["event_type"], e["workflow_key"]) for e in sent] == [("dispute.opened", "net_30")]
    assert sent[0]["body"]["data"]["id"] == opened["id"]
    listed = client.get("/v1/disputes", params={"status": "open"}, headers=collector).json()
    assert [d["id"] for d in listed["items"]] == [opened["id"]]


def test_a_credit_note_lowers_what_is_owed_and_reopens_the_tasks(
    client: TestClient,
    store: Store,
    billing: dict[str, str],
    collector: dict[str, str],
    finance: dict[str, str],
) -> None:
    routed(client, store, billing)
    opened = dispute(client, collector, amount=30_000)
    answer = resolve(
        client, finance, opened["id"], resolution="credit_note", credit_amount=25_000, note="Short."
    )
    assert answer.status_code == 200, answer.text
    resolved = answer.json()
    assert (resolved["status"], resolved["resolution"], resolved["credit_amount"]) == (
        "resolved",
        "credit_note",
        25_000,
    )
    assert owed(client, billing) == ("open", 100_000)
    with store.reading() as session:  # other processes count the lower exposure
        last = session.scalars(select(LedgerChange.owed).order_by(LedgerChange.seq.desc())).first()
    assert last == 100_000
    assert set(statuses(client, collector).values()) == {"open"}
    with store.reading() as session:
        audited = session.execute(
            select(AuditEvent.action, AuditEvent.actor, AuditEvent.reason)
            .where(AuditEvent.entity_type == "dispute")
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(row) for row in audited] == [
        ("dispute.opened", "collector", None),
        ("dispute.resolved", "finance", "Short."),
    ]
    again = resolve(client, finance, opened["id"], resolution="invoice_stands")
    assert_problem(again, 409, "conflict")


def test_a_credit_note_that_settles_the_invoice_cancels_its_tasks(
    client: TestClient,
    store: Store,
    billing: dict[str, str],
    collector: dict[str, str],
    finance: dict[str, str],
) -> None:
    routed(client, store, billing)
    assert (
        client.post("/v1/payments", json=payment(amount=100_000), headers=billing).status_code
        == 201
    )
    opened = dispute(client, collector)
    assert opened["amount"] == 25_000
    credited = resolve(
        client, finance, opened["id"], resolution="credit_note", credit_amount=25_000
    )
    assert credited.status_code == 200, credited.text
    assert owed(client, billing) == ("paid", 0)
    assert set(statuses(client, collector).values()) == {"cancelled"}


def test_the_invoice_stands(
    client: TestClient,
    store: Store,
    billing: dict[str, str],
    collector: dict[str, str],
    finance: dict[str, str],
) -> None:
    routed(client, store, billing)
    opened = dispute(client, collector)
    stands = resolve(client, finance, opened["id"], resolution="invoice_stands", note="Delivered.")
    assert stands.status_code == 200, stands.text
    assert stands.json()["credit_amount"] is None
    assert owed(client, billing) == ("open", 125_000)
    assert set(statuses(client, collector).values()) == {"open"}


def test_bad_disputes_and_resolutions_are_refused_and_change_nothing(
    client: TestClient,
    store: Store,
    billing: dict[str, str],
    collector: dict[str, str],
    finance: dict[str, str],
) -> None:
    routed(client, store, billing)
    routed(client, store, billing, invoice_id="inv-2")
    opened = dispute(client, collector, amount=30_000)
    before = rows(store)

    second = touch("t-2", outcome="dispute", dispute={"reason": "price"})
    assert_problem(client.post("/v1/touches", json=second, headers=collector), 409, "conflict")
    too_much = touch(
        "t-3", invoice_id="inv-2", outcome="dispute", dispute={"reason": "price", "amount": 125_001}
    )
    refused = client.post("/v1/touches", json=too_much, headers=collector)
    assert error_locs(assert_problem(refused, 422, "invalid")) == [["body", "dispute", "amount"]]
    unknown_reason = touch("t-4", invoice_id="inv-2", outcome="dispute", dispute={"reason": "x"})
    assert_problem(
        client.post("/v1/touches", json=unknown_reason, headers=collector), 422, "invalid"
    )

    over = resolve(client, finance, opened["id"], resolution="credit_note", credit_amount=30_001)
    assert error_locs(assert_problem(over, 422, "invalid")) == [["body", "credit_amount"]]
    bare = resolve(client, finance, opened["id"], resolution="credit_note")
    assert_problem(bare, 422, "invalid")
    stray = resolve(client, finance, opened["id"], resolution="invoice_stands", credit_amount=1)
    assert_problem(stray, 422, "invalid")
    assert_problem(
        resolve(client, finance, "dsp_nope", resolution="invoice_stands"), 404, "not-found"
    )
    assert_problem(
        resolve(client, collector, opened["id"], resolution="invoice_stands"), 403, "forbidden"
    )
    assert rows(store) == before
    assert owed(client, billing) == ("open", 125_000)


def test_a_paid_invoice_cannot_be_disputed(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    assert (
        client.post("/v1/payments", json=payment(amount=125_000), headers=billing).status_code
        == 201
    )
    before = rows(store)
    body = touch(outcome="dispute", dispute={"reason": "quality"})
    assert_problem(client.post("/v1/touches", json=body, headers=collector), 409, "conflict")
    assert rows(store) == before
