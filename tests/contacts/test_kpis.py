"""GET /v1/kpis/contacts: what the contact loop did in a period, overall and per segment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.contacts import service as contacts
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from tests.support.contacts import routed, tasks, touch
from tests.support.days import today
from tests.support.invoices import payment
from tests.support.problems import assert_problem, error_locs
from tests.support.segments import place

pytestmark = pytest.mark.usefixtures("watched")


def week() -> dict[str, str]:
    """The seven days up to today."""
    return {"from": (today() - timedelta(days=7)).isoformat(), "to": today().isoformat()}


def kpis(client: TestClient, headers: dict[str, str], **query: Any) -> dict[str, Any]:
    answer = client.get("/v1/kpis/contacts", params=week() | query, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_touches_issues_caught_promises_disputes_and_tasks_add_up(
    client: TestClient,
    store: Store,
    settings: Settings,
    make_key: Any,
    billing: dict[str, str],
    collector: dict[str, str],
    finance: dict[str, str],
) -> None:
    reports = make_key("reports:read", name="cfo")
    routed(client, store, billing, "inv-1", "c-1")  # due in 10 days
    routed(client, store, billing, "inv-2", "c-1")
    routed(client, store, billing, "inv-3", "c-2", amount=40_000)
    place(store, "c-9", "net_30")
    client.post(
        "/v1/invoice-routes",
        json={"invoice_id": "inv-9", "customer_id": "c-9", "amount": 9_000, "currency": "USD",
              "issued_on": today().isoformat()},
        headers=billing,
    )  # fmt: skip
    pay_on = (today() + timedelta(days=1)).isoformat()
    check = tasks(client, collector, invoice_id="inv-1")[0]
    sent = [
        touch("t-1", task_id=check["id"], outcome="invoice_not_received"),
        touch("t-2", invoice_id="inv-2", outcome="dispute", dispute={"reason": "price"}),
        touch("t-3", invoice_id="inv-3", kind="reminder", channel="email", outcome="no_answer"),
        touch(
            "t-4",
            invoice_id="inv-3",
            outcome="promise_to_pay",
            promise={"amount": 40_000, "currency": "USD", "pay_on": pay_on},
        ),
        touch(
            "t-5",
            invoice_id="inv-9",
            kind="reminder",
            outcome="promise_to_pay",
            promise={"amount": 1_000, "currency": "USD", "pay_on": pay_on},
        ),
    ]
    for body in sent:
        answer = client.post("/v1/touches", json=body, headers=collector)
        assert answer.status_code == 201, answer.text
    dispute_id = client.get("/v1/disputes", headers=finance).json()["items"][0]["id"]
    resolved = client.post(
        f"/v1/disputes/{dispute_id}/resolve", json={"resolution": "invoice_stands"}, headers=finance
    )
    assert resolved.status_code == 200
    assert client.post("/v1/payments", json=payment(invoice_id="inv-3", amount=40_000),
                       headers=billing).status_code == 201  # fmt: skip
    # inv-9's promise breaks; counted on the day it broke (later than this week).
    later = Clock(shift=timedelta(days=settings.promise_grace_days + 2))
    assert contacts.sweep(store, settings, later).broken == 1

    body = kpis(client, reports)
    overall = body["overall"]
    assert overall["touches_by_kind"] == {"reminder": 2, "service_check": 3}
    assert overall["touches_by_outcome"] == {
        "dispute": 1,
        "invoice_not_received": 1,
        "no_answer": 1,
        "promise_to_pay": 2,
    }
    assert overall["issues_caught_before_due"] == {
        "count": 2,
        "money": [{"amount": 250_000, "currency": "USD"}],
    }
    assert overall["promises"] == {"made": 2, "kept": 1, "broken": 0, "kept_rate": 1.0}
    assert overall["disputes"]["opened"] == overall["disputes"]["resolved"] == 1
    assert 0 <= overall["disputes"]["mean_days_to_resolve"] < 0.01
    assert overall["tasks"] == {"due": 0, "done_on_date": 0, "done_on_date_share": None}
    assert set(body["segments"]) == {"watch", "net_30"}
    assert body["segments"]["net_30"]["touches_by_outcome"] == {"promise_to_pay": 1}

    ahead = kpis(client, reports, to=(today() + timedelta(days=30)).isoformat())
    assert ahead["overall"]["promises"]["broken"] == 1
    assert ahead["overall"]["promises"]["kept_rate"] == 0.5
    # The service check of inv-1 was done (before its date); the rest of the plan is ahead.
    assert ahead["overall"]["tasks"]["done_on_date"] == 1
    # inv-1 and inv-2's plans, and the escalation the broken promise added; inv-3 was paid
    # (its tasks cancelled) and inv-9's reminder falls after the period.
    assert ahead["overall"]["tasks"]["due"] == 3 + 3 + 1

    only = kpis(client, reports, segment="watch")
    assert only["segment"] == "watch"
    assert set(only["segments"]) == {"watch"}
    assert only["overall"]["touches_by_outcome"]["promise_to_pay"] == 1


def test_bad_periods_and_segments_are_422(client: TestClient, make_key: Any) -> None:
    reports = make_key("reports:read", name="cfo")
    backwards = client.get(
        "/v1/kpis/contacts", params={"from": "2026-02-01", "to": "2026-01-01"}, headers=reports
    )
    assert error_locs(assert_problem(backwards, 422, "invalid")) == [["query", "to"]]
    unknown = client.get("/v1/kpis/contacts", params=week() | {"segment": "nope"}, headers=reports)
    assert_problem(unknown, 422, "invalid")
