"""Mixed checkout and billing traffic on PostgreSQL, one server of two workers: 0 errors.

Checkout's lookups and decisions, billing's routes and the payments of the invoices it routed,
sent from closed-loop keep-alive connections on loopback against demo customers placed by a real
segmentation run. Every answer is checked; afterwards every acknowledged route and payment is in
the store exactly once, and each kind's p50/p99 is reported. CI runs 8 s; `make reliability`
runs the full 60 s.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from dataclasses import dataclass, field

import orjson
import pytest
from sqlalchemy import create_engine, text

from tests.support import loadgen
from tests.support.figures import Figure
from tests.support.harness import bearer, cli_env, create_key
from tests.support.launch import Launch
from tests.support.loadgen import Connection, Tally
from tests.support.server import termsgate

pytestmark = [pytest.mark.process, pytest.mark.xdist_group("machine")]

CONNECTIONS = 16
CUSTOMERS = 200
# Out of 100 requests: checkout dominates, as it does in a shop.
MIX = {"lookup": 55, "decision": 25, "route": 12, "payment": 8}
LOOKUP = "/v1/customers/{}/terms"


@dataclass(slots=True)
class Billing:
    """What one connection's billing side has had acknowledged."""

    routed: dict[str, int] = field(default_factory=dict)  # invoice id -> amount
    paid: dict[str, int] = field(default_factory=dict)  # payment id -> amount
    unpaid: list[str] = field(default_factory=list)


@pytest.mark.parametrize("seconds", [8, pytest.param(60, marks=pytest.mark.long)])
def test_mixed_traffic_on_two_workers_answers_every_request_and_loses_no_write(
    seconds: int, pg_database: str, launch: Launch, figure: Figure
) -> None:
    for command in (("demo", "--customers", str(CUSTOMERS), "--seed", "7"), ("segment", "--apply")):
        done = termsgate(*command, env=cli_env(pg_database))
        assert done.returncode == 0, done.stderr
    customers = _customers(pg_database)
    checkout = bearer(create_key(pg_database, "shop", "terms:read"))
    billing_key = bearer(create_key(pg_database, "billing", "invoices:write"))
    server = launch(pg_database, "--no-migrate", workers=2)

    tallies: dict[str, Tally] = defaultdict(Tally)
    ledgers = [Billing() for _ in range(CONNECTIONS)]
    kinds = [kind for kind, weight in MIX.items() for _ in range(weight)]

    def step(index: int) -> loadgen.Step:
        draw = random.Random(index)
        ledger = ledgers[index]
        counter = iter(range(10**9))

        async def one(connection: Connection) -> None:
            kind = draw.choice(kinds)
            if kind == "payment" and not ledger.unpaid:
                kind = "route"
            customer = draw.choice(customers)
            n = next(counter)
            tally = tallies[kind]
            if kind == "lookup":
                await _lookup(connection, tally, checkout, customer)
            elif kind == "decision":
                order = {"customer_id": customer, "order_id": f"o-{index}-{n}"}
                body = {**order, "amount": draw.randrange(1_000, 500_000), "currency": "USD"}
                await loadgen.send(
                    connection, tally, 200, "POST", "/v1/checkout/decisions", checkout, body
                )
            elif kind == "route":
                invoice_id, amount = f"ld-{index}-{n}", draw.randrange(1_000, 500_000)
                body = {
                    "invoice_id": invoice_id,
                    "customer_id": customer,
                    "amount": amount,
                    "currency": "USD",
                    "issued_on": "2026-11-02",
                }
                routed = await loadgen.send(
                    connection, tally, 201, "POST", "/v1/invoice-routes", billing_key, body
                )
                if routed is not None:
                    ledger.routed[invoice_id] = amount
                    ledger.unpaid.append(invoice_id)
            else:
                invoice_id = ledger.unpaid.pop(0)
                payment_id, amount = f"lp-{index}-{n}", ledger.routed[invoice_id]
                body = {
                    "payment_id": payment_id,
                    "invoice_id": invoice_id,
                    "amount": amount,
                    "currency": "USD",
                    "paid_on": "2026-11-20",
                }
                paid = await loadgen.send(
                    connection, tally, 201, "POST", "/v1/payments", billing_key, body
                )
                if paid is not None:
                    ledger.paid[payment_id] = amount

        return one

    asyncio.run(loadgen.run(server.port, CONNECTIONS, seconds, step))
    server.stop()

    errors = [error for tally in tallies.values() for error in tally.errors]
    answered = sum(len(tally.seconds) for tally in tallies.values())
    routed = {i: a for ledger in ledgers for i, a in ledger.routed.items()}
    paid = {i: a for ledger in ledgers for i, a in ledger.paid.items()}
    stored_routes, stored_payments = _stored(pg_database)

    figure("10", f"{seconds} s mixed load, 2 workers, PostgreSQL: requests answered", answered)
    figure("10", f"{seconds} s mixed load: rate", f"{answered / seconds:,.0f} req/s")
    figure("10", f"{seconds} s mixed load: errors", len(errors))
    for kind in MIX:
        tally = tallies[kind]
        figure(
            "10",
            f"{seconds} s mixed load: {kind}",
            f"{len(tally.seconds):,} answered, p50 {tally.percentile(0.5) * 1000:.1f} ms, "
            f"p99 {tally.percentile(0.99) * 1000:.1f} ms",
        )
    figure(
        "10",
        f"{seconds} s mixed load: acknowledged writes found in the store",
        f"{len(stored_routes)}/{len(routed)} routes, {len(stored_payments)}/{len(paid)} payments",
    )
    assert errors == [], errors[:10]
    assert all(tallies[kind].seconds for kind in MIX)
    assert stored_routes == routed
    assert stored_payments == paid


async def _lookup(
    connection: Connection, tally: Tally, headers: dict[str, str], customer: str
) -> None:
    answer = await loadgen.send(connection, tally, 200, "GET", LOOKUP.format(customer), headers)
    if answer is not None:
        body = orjson.loads(answer.body)
        if body["customer_id"] != customer or body["stale"]:
            tally.errors.append(f"lookup of {customer}: {body}")


def _customers(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as db:
            ids = db.execute(text("SELECT customer_id FROM customers ORDER BY 1")).scalars()
            found = list(ids)
    finally:
        engine.dispose()
    assert len(found) == CUSTOMERS
    return found


def _stored(database_url: str) -> tuple[dict[str, int], dict[str, int]]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as db:
            routes = db.execute(
                text("SELECT invoice_id, amount FROM invoices WHERE invoice_id LIKE 'ld-%'")
            ).all()
            payments = db.execute(
                text("SELECT payment_id, amount FROM payments WHERE payment_id LIKE 'lp-%'")
            ).all()
    finally:
        engine.dispose()
    return {str(i): int(a) for i, a in routes}, {str(i): int(a) for i, a in payments}
