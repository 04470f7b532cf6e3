"""Billing retries at once against a real server, and writes while the store is down.

The same invoice (or payment, touch, or batch of touches) sent 48 times at once lands exactly
once, on PostgreSQL and on SQLite, with two workers; a write the store cannot take answers 503
and leaves nothing behind, and the same request after the store is back lands exactly once.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, text

from tests.support.harness import (
    HTTP_TIMEOUT_SECONDS,
    autocommit,
    bearer,
    cli_env,
    create_key,
    http,
    visible_by,
    within,
)
from tests.support.invoices import invoice, payment, set_webhook
from tests.support.launch import Launch
from tests.support.postgres import PostgresCluster
from tests.support.server import Server, termsgate

pytestmark = pytest.mark.process

AT_ONCE = 48
# Generous bounds: for every sender to be ready, and for a restarted store to be used again.
SENDERS_READY_WITHIN = 30.0
RECOVERED_WITHIN = 10.0
ALLOW_PRIVATE = {"TERMSGATE_WEBHOOK_ALLOW_PRIVATE": "true"}
# A collector's call that finds the invoice never arrived: one resend event to the workflow.
RESEND = {
    "touch_id": "t-1",
    "invoice_id": "inv-1",
    "channel": "phone",
    "kind": "reminder",
    "occurred_at": "2026-11-20T09:30:00Z",
    "outcome": "invoice_not_received",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest) -> str:
    """A migrated store of the test's own, on each backend."""
    fixture = "sqlite_database" if request.param == "sqlite" else "pg_database"
    url: str = request.getfixturevalue(fixture)
    return url


def test_identical_routes_payments_and_touches_sent_at_once_each_land_exactly_once(
    store_url: str, launch: Launch
) -> None:
    headers = bearer(create_key(store_url, "billing", "admin"))
    server = launch(store_url, "--no-migrate", workers=2, env=ALLOW_PRIVATE)
    with http(server) as client:
        set_webhook(client, headers, "pay_on_order")

    routes = _all_at_once(server, "/v1/invoice-routes", invoice(), headers)
    payments = _all_at_once(server, "/v1/payments", payment(), headers)
    touches = _all_at_once(server, "/v1/touches", RESEND, headers)
    pair = [RESEND | {"touch_id": "t-2"}, RESEND | {"touch_id": "t-3", "outcome": "no_answer"}]
    batches = _all_at_once(server, "/v1/touches/batch", {"touches": pair}, headers)

    for answers in (routes, payments, touches):
        statuses = Counter(status for status, _replayed, _body in answers)
        assert statuses == {201: 1, 200: AT_ONCE - 1}, _unexpected(answers)
        assert all(replayed == (status == 200) for status, replayed, _body in answers)
        first = next(body for status, _replayed, body in answers if status == 201)
        assert all(body == first for _status, _replayed, body in answers)
    assert {status for status, _replayed, _body in batches} == {200}, _unexpected(batches)
    for index in range(len(pair)):
        items = Counter(body["results"][index]["status"] for _status, _replayed, body in batches)
        assert items == {201: 1, 200: AT_ONCE - 1}, _unexpected(batches)
    with autocommit(store_url) as db:
        assert _scalar(db, "SELECT count(*) FROM invoices") == 1
        assert _scalar(db, "SELECT count(*) FROM payments") == 1
        assert _scalar(db, "SELECT paid_amount FROM invoices") == payment()["amount"]
        assert _scalar(db, "SELECT count(*) FROM touches") == 1 + len(pair)
        sent = db.execute(text("SELECT event_type FROM outbox_events ORDER BY id")).scalars()
        assert list(sent) == ["invoice.routed", *["invoice.resend_requested"] * 2]


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[PostgresCluster]:
    """A PostgreSQL of this test's own: it gets killed."""
    own = PostgresCluster(tmp_path / "pg")
    own.start()
    yield own
    own.stop()


