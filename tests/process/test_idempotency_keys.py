"""Idempotency-Key against real servers: the same request sent 24 times at once acts once, and
a request whose answer was lost after its COMMIT (the server killed before it could answer)
acts once when retried with its key."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.core import schema
from tests.support.harness import autocommit, bearer, create_key, http
from tests.support.launch import Launch
from tests.support.postgres import PostgresCluster
from tests.support.tcpproxy import TcpProxy

pytestmark = pytest.mark.process

AT_ONCE = 24
READY_WITHIN = 30.0
EXCEPTION = {"customer_id": "c-1", "segment": "net_30", "reason": "strategic account"}


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest) -> str:
    fixture = "sqlite_database" if request.param == "sqlite" else "pg_database"
    url: str = request.getfixturevalue(fixture)
    return url


def test_one_key_sent_at_once_from_many_clients_acts_once(store_url: str, launch: Launch) -> None:
    sales = bearer(create_key(store_url, "sales", "exceptions:request"))
    server = launch(store_url, "--no-migrate", workers=2)
    headers = {**sales, "Idempotency-Key": "retry-storm-1"}
    barrier = threading.Barrier(AT_ONCE, timeout=READY_WITHIN)
    answers: list[tuple[int, str | None, Any] | BaseException] = []

    def send() -> None:
        try:
            with http(server) as client:
                client.get("/healthz/live")
                barrier.wait()
                answer = client.post("/v1/term-exceptions", json=EXCEPTION, headers=headers)
                replayed = answer.headers.get("Idempotent-Replayed")
                answers.append((answer.status_code, replayed, answer.json()))
        except BaseException as error:  # reported below
            barrier.abort()
            answers.append(error)

    threads = [threading.Thread(target=send) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=READY_WITHIN + 30)
    failures = [a for a in answers if isinstance(a, BaseException)]
    assert not failures, failures[:3]
    done = [a for a in answers if not isinstance(a, BaseException)]
    assert Counter((status, replayed) for status, replayed, _ in done) == {
        (201, None): 1,
        (201, "true"): AT_ONCE - 1,
    }
    assert len({body["id"] for _, _, body in done}) == 1
    with autocommit(store_url) as db:
        assert db.execute(text("SELECT count(*) FROM term_exceptions")).scalar_one() == 1


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[PostgresCluster]:
    own = PostgresCluster(tmp_path / "pg")
    own.start()
    yield own
    own.stop()


def test_an_answer_lost_after_commit_is_replayed_on_retry_with_one_effect(
    cluster: PostgresCluster, launch: Launch
) -> None:
    url = cluster.create_database(f"k_{uuid.uuid4().hex[:10]}")
    engine = create_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    sales = bearer(create_key(url, "sales", "exceptions:request"))
    headers = {**sales, "Idempotency-Key": "lost-answer-1"}
    with TcpProxy(cluster.port) as proxy:
        proxied = url.replace(f":{cluster.port}/", f":{proxy.port}/")
        server = launch(proxied, "--no-migrate")
        # The COMMIT of the request's transaction reaches PostgreSQL; its answer is held, and
        # the server is killed while it waits for it. The connection is told by the request's
        # key: the worker's own prune of expired keys also names idempotent_requests.
        proxy.hang_after(headers["Idempotency-Key"].encode(), b"COMMIT")
        cut: list[BaseException | httpx.Response] = []

        def send() -> None:
            try:
                with http(server) as client:
                    cut.append(client.post("/v1/term-exceptions", json=EXCEPTION, headers=headers))
            except BaseException as error:  # the server died under it: no answer
                cut.append(error)

        sender = threading.Thread(target=send)
        sender.start()
        deadline = time.monotonic() + 20
        while not proxy.hanging and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proxy.hanging, "the request's COMMIT never went out"
        assert server.process is not None
        os.killpg(server.process.pid, signal.SIGKILL)
        sender.join(timeout=30)
        assert cut
        assert not isinstance(cut[0], httpx.Response), cut[0]
        proxy.forward()

    with autocommit(url) as db:  # the COMMIT went through before the kill
        assert db.execute(text("SELECT count(*) FROM term_exceptions")).scalar_one() == 1
    again = launch(url, "--no-migrate")
    with http(again) as client:
        retried = client.post("/v1/term-exceptions", json=EXCEPTION, headers=headers)
        assert retried.status_code == 201, retried.text
        assert retried.headers["Idempotent-Replayed"] == "true"
    with autocommit(url) as db:
        assert db.execute(text("SELECT count(*) FROM term_exceptions")).scalar_one() == 1
