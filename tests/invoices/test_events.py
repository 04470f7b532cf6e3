"""What a new route sets off: one invoice.routed event in the outbox, and the routed counter.

Both happen for new routes only, and only once their transaction has committed.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Connection, event
from sqlalchemy.exc import OperationalError

from app.core.store import Store
from tests.support.invoices import (
    counts,
    events,
    invoice,
    rfc3339,
    route,
    routed_total,
    set_webhook,
)
from tests.support.problems import assert_problem
from tests.support.segments import place


def test_each_new_route_writes_one_invoice_routed_event_and_a_replay_none(
    client: TestClient, store: Store, ops: dict[str, str], billing: dict[str, str]
) -> None:
    set_webhook(client, ops, "net_15")
    place(store, "c-15", "net_15")

    first = route(client, billing, invoice(customer_id="c-15"))
    replay = client.post("/v1/invoice-routes", json=invoice(customer_id="c-15"), headers=billing)
    assert replay.status_code == 200
    second = route(client, billing, invoice("inv-2", customer_id="c-15", amount=9_900))

    written = events(store)
    assert [(e["event_type"], e["workflow_key"], e["status"]) for e in written] == [
        ("invoice.routed", "net_15", "pending"),
        ("invoice.routed", "net_15", "pending"),
    ]
    for row, routed in zip(written, (first, second), strict=True):
        body = row["body"]
        assert set(body) == {"id", "type", "created_at", "data"}
        assert (body["id"], body["type"], body["data"]) == (
            row["event_id"],
            "invoice.routed",
            routed,
        )
        assert rfc3339(body["created_at"]) == rfc3339(routed["routed_at"])
    assert written[0]["event_id"] != written[1]["event_id"]


def test_a_workflow_without_a_webhook_gets_no_event(
    client: TestClient, store: Store, ops: dict[str, str], billing: dict[str, str]
) -> None:
    set_webhook(client, ops, "net_15")  # only net_15 has one; the default route goes elsewhere
    body = route(client, billing, invoice())
    assert body["workflow"] == "pay_on_order"
    assert events(store) == []
    assert counts(store) == (1, 0, 0)


def test_a_webhook_set_between_two_routes_gets_the_second_ones_event(
    client: TestClient, store: Store, ops: dict[str, str], billing: dict[str, str]
) -> None:
    """What a route knows of the workflows is kept per store version: a workflow's change
    must reach the very next route."""
    route(client, billing, invoice())
    set_webhook(client, ops, "pay_on_order")
    route(client, billing, invoice("inv-2"))
    sent = [(e["event_type"], e["body"]["data"]["invoice_id"]) for e in events(store)]
    assert sent == [("invoice.routed", "inv-2")]


def test_routed_counter_grows_by_one_per_new_route_and_not_on_replay_or_conflict(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    place(store, "c-15", "net_15")
    net_15 = routed_total(client, "net_15", "net_15")
    default = routed_total(client, "pay_on_order", "pay_on_order")

    route(client, billing, invoice(customer_id="c-15"))
    assert routed_total(client, "net_15", "net_15") == net_15 + 1
    replay = client.post("/v1/invoice-routes", json=invoice(customer_id="c-15"), headers=billing)
    conflict = client.post("/v1/invoice-routes", json=invoice(customer_id="c-2"), headers=billing)
    assert (replay.status_code, conflict.status_code) == (200, 409)
    assert routed_total(client, "net_15", "net_15") == net_15 + 1
    route(client, billing, invoice("inv-2"))

    assert routed_total(client, "net_15", "net_15") == net_15 + 1
    assert routed_total(client, "pay_on_order", "pay_on_order") == default + 1


def test_a_route_whose_commit_fails_is_503_and_neither_stored_nor_counted(
    client: TestClient, store: Store, ops: dict[str, str], billing: dict[str, str]
) -> None:
    set_webhook(client, ops, "pay_on_order")
    counted = routed_total(client, "pay_on_order", "pay_on_order")

    def lose_the_connection(_connection: Connection) -> None:
        raise OperationalError("COMMIT", None, ConnectionError("server closed the connection"))

    event.listen(store.engine, "commit", lose_the_connection)
    try:
        answer = client.post("/v1/invoice-routes", json=invoice(), headers=billing)
    finally:
        event.remove(store.engine, "commit", lose_the_connection)

    assert_problem(answer, 503, "store-unavailable")
    assert int(answer.headers["retry-after"]) > 0
    assert counts(store) == (0, 0, 0)
    assert routed_total(client, "pay_on_order", "pay_on_order") == counted
    route(client, billing, invoice())
    assert counts(store) == (1, 0, 1)
    assert routed_total(client, "pay_on_order", "pay_on_order") == counted + 1
