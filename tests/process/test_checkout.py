"""Checkout across real server processes on PostgreSQL: what one replica learns, the other
decides by within a second; and a server stopped cleanly has recorded every decision it gave."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select, update

from app.core.models import CheckoutDecision, Segment
from tests.support.harness import (
    app_transaction,
    bearer,
    create_key,
    http,
    place,
    terms,
    visible_by,
    within,
)
from tests.support.launch import Launch

pytestmark = pytest.mark.process

POSTGRESQL_BOUND = 1.0
DECISIONS = "/v1/checkout/decisions"


def decide(client: httpx.Client, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    body = {"customer_id": "c-1", "order_id": "o-1", "amount": 50_000, "currency": "USD"}
    answer = client.post(DECISIONS, json=body | changes, headers=headers)
    assert answer.status_code == 200, answer.text
    decided: dict[str, Any] = answer.json()
    return decided


def route(client: httpx.Client, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    body = {
        "invoice_id": "inv-1",
        "customer_id": "c-1",
        "amount": 80_000,
        "currency": "USD",
        "issued_on": "2026-11-02",
    }
    answer = client.post("/v1/invoice-routes", json=body | changes, headers=headers)
    assert answer.status_code == 201, answer.text
    routed: dict[str, Any] = answer.json()
    return routed


def limit_credit(database_url: str, segment: str, amount: int) -> None:
    with app_transaction(database_url) as (connection, _version):
        connection.execute(
            update(Segment)
            .where(Segment.key == segment)
            .values(credit_limit_amount=amount, credit_limit_currency="USD")
        )


def test_a_route_and_a_payment_through_one_replica_move_credit_on_the_other_within_a_second(
    pg_database: str, launch: Launch
) -> None:
    headers = bearer(create_key(pg_database, "admin-1", "admin"))
    place(pg_database, "c-1", "net_30")
    limit_credit(pg_database, "net_30", 100_000)
    a = launch(pg_database, "--no-migrate")
    b = launch(pg_database, "--no-migrate")
    with http(a) as on_a, http(b) as on_b:
        assert decide(on_b, headers)["outcome"] == "net_terms"
        route(on_a, headers)  # open receivables: 80,000; with the order, 130,000 > 100,000
        refused = visible_by(
            within(POSTGRESQL_BOUND),
            lambda: decide(on_b, headers),
            lambda body: body["outcome"] == "pay_on_order",
            "credit on B after a route on A",
        )
        assert refused["reasons"] == ["credit_limit_exceeded"]
        assert refused["open_receivables"] == 80_000

        payment = {
            "payment_id": "pay-1",
            "invoice_id": "inv-1",
            "amount": 40_000,
            "currency": "USD",
            "paid_on": "2026-11-10",
        }
        assert on_a.post("/v1/payments", json=payment, headers=headers).status_code == 201
        granted = visible_by(
            within(POSTGRESQL_BOUND),
            lambda: decide(on_b, headers),
            lambda body: body["outcome"] == "net_terms",
            "credit on B after a payment on A",
        )
        assert granted["open_receivables"] == 40_000


def test_an_order_granted_on_one_replica_holds_credit_on_the_other_until_released(
    pg_database: str, launch: Launch
) -> None:
    """Orders of 15,000 against a 20,000 limit, alternating between two replicas: once the
    first (granted) is a second old, every other is refused; releasing it lets the next in."""
    headers = bearer(create_key(pg_database, "admin-1", "admin"))
    place(pg_database, "c-1", "net_30")
    limit_credit(pg_database, "net_30", 20_000)
    a = launch(pg_database, "--no-migrate")
    b = launch(pg_database, "--no-migrate")
    with http(a) as on_a, http(b) as on_b:
        first = decide(on_a, headers, order_id="o-0", amount=15_000)
        assert first["outcome"] == "net_terms"
        visible_by(
            within(POSTGRESQL_BOUND),
            lambda: decide(on_b, headers, order_id="o-probe", amount=0),  # holds nothing
            lambda body: body["exposure"]["amount"] == 15_000,
            "A's order held on B",
        )
        for number in range(1, 9):
            on = on_a if number % 2 else on_b
            refused = decide(on, headers, order_id=f"o-{number}", amount=15_000)
            assert refused["outcome"] == "pay_on_order", (number, refused)
            assert refused["reasons"] == ["credit_limit_exceeded"]
            assert refused["exposure"] == {"amount": 15_000, "currency": "USD"}

        released = on_b.post(f"{DECISIONS}/{first['decision_id']}/release", headers=headers)
        assert released.status_code == 200, released.text
        granted = visible_by(
            within(POSTGRESQL_BOUND),
            lambda: decide(on_a, headers, order_id="o-next", amount=15_000),
            lambda body: body["outcome"] == "net_terms",
            "the release on B seen by A",
        )
        assert granted["exposure"] == {"amount": 0, "currency": "USD"}


def test_a_decision_on_one_replica_binds_the_invoice_routed_on_the_other(
    pg_database: str, launch: Launch
) -> None:
    headers = bearer(create_key(pg_database, "admin-1", "admin"))
    place(pg_database, "c-1", "net_30")
    a = launch(pg_database, "--no-migrate")
    b = launch(pg_database, "--no-migrate")
    with http(a) as on_a, http(b) as on_b:
        decided = decide(on_a, headers, requested_terms={"type": "net", "net_days": 15})
        # Recorded within the flush interval (0.2 s), then readable on any replica.
        visible_by(
            within(POSTGRESQL_BOUND),
            lambda: on_b.get(f"{DECISIONS}/{decided['decision_id']}", headers=headers).status_code,
            (200).__eq__,
            "the decision on B",
        )
        routed = route(on_b, headers, order_id="o-1")
        assert routed["terms"] == {"type": "net", "net_days": 15}
        assert routed["decision_id"] == decided["decision_id"]


def test_a_server_stopped_cleanly_has_recorded_every_decision_it_answered(
    pg_database: str, launch: Launch
) -> None:
    headers = bearer(create_key(pg_database, "admin-1", "admin"))
    # Nothing is written on the interval during the test: only the shutdown can record them.
    server = launch(
        pg_database, "--no-migrate", workers=2, env={"TERMSGATE_DECISION_FLUSH_SECONDS": "10"}
    )
    answered = set()
    with http(server) as client:
        for n in range(400):
            answered.add(decide(client, headers, order_id=f"o-{n}")["decision_id"])
    server.stop()
    engine = create_engine(pg_database)
    try:
        with engine.connect() as connection:
            stored = set(connection.scalars(select(CheckoutDecision.decision_id)))
            count = connection.scalar(select(func.count()).select_from(CheckoutDecision))
    finally:
        engine.dispose()
    assert stored == answered
    assert count == 400


def test_an_exception_approved_through_one_replica_decides_on_the_other_within_a_second(
    pg_database: str, launch: Launch
) -> None:
    sales = bearer(create_key(pg_database, "sales-1", "exceptions:request"))
    finance = bearer(create_key(pg_database, "finance-1", "exceptions:approve"))
    checkout = bearer(create_key(pg_database, "checkout-1", "terms:read"))
    place(pg_database, "c-1", "pay_on_order")
    a = launch(pg_database, "--no-migrate")
    b = launch(pg_database, "--no-migrate")
    with http(a) as on_a, http(b) as on_b:
        assert decide(on_b, checkout)["outcome"] == "pay_on_order"
        request = {"customer_id": "c-1", "segment": "net_30", "reason": "strategic account"}
        asked = on_a.post("/v1/term-exceptions", json=request, headers=sales)
        assert asked.status_code == 201, asked.text
        approved = on_a.post(
            f"/v1/term-exceptions/{asked.json()['id']}/approve",
            json={"note": "two quarters"},
            headers=finance,
        )
        assert approved.status_code == 200, approved.text

        at_once = decide(on_a, checkout)
        assert (at_once["outcome"], at_once["source"]) == ("net_terms", "exception")
        elsewhere = visible_by(
            within(POSTGRESQL_BOUND),
            lambda: decide(on_b, checkout),
            lambda body: body["source"] == "exception",
            "the exception on B",
        )
        assert (elsewhere["terms"], elsewhere["reasons"]) == (
            {"type": "net", "net_days": 30},
            ["exception_applied"],
        )
        status, looked_up = terms(on_b, "c-1", checkout)
        assert (status, looked_up["segment"], looked_up["source"]) == (200, "net_30", "exception")
