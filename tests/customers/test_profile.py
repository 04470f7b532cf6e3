"""GET /v1/customers/{id}: why a customer has the terms it has, and how it got there."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.keys import KeyMaker
from tests.support.payment_history import AS_OF, Bill, bill, record, start_run
from tests.support.problems import assert_problem

DAY = timedelta(days=1)


def profile_of(client: TestClient, headers: dict[str, str], customer_id: str) -> dict[str, Any]:
    answer = client.get(f"/v1/customers/{customer_id}", headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def late_payer(customer_id: str) -> list[Bill]:
    """Four counting invoices, one 30 days late, plus open ones in USD and EUR."""
    bills = [
        bill(
            customer_id,
            f"{customer_id}-{number}",
            due_on=AS_OF - (60 + number) * DAY,
            paid_on=AS_OF - (60 + number) * DAY + (30 if number == 1 else 0) * DAY,
        )
        for number in range(4)
    ]
    partly = ((AS_OF - DAY, 2_500),)
    bills.append(
        Bill(
            customer_id, f"{customer_id}-partly", 10_000, AS_OF - 5 * DAY, AS_OF + 25 * DAY, partly
        )
    )
    bills.append(
        bill(
            customer_id, f"{customer_id}-eur", due_on=AS_OF + 20 * DAY, amount=7_000, currency="EUR"
        )
    )
    return bills


def test_unknown_customer_is_404(client: TestClient, make_key: KeyMaker) -> None:
    reports = make_key("reports:read")
    assert_problem(client.get("/v1/customers/c-nobody", headers=reports), 404, "not-found")
    assert_problem(client.get("/v1/customers/bad%20id", headers=reports), 422, "invalid")


def test_profile_needs_reports_read(
    client: TestClient, store: Store, ops: dict[str, str], make_key: KeyMaker
) -> None:
    record(store, late_payer("c-1"))
    assert_problem(client.get("/v1/customers/c-1"), 401, "unauthenticated")
    assert_problem(client.get("/v1/customers/c-1", headers=ops), 403, "forbidden")
    assert client.get("/v1/customers/c-1", headers=make_key("admin")).status_code == 200


def test_a_customer_never_classified_has_the_default_segment_and_live_receivables(
    client: TestClient, store: Store, make_key: KeyMaker
) -> None:
    record(store, late_payer("c-1"))
    body = profile_of(client, make_key("reports:read"), "c-1")
    assert body == {
        "customer_id": "c-1",
        "segment": "pay_on_order",
        "source": "default",
        "payer_class": None,
        "value_tier": None,
        "metrics": None,
        "classified_by_run": None,
        "classified_as_of": None,
        "open_receivables": [
            {"amount": 7_000, "currency": "EUR"},
            {"amount": 7_500, "currency": "USD"},
        ],
        "promises": {"made": 0, "kept": 0, "broken": 0, "open": 0, "kept_rate": None},
        "disputes_open": 0,
        "credited": [],
        "history": [],
        "why": [
            "Not classified by an applied run: on pay_on_order, the policy's segment for new "
            "customers."
        ],
    }


def test_profile_shows_the_last_applied_run_and_the_numbers_behind_it(
    client: TestClient, store: Store, ops: dict[str, str], make_key: KeyMaker
) -> None:
    record(store, late_payer("c-1"))
    applied = start_run(client, ops, dry_run=False)
    start_run(client, ops, as_of=AS_OF + 10 * DAY)  # a dry run leaves profiles alone
    body = profile_of(client, make_key("reports:read"), "c-1")
    assert (body["segment"], body["source"]) == ("net_15", "segment")
    assert (body["payer_class"], body["value_tier"]) == ("average", "standard")
    assert (body["classified_by_run"], body["classified_as_of"]) == (applied["id"], "2024-06-30")
    assert body["metrics"] == {
        "invoices_counted": 4,
        "invoices_late": 1,
        "invoices_paid": 4,
        "avg_days_late": 7.5,  # 0, 30, 0, 0
        "late_share": 0.25,
        "avg_days_to_pay": 37.5,  # 30, 60, 30, 30
        "revenue": {"amount": 50_000, "currency": "USD"},
        "margin_share": None,
        "broken_promises": 0,
    }
    assert body["why"] == [
        "An average payer: average 7.5 days late, over the 2 allowed for good payers and 25% of "
        "invoices late, over the 10% allowed for good payers; within the 10 days and 50% allowed "
        "for average payers.",
        "Standard value: revenue USD 500.00, under the USD 100000.00 of the high tier.",
        "Policy version 1 places average payers of standard value on net_15.",
    ]
    [moved] = body["history"]
    assert {key: moved[key] for key in ("kind", "from", "to", "run_id", "by")} == {
        "kind": "run",
        "from": None,
        "to": "net_15",
        "run_id": applied["id"],
        "by": f"run:{applied['id']}",
    }
    assert moved["at"]


def test_history_names_the_run_or_key_behind_every_change(
    client: TestClient, store: Store, ops: dict[str, str], make_key: KeyMaker
) -> None:
    record(store, late_payer("c-1"))
    run = start_run(client, ops, dry_run=False)
    pin = {"segment": "pay_on_order", "reason": "disputes"}
    assert client.put("/v1/customers/c-1/override", json=pin, headers=ops).status_code == 200
    assert client.delete("/v1/customers/c-1/override", headers=ops).status_code == 204
    sales = make_key("exceptions:request", name="sales")
    finance = make_key("exceptions:approve", name="finance")
    asked = {"customer_id": "c-1", "segment": "net_30", "reason": "strategic account"}
    requested = client.post("/v1/term-exceptions", json=asked, headers=sales)
    assert requested.status_code == 201, requested.text
    exception_id = requested.json()["id"]
    approve = client.post(f"/v1/term-exceptions/{exception_id}/approve", headers=finance)
    assert approve.status_code == 200, approve.text
    body = profile_of(client, make_key("reports:read"), "c-1")
    assert (body["segment"], body["source"]) == ("net_30", "exception")
    assert [
        (item["kind"], item["from"], item["to"], item["run_id"], item["by"])
        for item in body["history"]
    ] == [
        ("run", None, "net_15", run["id"], f"run:{run['id']}"),
        ("override", "net_15", "pay_on_order", None, "ops"),
        ("override_removed", "pay_on_order", "net_15", None, "ops"),
        ("exception", "net_15", "net_30", None, "finance"),
    ]
    # A later run leaves the customer where the exception holds it, and says so.
    record(store, [bill("c-1", "c-1-late", due_on=AS_OF - 50 * DAY, paid_on=AS_OF)])
    later = start_run(client, ops, dry_run=False)
    assert (later["moved"], later["held"]) == (0, 1)
    assert profile_of(client, make_key("reports:read"), "c-1")["source"] == "exception"


def test_a_customer_with_only_an_override_has_a_profile(
    client: TestClient, ops: dict[str, str], make_key: KeyMaker
) -> None:
    pin = {"segment": "pay_on_order", "reason": "new, unknown"}
    assert client.put("/v1/customers/c-2/override", json=pin, headers=ops).status_code == 200
    body = profile_of(client, make_key("reports:read"), "c-2")
    assert (body["segment"], body["source"], body["open_receivables"]) == (
        "pay_on_order",
        "override",
        [],
    )
    assert [(item["kind"], item["from"], item["to"]) for item in body["history"]] == [
        ("override", "pay_on_order", "pay_on_order")
    ]
