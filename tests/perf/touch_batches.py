"""Touches in batches for the contact loop's section (tests/perf/contacts.py): CLIENTS httpx
threads post POST /v1/touches/batch with BATCH fresh touches each until the time is up, on
random open invoices and one of their three planned tasks, outcomes mixed as touches.lua mixes
them (5% promises to pay). Every item must come back 201."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, Final

import httpx
import orjson

from tests.perf import routing, usage
from tests.perf.routing import CLIENTS, Backend, Batches
from tests.support.server import Server

BATCH: Final = 1000
STEPS: Final = (("phone", "service_check"), ("email", "reminder"), ("phone", "escalation"))
OUTCOMES: Final = (
    (45, "no_answer"),
    (70, "no_issue"),
    (80, "payment_sent"),
    (95, "wrong_contact"),
    (100, "promise_to_pay"),
)


def post(
    server: Server, backend: Backend, prefix: str, seconds: float, *, invoices: int, pay_on: date
) -> Batches:
    """CLIENTS threads posting batches until `seconds` have passed; `invoices` counts the open
    invoices ci-0000000 .. (their tasks are 3n+1 .. 3n+3, in USD when n % 10 == 0)."""

    def client(number: int) -> tuple[int, list[float], float]:
        rng = random.Random(number)
        created, latencies, sent = 0, [], 0
        headers = {"Authorization": f"Bearer {backend.token}", "Content-Type": "application/json"}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=120) as http:
            while time.monotonic() < deadline:
                items = [
                    _touch(f"{prefix}-{number}-{sent}-{k}", rng, invoices, pay_on)
                    for k in range(BATCH)
                ]
                body = orjson.dumps({"touches": items})
                began = time.perf_counter()
                answer = http.post("/v1/touches/batch", content=body)
                latencies.append(time.perf_counter() - began)
                created += routing.all_created(answer, BATCH, "a touch batch")
                sent += 1
        return created, latencies, time.monotonic()

    pids = (server.process.pid if server.process else 0, backend.store_pid())
    before = usage.reading(*pids)
    started = time.monotonic()
    deadline = started + seconds
    with ThreadPoolExecutor(CLIENTS) as pool:
        done = list(pool.map(client, range(CLIENTS)))
    return Batches(
        invoices=sum(created for created, _, _ in done),
        seconds=max(end for _, _, end in done) - started,
        latencies_s=[latency for _, latencies, _ in done for latency in latencies],
        cpu=usage.since(before, *pids),
    )


def _touch(touch_id: str, rng: random.Random, invoices: int, pay_on: date) -> dict[str, Any]:
    n = rng.randrange(invoices)
    k = rng.randrange(3)
    draw = rng.randint(1, 100)
    outcome = next(name for limit, name in OUTCOMES if draw <= limit)
    channel, kind = STEPS[k]
    body: dict[str, Any] = {
        "touch_id": touch_id,
        "invoice_id": f"ci-{n:07d}",
        "task_id": 3 * n + k + 1,
        "channel": channel,
        "kind": kind,
        "occurred_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "outcome": outcome,
    }
    if outcome == "promise_to_pay":
        currency = "USD" if n % 10 == 0 else "EUR"
        body["promise"] = {"amount": 1, "currency": currency, "pay_on": pay_on.isoformat()}
    return body
