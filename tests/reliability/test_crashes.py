"""Item 3: crashes lose nothing and leave nothing half-written.

- A failure injected after the invoice INSERT and before the COMMIT (at the outbox insert, at
  the audit insert, as the commit begins), 100 times on each store: the caller gets a 500
  problem, no row of that invoice remains, and the retry lands it once.
- A relay SIGKILLed 20 times while it delivers 1,000 events (6 times in 300 in CI): every
  webhook-id arrives, 0 lost, the duplicates (at least once is the promise) counted.
- A server SIGKILLed (every worker at once) under a stream of routes and payments, then started
  again: every write it acknowledged is in the store, exactly as acknowledged.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.store import Store
from app.deliveries.signing import verify
from app.invoices import repository as invoices
from tests.support import loadgen
from tests.support.figures import Figure
from tests.support.harness import bearer, create_key, http
from tests.support.invoices import set_webhook
from tests.support.keys import KeyMaker
from tests.support.launch import Launch
from tests.support.receiver import Received, Receiver
from tests.support.relay import RelayProcess, point_at, statuses, write_events

ITEM = "3"
INJECTED_TRIALS = 100
# Where the failure strikes, each after the invoice row is inserted in the same transaction.
STRIKES = ("INSERT INTO outbox_events", "INSERT INTO audit_events", "COMMIT")
# Events the relay delivers and the SIGKILLs it takes doing so: CI, and `pytest --long`.
RELAY_EVENTS = {False: 300, True: 1000}
RELAY_KILLS = {False: 6, True: 20}
DELIVERED_WITHIN = 60.0
WRITERS = 8  # connections sending routes and payments at the server that gets killed
KILL_AFTER_SECONDS = {False: 4.0, True: 20.0}


class Injected(RuntimeError):
    """The failure the test injects; nothing in the app expects it."""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings, with webhooks to loopback allowed (so routes write outbox events)."""
    return settings.model_copy(update={"webhook_allow_private": True})


