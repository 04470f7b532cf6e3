"""Item 2: billing retrying at once across replicas, and finance deciding at once.

Two replicas of `termsgate serve`, two workers each, share one store (PostgreSQL, or one SQLite
file). 200 identical invoice routes (100 in CI), released together and spread over both
replicas, land as one invoice, one outbox event and one audit row; every caller gets the route
(201 once, 200 replays), none a 5xx or SQLite's "database is locked". An approve and a reject of
one term exception, sent at once to different replicas, end with exactly one decision.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.support.figures import Figure
from tests.support.harness import bearer, create_key, http
from tests.support.invoices import invoice, set_webhook
from tests.support.launch import Launch
from tests.support.server import TLS, Server

pytestmark = pytest.mark.process

ITEM = "2"
# Identical routes released together, and approve/reject races: CI, and `pytest --long`.
AT_ONCE = {False: 100, True: 200}
DECISION_TRIALS = {False: 10, True: 100}
SERVER_ENV = {"TERMSGATE_WEBHOOK_ALLOW_PRIVATE": "true"}
# Generous bounds on waits (they bound a hang, they measure nothing).
CONNECTED_WITHIN = 90.0  # a deadline for 200 connections on a busy 2-core machine, not a timing
ANSWER_WITHIN = 60.0


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest) -> str:
    fixture = "sqlite_database" if request.param == "sqlite" else "pg_database"
    url: str = request.getfixturevalue(fixture)
    return url


def two_replicas(store_url: str, launch: Launch) -> list[Server]:
    return [launch(store_url, "--no-migrate", workers=2, env=SERVER_ENV) for _ in range(2)]


Answer = tuple[int, str | None, Any]  # status, Idempotent-Replayed, JSON body


Request = tuple[Server, str, dict[str, Any] | None, dict[str, str]]  # server, path, body, headers


async def all_at_once(requests: list[Request]) -> list[Answer]:
    """POST each (server, path, body, headers) on a connection of its own, opened beforehand,
    all released together; the answers in the same order."""
    release = asyncio.Event()

    async def one(server: Server, path: str, body: Any, headers: dict[str, str]) -> Answer:
        async with httpx.AsyncClient(
            verify=TLS, base_url=server.base_url, timeout=ANSWER_WITHIN
        ) as client:
            await client.get("/healthz/live")  # connected before the start
            ready.release()
            await release.wait()
            answer = await client.post(path, json=body, headers=headers)
            return answer.status_code, answer.headers.get("Idempotent-Replayed"), answer.json()

    ready = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(one(*request)) for request in requests]
    async with asyncio.timeout(CONNECTED_WITHIN):
        for _ in requests:
            await ready.acquire()
    release.set()
    async with asyncio.timeout(ANSWER_WITHIN):
        return await asyncio.gather(*tasks)


def scalar(url: str, query: str, **params: Any) -> Any:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(query), params).scalar_one()
    finally:
        engine.dispose()


def test_200_identical_routes_across_two_replicas_land_once(
    store_url: str, launch: Launch, figure: Figure, request: pytest.FixtureRequest
) -> None:
    backend = request.node.callspec.params["store_url"]
    at_once = AT_ONCE[request.config.getoption("--long")]
    billing = bearer(create_key(store_url, "billing", "admin"))
    replicas = two_replicas(store_url, launch)
    with http(replicas[0]) as client:
        set_webhook(client, billing, "pay_on_order")  # the new customer's workflow: an event
    body = invoice("inv-race")
    answers = asyncio.run(
        all_at_once(
            [(replicas[n % 2], "/v1/invoice-routes", body, billing) for n in range(at_once)]
        )
    )

    statuses = Counter(status for status, _replayed, _body in answers)
    locked = sum("locked" in str(body).lower() for _status, _replayed, body in answers)
    figure(ITEM, f"{at_once} identical routes at once, 2 replicas x 2 workers ({backend})",
           ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items())))  # fmt: skip
    assert locked == 0
    assert statuses == {201: 1, 200: at_once - 1}, [a for a in answers if a[0] not in (200, 201)]
    assert all(replayed == ("true" if status == 200 else None) for status, replayed, _ in answers)
    first = next(body for status, _replayed, body in answers if status == 201)
    assert all(body == first for _status, _replayed, body in answers)
    rows = (
        scalar(store_url, "SELECT count(*) FROM invoices WHERE invoice_id = 'inv-race'"),
        scalar(store_url, "SELECT count(*) FROM outbox_events WHERE event_type = 'invoice.routed'"),
        scalar(store_url, "SELECT count(*) FROM audit_events WHERE entity_id = 'inv-race'"),
    )
    figure(ITEM, f"rows after them, invoice/outbox/audit ({backend})", "/".join(map(str, rows)))
    figure(ITEM, f"'database is locked' answered to a caller ({backend})", locked)
    assert rows == (1, 1, 1)


def test_approve_and_reject_at_once_on_two_replicas_exactly_one_wins(
    store_url: str, launch: Launch, figure: Figure, request: pytest.FixtureRequest
) -> None:
    backend = request.node.callspec.params["store_url"]
    trials = DECISION_TRIALS[request.config.getoption("--long")]
    sales = bearer(create_key(store_url, "sales", "exceptions:request", "reports:read"))
    finance = {
        "approve": bearer(create_key(store_url, "finance-a", "exceptions:approve")),
        "reject": bearer(create_key(store_url, "finance-b", "exceptions:approve")),
    }
    replicas = two_replicas(store_url, launch)
    wins: Counter[str] = Counter()
    with http(replicas[0]) as client:
        for trial in range(trials):
            wish = {"customer_id": f"c-{trial}", "segment": "net_30", "reason": "strategic"}
            asked = client.post("/v1/term-exceptions", json=wish, headers=sales)
            assert asked.status_code == 201, asked.text
            exception_id = asked.json()["id"]
            # Each trial swaps which replica gets which decision.
            order = ["approve", "reject"] if trial % 2 == 0 else ["reject", "approve"]
            answers = asyncio.run(
                all_at_once(
                    [
                        (
                            replicas[n],
                            f"/v1/term-exceptions/{exception_id}/{decision}",
                            None,
                            finance[decision],
                        )
                        for n, decision in enumerate(order)
                    ]
                )
            )
            by_decision = dict(zip(order, answers, strict=True))
            assert sorted(status for status, _r, _b in answers) == [200, 409], answers
            [winner] = [d for d, (status, _r, _b) in by_decision.items() if status == 200]
            wins[winner] += 1
            final = client.get(f"/v1/term-exceptions/{exception_id}", headers=sales).json()
            assert final["status"] == {"approve": "approved", "reject": "rejected"}[winner]
            decided = scalar(
                store_url,
                "SELECT count(*) FROM audit_events WHERE entity_id = :id AND action IN "
                "('term_exception.approved', 'term_exception.rejected')",
                id=exception_id,
            )
            assert decided == 1
    figure(ITEM, f"approve vs reject at once on 2 replicas ({backend}): trials, one winner each",
           f"{trials}, approve won {wins['approve']}, reject won {wins['reject']}")  # fmt: skip
    assert wins.total() == trials