def test_a_write_while_the_store_is_down_is_503_and_lands_once_after_it_is_back(
    cluster: PostgresCluster, launch: Launch
) -> None:
    url = cluster.create_database("outage")
    done = termsgate("migrate", env=cli_env(url))
    assert done.returncode == 0, done.stderr
    headers = bearer(create_key(url, "billing", "admin"))
    server = launch(url, env={**ALLOW_PRIVATE, "TERMSGATE_DB_TIMEOUT_SECONDS": "2"})
    with http(server) as client:
        set_webhook(client, headers, "pay_on_order")
        assert client.post("/v1/invoice-routes", json=invoice(), headers=headers).status_code == 201
        with autocommit(url) as db:  # what is set up survives the crash below
            db.execute(text("CHECKPOINT"))

        cluster.kill()
        refused = [
            client.post("/v1/invoice-routes", json=invoice("inv-2"), headers=headers),
            client.post("/v1/payments", json=payment(), headers=headers),
        ]
        for answer in refused:
            assert answer.status_code == 503, answer.text
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["status"] == 503
            assert int(answer.headers["Retry-After"]) > 0

        cluster.restart()
        visible_by(
            within(RECOVERED_WITHIN),
            lambda: client.get("/healthz/ready").json()["stale"],
            lambda stale: stale is False,
            "the store in use again",
        )
        with autocommit(url) as db:
            assert _scalar(db, "SELECT count(*) FROM invoices WHERE invoice_id = 'inv-2'") == 0
            assert _scalar(db, "SELECT count(*) FROM outbox_events") == 1
            assert _scalar(db, "SELECT count(*) FROM payments") == 0
            assert _scalar(db, "SELECT paid_amount FROM invoices") == 0

        for path, body in (("/v1/invoice-routes", invoice("inv-2")), ("/v1/payments", payment())):
            landed = client.post(path, json=body, headers=headers)
            assert landed.status_code == 201, landed.text
            retried = client.post(path, json=body, headers=headers)
            assert retried.status_code == 200
            assert retried.headers["Idempotent-Replayed"] == "true"
            assert retried.json() == landed.json()

    with autocommit(url) as db:
        assert _scalar(db, "SELECT count(*) FROM invoices WHERE invoice_id = 'inv-2'") == 1
        assert _scalar(db, "SELECT count(*) FROM outbox_events") == 2
        assert _scalar(db, "SELECT count(*) FROM payments") == 1


def _all_at_once(
    server: Server, path: str, body: dict[str, Any], headers: dict[str, str]
) -> list[tuple[int, bool, Any]]:
    """POST the same body from AT_ONCE threads, each on its own connection, released together.

    Each answer as (status, Idempotent-Replayed, JSON body).
    """
    barrier = threading.Barrier(AT_ONCE, timeout=SENDERS_READY_WITHIN)
    answers: list[tuple[int, bool, Any] | BaseException] = [ValueError("no answer")] * AT_ONCE

    def send(slot: int) -> None:
        try:
            with http(server) as client:
                client.get("/healthz/live")  # connected before the start
                barrier.wait()
                answer = client.post(path, json=body, headers=headers)
                replayed = answer.headers.get("Idempotent-Replayed") == "true"
                answers[slot] = (answer.status_code, replayed, answer.json())
        except BaseException as error:  # reported below, with every other answer
            barrier.abort()
            answers[slot] = error

    threads = [threading.Thread(target=send, args=(slot,)) for slot in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SENDERS_READY_WITHIN + HTTP_TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    failures = [answer for answer in answers if isinstance(answer, BaseException)]
    assert not failures, failures
    return [answer for answer in answers if not isinstance(answer, BaseException)]


def _unexpected(answers: list[tuple[int, bool, Any]]) -> list[Any]:
    return [body for status, _replayed, body in answers if status not in (200, 201)]


def _scalar(db: Connection, query: str) -> Any:
    return db.execute(text(query)).scalar_one()
