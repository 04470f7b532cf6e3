"""POST/GET /v1/invoice-routes: where each invoice goes and when it is due, decided once."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from tests.support.invoices import (
    ISSUED_ON,
    counts,
    invoice,
    rfc3339,
    route,
    set_webhook,
    store_version,
)
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem, error_locs
from tests.support.segments import place

PAY_ON_ORDER = {"type": "pay_on_order", "net_days": 0}
NET_15 = {"type": "net", "net_days": 15}


def on(day: date) -> str:
    return day.isoformat()


# -- what decides the route -------------------------------------------------------------------


def test_unplaced_customer_is_routed_pay_on_order_by_the_policy_default(
    client: TestClient, billing: dict[str, str], clock: Clock
) -> None:
    before = clock.now()
    answer = client.post("/v1/invoice-routes", json=invoice(), headers=billing)
    after = clock.now()

    assert answer.status_code == 201
    assert answer.headers["content-type"] == "application/json"
    assert "idempotent-replayed" not in answer.headers
    body = answer.json()
    routed_at = rfc3339(body.pop("routed_at"))
    assert before <= routed_at <= after
    assert body == {
        "invoice_id": "inv-1",
        "customer_id": "c-1",
        "order_id": None,
        "amount": 125_000,
        "currency": "USD",
        "segment": "pay_on_order",
        "workflow": "pay_on_order",
        "source": "default",
        "terms": PAY_ON_ORDER,
        "issued_on": on(ISSUED_ON),
        "due_on": on(ISSUED_ON),
        "contact_plan": [],
        "stripe": {"collection_method": "charge_automatically", "days_until_due": None},
        "policy_version": 1,
        "decision_id": None,
    }


def test_net_15_customer_is_due_15_days_after_issue_with_the_default_contact_plan(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    place(store, "c-15", "net_15")
    # Across a leap day and a month end: 2024-02-20 + 15 days is 2024-03-06.
    issued_on = date(2024, 2, 20)
    due_on = issued_on + timedelta(days=15)

    body = route(client, billing, invoice(customer_id="c-15", issued_on=on(issued_on)))

    assert (body["segment"], body["workflow"], body["source"]) == ("net_15", "net_15", "segment")
    assert body["terms"] == NET_15
    assert (body["issued_on"], body["due_on"]) == (on(issued_on), on(due_on))
    assert body["due_on"] == "2024-03-06"
    assert body["stripe"] == {"collection_method": "send_invoice", "days_until_due": 15}
    assert body["contact_plan"] == [
        {"on": on(due_on - timedelta(days=5)), "channel": "phone", "kind": "service_check"},
        {"on": on(due_on + timedelta(days=3)), "channel": "email", "kind": "reminder"},
    ]


def test_override_decides_the_route_with_source_override(
    client: TestClient, store: Store, ops: dict[str, str], billing: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    pinned = client.put(
        "/v1/customers/c-1/override",
        json={"segment": "net_15", "reason": "two late payments"},
        headers=ops,
    )
    assert pinned.status_code == 200

    body = route(client, billing, invoice())

    assert (body["segment"], body["workflow"], body["source"]) == ("net_15", "net_15", "override")
    assert body["terms"] == NET_15
    assert body["due_on"] == on(ISSUED_ON + timedelta(days=15))


def test_steps_relative_to_issue_are_dated_from_issued_on_and_the_plan_is_in_date_order(
    client: TestClient, store: Store, ops: dict[str, str], billing: dict[str, str]
) -> None:
    segment = {
        "name": "Net 10 with statements",
        "terms": {"type": "net", "net_days": 10},
        "workflow": "net_15",
        "contact_plan": [
            {"offset_days": 20, "relative_to": "issue", "channel": "letter", "kind": "escalation"},
            {"offset_days": 1, "relative_to": "issue", "channel": "portal", "kind": "statement"},
            {"offset_days": -2, "relative_to": "due", "channel": "email", "kind": "reminder"},
        ],
    }
    assert client.put("/v1/segments/net_10", json=segment, headers=ops).status_code == 201
    place(store, "c-10", "net_10")
    issued_on = date(2026, 10, 28)  # steps fall either side of a month end
    due_on = issued_on + timedelta(days=10)

    body = route(client, billing, invoice(customer_id="c-10", issued_on=on(issued_on)))

    assert (body["segment"], body["workflow"], body["due_on"]) == ("net_10", "net_15", on(due_on))
    assert body["contact_plan"] == [
        {"on": on(issued_on + timedelta(days=1)), "channel": "portal", "kind": "statement"},
        {"on": on(due_on - timedelta(days=2)), "channel": "email", "kind": "reminder"},
        {"on": on(issued_on + timedelta(days=20)), "channel": "letter", "kind": "escalation"},
    ]


def test_the_route_is_a_snapshot_later_segment_changes_do_not_touch_it(
    client: TestClient, store: Store, ops: dict[str, str], billing: dict[str, str]
) -> None:
    place(store, "c-15", "net_15")
    routed = route(client, billing, invoice(customer_id="c-15"))
    segment = client.get("/v1/segments/net_15", headers=ops)
    changed = {
        "name": "Net 20",
        "terms": {"type": "net", "net_days": 20},
        "workflow": "net_15",
        "contact_plan": [],
    }
    headers = {**ops, "If-Match": segment.headers["etag"]}
    assert client.put("/v1/segments/net_15", json=changed, headers=headers).status_code == 200

    answer = client.get("/v1/invoice-routes/inv-1", headers=billing)

    assert answer.status_code == 200
    assert answer.json() == routed | {"status": "open", "outstanding": 125_000}
    assert answer.json()["terms"] == NET_15
    assert answer.json()["due_on"] == on(ISSUED_ON + timedelta(days=15))
    later = route(client, billing, invoice("inv-2", customer_id="c-15"))
    assert (later["terms"]["net_days"], later["contact_plan"]) == (20, [])
    assert later["due_on"] == on(ISSUED_ON + timedelta(days=20))


# -- idempotency by invoice_id --------------------------------------------------------------


def test_replay_of_the_same_body_is_200_with_the_original_route(
    client: TestClient, store: Store, billing: dict[str, str], clock: Clock
) -> None:
    first = route(client, billing, invoice())
    clock.shift = timedelta(minutes=10)  # a retry, later: routed_at stays the original's

    again = client.post("/v1/invoice-routes", json=invoice(), headers=billing)

    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first
    assert counts(store) == (1, 0, 0)
    fetched = client.get("/v1/invoice-routes/inv-1", headers=billing).json()
    assert fetched["routed_at"] == first["routed_at"]


def test_same_invoice_id_with_another_body_is_409_and_changes_nothing(
    client: TestClient, store: Store, ops: dict[str, str], billing: dict[str, str]
) -> None:
    set_webhook(client, ops, "pay_on_order")
    first = route(client, billing, invoice())
    version = store_version(store)
    others = [
        invoice(amount=125_001),
        invoice(customer_id="c-2"),
        invoice(issued_on="2026-11-03"),
        invoice(order_id="o-1"),
        invoice(sales_owner="dana@example.com"),
    ]
    for other in others:
        answer = client.post("/v1/invoice-routes", json=other, headers=billing)
        body = assert_problem(answer, 409, "conflict")
        assert "inv-1" in body["detail"]
        assert "idempotent-replayed" not in answer.headers

    fetched = client.get("/v1/invoice-routes/inv-1", headers=billing).json()
    assert fetched == first | {"status": "open", "outstanding": 125_000}
    assert counts(store) == (1, 0, 1)
    assert store_version(store) == version


def test_key_order_and_explicit_nulls_for_omitted_fields_are_still_a_replay(
    client: TestClient, billing: dict[str, str]
) -> None:
    first = route(client, billing, invoice())
    reordered: dict[str, Any] = dict(reversed(list(invoice().items())))
    spelled_out = reordered | {"order_id": None, "gross_margin": None, "sales_owner": None}

    for body in (reordered, spelled_out):
        answer = client.post("/v1/invoice-routes", json=body, headers=billing)
        assert answer.status_code == 200
        assert answer.headers["idempotent-replayed"] == "true"
        assert answer.json() == first


def test_optional_fields_are_part_of_the_body_a_replay_must_match(
    client: TestClient, billing: dict[str, str]
) -> None:
    full = invoice(order_id="o-9", gross_margin=-2_500, sales_owner="Dana Ng")
    first = route(client, billing, full)
    assert first["order_id"] == "o-9"
    assert client.post("/v1/invoice-routes", json=full, headers=billing).status_code == 200
    without = client.post("/v1/invoice-routes", json=invoice(), headers=billing)
    assert_problem(without, 409, "conflict")


# -- what is refused ----------------------------------------------------------------------------


def test_invalid_fields_are_422_problems_naming_the_field_and_nothing_is_written(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    without_issued_on = invoice()
    del without_issued_on["issued_on"]
    cases = [
        (invoice(currency="usd"), ["body", "currency"]),
        (invoice(currency="XYZ"), ["body", "currency"]),
        (invoice(amount=-1), ["body", "amount"]),
        (invoice(amount=1.5), ["body", "amount"]),
        (invoice("inv 1"), ["body", "invoice_id"]),
        (invoice("inv/1"), ["body", "invoice_id"]),
        (invoice("x" * 129), ["body", "invoice_id"]),
        (invoice(customer_id="c#1"), ["body", "customer_id"]),
        (invoice(status="paid"), ["body", "status"]),
        (without_issued_on, ["body", "issued_on"]),
        (invoice(issued_on="2026-02-30"), ["body", "issued_on"]),
    ]
    version = store_version(store)
    for body, loc in cases:
        answer = client.post("/v1/invoice-routes", json=body, headers=billing)
        assert error_locs(assert_problem(answer, 422, "invalid")) == [loc], body
    assert counts(store) == (0, 0, 0)
    assert store_version(store) == version


def test_an_issue_date_whose_due_date_would_leave_the_calendar_is_422_not_a_crash(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    place(store, "c-15", "net_15")  # due 15 days on, a contact step 3 days after that
    for issued_on in ("9999-12-25", "0001-01-01"):
        body = invoice(customer_id="c-15", issued_on=issued_on)
        answer = client.post("/v1/invoice-routes", json=body, headers=billing)
        assert error_locs(assert_problem(answer, 422, "invalid")) == [["body", "issued_on"]]
    items = [invoice("inv-far", customer_id="c-15", issued_on="9999-12-25"), invoice("inv-2")]
    batch = client.post("/v1/invoice-routes/batch", json={"invoices": items}, headers=billing)
    assert [r["status"] for r in batch.json()["results"]] == [422, 201]
    assert counts(store) == (1, 0, 0)


def test_routing_needs_invoices_write_and_reading_needs_invoices_read(
    client: TestClient, store: Store, make_key: KeyMaker
) -> None:
    checkout = make_key("terms:read")
    reader = make_key("invoices:read")
    writer = make_key("invoices:write")

    assert_problem(client.post("/v1/invoice-routes", json=invoice()), 401, "unauthenticated")
    for headers in (checkout, reader):
        answer = client.post("/v1/invoice-routes", json=invoice(), headers=headers)
        assert_problem(answer, 403, "forbidden")
    assert counts(store) == (0, 0, 0)

    assert client.post("/v1/invoice-routes", json=invoice(), headers=writer).status_code == 201
    assert_problem(client.get("/v1/invoice-routes/inv-1"), 401, "unauthenticated")
    for headers in (checkout, writer):
        assert_problem(client.get("/v1/invoice-routes/inv-1", headers=headers), 403, "forbidden")
    assert client.get("/v1/invoice-routes/inv-1", headers=reader).status_code == 200
    admin = make_key("admin")
    assert client.post("/v1/invoice-routes", json=invoice(), headers=admin).status_code == 200


def test_get_unknown_route_is_404_and_a_bad_id_is_422(
    client: TestClient, billing: dict[str, str]
) -> None:
    assert_problem(client.get("/v1/invoice-routes/inv-nope", headers=billing), 404, "not-found")
    answer = client.get("/v1/invoice-routes/inv%201", headers=billing)
    assert error_locs(assert_problem(answer, 422, "invalid")) == [["path", "invoice_id"]]