class Striker:
    """Fails the armed statement (or the commit) of a transaction that has inserted an invoice.

    The invoice insert is marked on its connection once the app's own insert has returned (on
    PostgreSQL it is a COPY, which statement events do not see); the cache's sync thread runs
    transactions of its own meanwhile, on other connections.
    """

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.armed: str | None = None
        self.struck_after_insert = 0
        insert = invoices.add_invoices

        def add_invoices(session: Session, rows: Sequence[dict[str, Any]]) -> None:
            insert(session, rows)
            session.connection().info["invoice_inserted"] = True

        monkeypatch.setattr(invoices, "add_invoices", add_invoices)
        event.listen(store.engine, "begin", self._begin)
        event.listen(store.engine, "before_cursor_execute", self._statement)
        # Routes commit through the ledger's sessions (no store version); watch both kinds.
        event.listen(store.write_sessions, "before_commit", self._commit)
        event.listen(store.ledger_sessions, "before_commit", self._commit)

    def _begin(self, connection: Connection) -> None:
        connection.info["invoice_inserted"] = False

    def _statement(self, connection: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        if self.armed is not None and statement.startswith(self.armed):
            self._strike(connection)

    def _commit(self, session: Session) -> None:
        if self.armed == "COMMIT":
            self._strike(session.connection())

    def _strike(self, connection: Connection) -> None:
        if not connection.info.get("invoice_inserted"):
            return  # another transaction (a key's last-used stamp, say): not the one to fail
        self.armed = None
        self.struck_after_insert += 1
        raise Injected("injected between the invoice insert and the commit")


def invoice_rows(store: Store, invoice_ids: list[str]) -> int:
    """Every row that names one of `invoice_ids`: invoices, outbox events, audit rows."""
    found = 0
    with store.engine.connect() as connection:
        for invoice_id in invoice_ids:
            for query in (
                "SELECT count(*) FROM invoices WHERE invoice_id = :id",
                "SELECT count(*) FROM audit_events WHERE entity_id = :id",
                "SELECT count(*) FROM outbox_events WHERE body LIKE :pattern",
            ):
                params = {"id": invoice_id, "pattern": f'%"invoice_id":"{invoice_id}"%'}
                found += connection.execute(text(query), params).scalar_one()
    return found


def test_a_failure_between_the_invoice_insert_and_the_commit_leaves_no_row(
    client: TestClient,
    store: Store,
    make_key: KeyMaker,
    figure: Figure,
    backend: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ops = make_key("segments:write", name="ops")
    billing = make_key("invoices:write", name="billing")
    set_webhook(client, ops, "pay_on_order")  # so that every route writes an outbox event
    striker = Striker(store, monkeypatch)
    orphans = landed = 0
    answers: Counter[int] = Counter()
    for trial in range(INJECTED_TRIALS):
        # Three in four trials route one invoice, the fourth a batch of three.
        ids = [f"inv-{trial}-{n}" for n in range(3 if trial % 4 == 3 else 1)]
        bodies = [
            {"invoice_id": i, "customer_id": f"c-{trial}", "amount": 1000, "currency": "USD"}
            | {"issued_on": "2026-11-20"}
            for i in ids
        ]
        path, body = (
            ("/v1/invoice-routes", bodies[0])
            if len(ids) == 1
            else ("/v1/invoice-routes/batch", {"invoices": bodies})
        )
        striker.armed = STRIKES[trial % len(STRIKES)]
        failed = client.post(path, json=body, headers=billing)
        answers[failed.status_code] += 1
        assert failed.status_code == 500, failed.text
        assert failed.headers["content-type"] == "application/problem+json"
        assert "Injected" not in failed.text
        assert "Traceback" not in failed.text
        orphans += invoice_rows(store, ids)
        retried = client.post(path, json=body, headers=billing)
        assert retried.status_code in (200, 201), retried.text
        landed += invoice_rows(store, ids) == 3 * len(ids)  # one invoice, audit and event each
    figure(ITEM, f"failures injected after the invoice insert ({backend})",
           f"{striker.struck_after_insert} (answered {dict(answers)})")  # fmt: skip
    figure(ITEM, f"orphan rows after them ({backend})", orphans)
    figure(ITEM, f"retries landing exactly once ({backend})", f"{landed}/{INJECTED_TRIALS}")
    assert striker.struck_after_insert == INJECTED_TRIALS
    assert orphans == 0
    assert landed == INJECTED_TRIALS


@pytest.mark.process
def test_a_relay_killed_20_times_delivering_1000_events_loses_none(
    pg_database: str, tmp_path: Path, figure: Figure, request: pytest.FixtureRequest
) -> None:
    long: bool = request.config.getoption("--long")
    events, kills = RELAY_EVENTS[long], RELAY_KILLS[long]
    log_path = tmp_path / "relay.log"
    step = events // (kills + 1)
    killed_at: list[int] = []
    with Receiver(delay_seconds=0.005) as receiver:
        secret = point_at(pg_database, receiver.url)
        event_ids = write_events(pg_database, events)

        def distinct(seen: list[Received]) -> int:
            return len({r.webhook_id for r in seen})

        for kill in range(1, kills + 1):
            goal = kill * step
            with RelayProcess(pg_database, log_path) as relay:
                receiver.wait_for(
                    lambda seen: distinct(seen) >= goal,  # noqa: B023 - waited on at once
                    DELIVERED_WITHIN,
                    f"{goal} distinct deliveries",
                )
                relay.signal(signal.SIGKILL)
                relay.process.wait(timeout=15)
            killed_at.append(distinct(receiver.received()))
        assert killed_at[-1] < events, "the last kill came after every delivery"
        with RelayProcess(pg_database, log_path) as last:
            receiver.wait_for(
                lambda seen: distinct(seen) >= events, DELIVERED_WITHIN, "every event"
            )
            deadline = time.monotonic() + 10
            while statuses(pg_database) != {"delivered": events}:
                assert time.monotonic() < deadline, statuses(pg_database)
                time.sleep(0.05)
            last.signal(signal.SIGTERM)
            assert last.process.wait(timeout=15) == 0

    received = receiver.received()
    counts = Counter(r.webhook_id for r in received)
    duplicates = sum(count - 1 for count in counts.values())
    figure(ITEM, "relay SIGKILLs while delivering", f"{kills} (at {killed_at[0]}.."
           f"{killed_at[-1]} of {events} delivered)")  # fmt: skip
    figure(ITEM, "distinct webhook-ids received, of events", f"{len(counts)}/{events}")
    figure(ITEM, "events lost", events - len(set(counts) & set(event_ids)))
    figure(ITEM, "deliveries beyond the first (duplicates)", duplicates)
    assert set(counts) == set(event_ids)
    assert all(r.status == 200 for r in received)
    assert all(verify(secret, r.headers, r.body) for r in received)


@pytest.fixture(params=["sqlite", "postgresql"])
def served_store(request: pytest.FixtureRequest) -> str:
    fixture = "sqlite_database" if request.param == "sqlite" else "pg_database"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.mark.process
def test_a_server_killed_under_writes_and_restarted_has_every_acknowledged_write(
    served_store: str, launch: Launch, figure: Figure, request: pytest.FixtureRequest
) -> None:
    backend = request.node.callspec.params["served_store"]
    billing = bearer(create_key(served_store, "billing", "invoices:write", "collections:write"))
    server = launch(served_store, "--no-migrate", workers=2)
    acked_routes: dict[str, int] = {}
    acked_payments: dict[str, tuple[str, int]] = {}
    acked_touches: dict[str, str] = {}
    sent: set[str] = set()  # every invoice and payment id sent, acknowledged or not

    def step(index: int) -> loadgen.Step:
        counter = iter(range(10**9))
        unpaid: list[str] = []

        async def one(connection: loadgen.Connection) -> None:
            n = next(counter)
            if unpaid and n % 3 == 2:
                invoice_id = unpaid.pop()
                payment_id, amount = f"kp-{index}-{n}", acked_routes[invoice_id] // 2
                path = "/v1/payments"
                body: dict[str, Any] = {"payment_id": payment_id, "invoice_id": invoice_id,
                        "amount": amount, "currency": "USD", "paid_on": "2026-11-20"}  # fmt: skip
            elif unpaid and n % 3 == 1:
                invoice_id, path = unpaid[-1], "/v1/touches"
                body = {"touch_id": f"kt-{index}-{n}", "invoice_id": invoice_id,
                        "channel": "phone", "kind": "reminder",
                        "occurred_at": "2026-11-20T09:30:00Z", "outcome": "no_answer"}  # fmt: skip
            else:
                invoice_id, path = f"ki-{index}-{n}", "/v1/invoice-routes"
                body = route_body(invoice_id, index, n)
                amount = body["amount"]
            sent.add(body.get("payment_id") or body.get("touch_id") or invoice_id)
            try:
                answer = await connection.request("POST", path, billing, body)
            except loadgen.FAILURES:
                await connection.close()
                await asyncio.sleep(0.05)  # the server is gone: no acknowledgement
                return
            assert answer.status == 201, answer.body[:300]
            if path == "/v1/payments":
                acked_payments[body["payment_id"]] = (body["invoice_id"], body["amount"])
            elif path == "/v1/touches":
                acked_touches[body["touch_id"]] = invoice_id
            else:
                acked_routes[invoice_id] = amount
                unpaid.append(invoice_id)

        return one

    async def load_then_kill() -> None:
        seconds = KILL_AFTER_SECONDS[request.config.getoption("--long")]
        load = asyncio.create_task(loadgen.run(server.port, WRITERS, seconds + 1.0, step))
        await asyncio.sleep(seconds)
        assert server.process is not None
        os.killpg(server.process.pid, signal.SIGKILL)  # the whole group: every worker at once
        await load

    asyncio.run(load_then_kill())
    assert server.process is not None
    server.process.wait(timeout=15)
    assert acked_routes, "nothing was acknowledged before the kill"
    assert acked_payments, "no payment was acknowledged before the kill"
    assert acked_touches, "no touch was acknowledged before the kill"

    again = launch(served_store, "--no-migrate", workers=2)
    routes_found, payments_found = _stored(served_store)
    missing_routes = set(acked_routes) - set(routes_found)
    wrong = {i for i, amount in acked_routes.items() if i in routes_found and
             routes_found[i][0] != amount}  # fmt: skip
    missing_payments = set(acked_payments) - set(payments_found)
    touches_found = _touches(served_store)
    missing_touches = {t for t, i in acked_touches.items() if touches_found.get(t) != i}
    cut_off = sent - set(acked_routes) - set(acked_payments) - set(acked_touches)
    landed_anyway = cut_off & (set(routes_found) | set(payments_found) | set(touches_found))
    figure(ITEM, f"writes cut off by the kill, unacknowledged ({backend}): sent, landed anyway",
           f"{len(cut_off)}, {len(landed_anyway)}")  # fmt: skip
    figure(ITEM, f"server SIGKILLed under writes ({backend}): acknowledged routes/payments/touches",
           f"{len(acked_routes)}/{len(acked_payments)}/{len(acked_touches)}")  # fmt: skip
    lost = len(missing_routes) + len(missing_payments) + len(wrong) + len(missing_touches)
    figure(ITEM, f"acknowledged writes missing after restart ({backend})", lost)
    assert not missing_routes
    assert not wrong
    assert not missing_payments
    assert not missing_touches
    for payment_id, (invoice_id, amount) in acked_payments.items():
        assert payments_found[payment_id] == (invoice_id, amount)
    # What was paid adds up on every invoice, acknowledged or cut off in flight.
    for invoice_id, (_amount, paid) in routes_found.items():
        assert paid == sum(a for i, a in payments_found.values() if i == invoice_id), invoice_id
    # The restarted server knows them: each acknowledged route sent again is a replay.
    with http(again) as client:
        for invoice_id in list(acked_routes)[:20]:
            _index, number = invoice_id.removeprefix("ki-").split("-")
            body = route_body(invoice_id, int(_index), int(number))
            replayed = client.post("/v1/invoice-routes", json=body, headers=billing)
            assert replayed.status_code == 200, replayed.text
            assert replayed.headers["Idempotent-Replayed"] == "true"


def route_body(invoice_id: str, index: int, n: int) -> dict[str, Any]:
    return {"invoice_id": invoice_id, "customer_id": f"c-{index}", "amount": 1_000 + n,
            "currency": "USD", "issued_on": "2026-11-20"}  # fmt: skip


def _touches(url: str) -> dict[str, str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT touch_id, invoice_id FROM touches"))
            return {str(touch_id): str(invoice_id) for touch_id, invoice_id in rows}
    finally:
        engine.dispose()


def _stored(url: str) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[str, int]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            invoices = connection.execute(
                text("SELECT invoice_id, amount, paid_amount FROM invoices")
            )
            payments = connection.execute(
                text("SELECT payment_id, invoice_id, amount FROM payments")
            )
            return (
                {i: (amount, paid) for i, amount, paid in invoices},
                {p: (i, amount) for p, i, amount in payments},
            )
    finally:
        engine.dispose()
