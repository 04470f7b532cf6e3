"""Item 7, secrets: a canary admin key and canary webhook secrets go through a broad run at DEBUG
(every operation, good and bad requests, near-miss tokens, signed deliveries to a real receiver,
a rotation, metrics scrapes) and never show in the logs, the metrics, response bodies or headers,
or what the receiver gets; the store holds no plaintext API key, in any table or column.

A webhook secret is shown on purpose once, in the answer that sets a webhook_url or rotates it:
those `secret` fields are checked to hold it and left out of the count. It is kept in
`workflows.secret` (and `previous_secret` during a rotation's grace), since it must sign: the
test checks it is nowhere else in the store.
"""

from __future__ import annotations

import base64
import io
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text

from app.core.config import Settings
from app.core.logs import JsonFormatter
from app.deliveries.signing import secret_key, verify
from tests.support.access import GRANTS, KEYLESS, concrete
from tests.support.figures import Figure
from tests.support.harness import create_key, http, visible_by, within
from tests.support.keys import KeyMaker
from tests.support.launch import Launch
from tests.support.policies import DEFAULT as DEFAULT_POLICY
from tests.support.receiver import Receiver
from tests.support.segments import net_45

pytestmark = pytest.mark.process

CANARY = "canary-admin"
DEBUG_LOGGERS = ("", "termsgate", "sqlalchemy", "uvicorn", "httpx", "httpcore", "alembic")
DELIVERY_WAIT_SECONDS = 60


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The relay runs in the app, sends to loopback, and retries soon."""
    return settings.model_copy(
        update={
            "relay_in_process": True,
            "webhook_allow_private": True,
            "webhook_retry_schedule": [0.05, 0.1, 0.2],
            "relay_idle_poll_seconds": 0.02,
        }
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@dataclass(frozen=True)
class DebugLogs:
    """What the app logs at DEBUG: as its JSON formatter writes it, and the raw records."""

    written: io.StringIO
    caplog: pytest.LogCaptureFixture

    def lines(self) -> list[bytes]:
        return [line.encode() for line in self.written.getvalue().splitlines()]

    def records(self) -> list[logging.LogRecord]:
        return [r for r in self.caplog.records if not _from_the_test_client(r)]


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[DebugLogs]:
    """Every logger at DEBUG, the chatty libraries included, before the app starts; written by
    the app's own formatter as `termsgate serve` writes its stderr."""
    for name in DEBUG_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(lambda record: not _from_the_test_client(record))
    logging.getLogger().addHandler(handler)
    yield DebugLogs(written, caplog)
    logging.getLogger().removeHandler(handler)


def _from_the_test_client(record: logging.LogRecord) -> bool:
    """httpx logs each request the test's own client sends (canary URLs too): not the app's."""
    return record.name.startswith("httpx") and "http://testserver" in record.getMessage()


def b64(raw: bytes) -> bytes:
    return base64.b64encode(raw)


def token_forms(token: str) -> list[bytes]:
    """The token's shapes worth finding: bare (it is in the whole too) and base64-encoded."""
    return [
        token.removeprefix("tgk_").encode(),
        b64(token.encode()),
        base64.urlsafe_b64encode(token.encode()),
    ]


def secret_forms(secret: str) -> list[bytes]:
    """A whsec_ secret's shapes: bare base64 key (in the whole too), re-encoded, raw key in hex."""
    key = secret_key(secret)
    return [
        secret.removeprefix("whsec_").encode(),
        b64(secret.encode()),
        base64.urlsafe_b64encode(key).rstrip(b"="),
        key.hex().encode(),
    ]


def occurrences(blob: bytes, forms: list[bytes]) -> int:
    return sum(blob.count(form) for form in forms)


@dataclass
class Caller:
    """Sends every request of the run through one client, keeping each answer to scan."""

    client: httpx.Client
    bodies: list[bytes] = field(default_factory=list)
    headers: list[bytes] = field(default_factory=list)
    metrics: list[bytes] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # secrets answered on purpose
    statuses: Counter[int] = field(default_factory=Counter)

    def __call__(
        self, method: str, path: str, token: str | None = None, **options: Any
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers |= options.pop("headers", None) or {}
        answer = self.client.request(method, path, headers=headers, **options)
        self.statuses[answer.status_code] += 1
        self.headers.append(b"\n".join(b"%s: %s" % pair for pair in answer.headers.raw))
        body = answer.content
        if path == "/metrics" and answer.is_success:
            self.metrics.append(body)
            return answer  # a refusal (a key sent as a query parameter: 422) is scanned below
        if answer.is_success and path.startswith("/v1/workflows/") and method != "GET":
            secret = answer.json().get("secret")
            if secret is not None:  # the one place a secret is meant to be: take it out
                assert body.count(secret.encode()) == 1
                self.shown.append(secret)
                body = body.replace(secret.encode(), b"")
        self.bodies.append(body)
        return answer


def near_misses(canary: str) -> list[dict[str, str]]:
    """Headers that almost carry the key, or carry it where no key belongs: all 401."""
    changed = canary[:-1] + ("B" if canary[-1] == "A" else "A")
    return [
        {"Authorization": f"Bearer {changed}"},
        {"Authorization": f"Bearer {canary[:-1]}"},
        {"Authorization": f"Bearer {canary}x"},
        {"Authorization": f"Bearer {canary.removeprefix('tgk_')}"},
        {"Authorization": f"Token {canary}"},
        {"Authorization": canary},
        {"Authorization": f"Bearer:{canary}"},
        {"Authorization": f"Bearer {canary}, Bearer {changed}"},
        {"Authorization": "Basic " + b64(f"{canary}:".encode()).decode()},
        {"X-API-Key": canary, "Cookie": f"session={canary}", "X-Request-ID": canary},
    ]


def every_operation(call: Caller, canary: str) -> None:
    """Each operation: as the canary with an empty (mostly bad) body, then every near miss, the
    canary as a query parameter and as body fields, and with the canary as its request id."""
    for method, template in sorted(GRANTS) + sorted(KEYLESS):
        path = concrete(template)
        body: dict[str, Any] | None = {} if method in {"POST", "PUT"} else None
        call(method, path, canary, json=body)
        call(method, path, canary, json=body, headers={"X-Request-ID": canary})
        for headers in near_misses(canary):
            call(method, path, json=body, headers=headers)
        call(method, path, json=body, params={"api_key": canary, "access_token": canary})
        call(method, path, json={"api_key": canary, "token": canary, "authorization": canary})
    call("GET", f"/v1/{canary}", canary)
    call("GET", f"/v1/customers/c-1/terms/{canary}")


def broad_run(call: Caller, canary: str, finance: str, receiver: Receiver) -> None:
    """Good requests of every kind, with webhooks delivered and a secret rotated meanwhile."""
    for key in ("pay_on_order", "finance_approvals"):
        etag = call("GET", f"/v1/workflows/{key}", canary).headers["etag"]
        hooked = call(
            "PUT",
            f"/v1/workflows/{key}",
            canary,
            headers={"If-Match": etag},
            json={"name": key, "webhook_url": receiver.url},
        )
        assert hooked.status_code == 200, hooked.text

    def invoice(n: int) -> dict[str, Any]:
        return {
            "invoice_id": f"inv-{n}",
            "customer_id": f"c-{n % 3}",
            "amount": 50_000,
            "currency": "USD",
            "issued_on": "2026-11-02",
            "order_id": f"o-{n}",
        }

    for n in range(4):
        order = {
            "customer_id": f"c-{n % 3}",
            "order_id": f"o-{n}",
            "amount": 50_000,
            "currency": "USD",
        }
        decided = call("POST", "/v1/checkout/decisions", canary, json=order)
        assert decided.status_code == 200, decided.text
        assert call("POST", "/v1/invoice-routes", canary, json=invoice(n)).status_code == 201
        assert call("GET", f"/v1/customers/c-{n % 3}/terms", canary).status_code == 200
    batch = {"invoices": [invoice(n) for n in range(4, 10)]}
    assert call("POST", "/v1/invoice-routes/batch", canary, json=batch).status_code == 200
    for n in range(3):
        paid = call(
            "POST",
            "/v1/payments",
            canary,
            json={
                "payment_id": f"pay-{n}",
                "invoice_id": f"inv-{n}",
                "amount": 10_000,
                "currency": "USD",
                "paid_on": "2026-11-10",
            },
        )
        assert paid.status_code == 201, paid.text
    rotated = call("POST", "/v1/workflows/pay_on_order/rotate-secret", canary)
    assert rotated.status_code == 200, rotated.text
    batch = {"invoices": [invoice(n) for n in range(10, 16)]}
    assert call("POST", "/v1/invoice-routes/batch", canary, json=batch).status_code == 200

    asked = [
        call(
            "POST",
            "/v1/term-exceptions",
            canary,
            json={"customer_id": f"c-{n}", "segment": "net_30", "reason": "strategic"},
        )
        for n in range(2)
    ]
    assert [a.status_code for a in asked] == [201, 201], asked[0].text
    for exception, decision in zip(asked, ("approve", "reject"), strict=True):
        path = f"/v1/term-exceptions/{exception.json()['id']}/{decision}"
        assert call("POST", path, finance, json={"note": "ok"}).status_code == 200
    pinned = call(
        "PUT",
        "/v1/customers/c-2/override",
        canary,
        json={"segment": "pay_on_order", "reason": "late"},
    )
    assert pinned.status_code == 200, pinned.text
    assert call("DELETE", "/v1/customers/c-2/override", canary).status_code == 204

    created = call(
        "PUT", "/v1/segments/net_45", canary, json=net_45(), headers={"X-Request-ID": canary}
    )
    assert created.status_code == 201, created.text
    assert created.headers.get("x-request-id") != canary
    etag = created.headers["etag"]
    updated = call(
        "PUT",
        "/v1/segments/net_45",
        canary,
        json=net_45(name="Net 45 (EU)"),
        headers={"If-Match": etag, "X-Audit-Reason": "rename"},
    )
    assert updated.status_code == 200, updated.text
    deleted = call(
        "DELETE", "/v1/segments/net_45", canary, headers={"If-Match": updated.headers["etag"]}
    )
    assert deleted.status_code == 204
    etag = call("GET", "/v1/segmentation-policy", canary).headers["etag"]
    policy = call(
        "PUT", "/v1/segmentation-policy", canary, json=DEFAULT_POLICY, headers={"If-Match": etag}
    )
    assert policy.status_code == 200, policy.text
    run = call("POST", "/v1/segmentation-runs", canary, json={"dry_run": True})
    assert run.status_code == 201
    run_id = run.json()["id"]
    for path in (
        "/v1/customers/c-1",
        "/v1/audit-events?limit=1000",
        "/v1/deliveries",
        "/v1/term-exceptions",
        "/v1/segmentation-runs",
        f"/v1/segmentation-runs/{run_id}/moves",
        "/v1/kpis/dso?from=2026-11-01&to=2026-11-30&currency=USD",
        "/v1/kpis/ageing?as_of=2026-12-31&currency=USD",
        "/v1/workflows",
        "/v1/segments",
        "/v1/invoice-routes/inv-1",
        "/metrics",
    ):
        assert call("GET", path, canary).status_code == 200, path

    deadline = within(DELIVERY_WAIT_SECONDS)
    visible_by(
        deadline,
        lambda: call("GET", "/v1/deliveries?status=pending", canary).json()["items"],
        lambda pending: pending == [],
        "every webhook delivered",
    )
    call("GET", "/metrics")


@dataclass
class Scan:
    """Occurrences of the canaries per channel, and the bytes looked at."""

    token_forms: list[bytes]
    secret_forms: list[bytes]
    found: dict[str, int] = field(default_factory=dict)
    scanned: dict[str, int] = field(default_factory=dict)

    def channel(self, name: str, blobs: list[bytes]) -> None:
        forms = self.token_forms + self.secret_forms
        self.found[name] = sum(occurrences(blob, forms) for blob in blobs)
        self.scanned[name] = sum(len(blob) for blob in blobs)

    def record(self, figure: Figure, where: str) -> None:
        for name, count in self.found.items():
            figure(
                "7",
                f"canary key/secret occurrences in {name} ({where})",
                f"{count} in {self.scanned[name]:,} bytes",
            )


def deliveries(receiver: Receiver, secrets: list[str]) -> list[bytes]:
    """What the receiver got; every request is signed by one of the secrets shown."""
    received = receiver.received()
    assert received, "no webhook was delivered"
    for request in received:
        assert any(verify(secret, request.headers, request.body) for secret in secrets)
    return [orjson.dumps(request.headers) + request.body for request in received]


def store_cells(database_url: str) -> dict[tuple[str, str], list[bytes]]:
    """Every value of every column of every table, as text (bytes also as hex)."""
    cells: dict[tuple[str, str], list[bytes]] = {}
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            for table in inspect(connection).get_table_names():
                result = connection.execute(text(f'SELECT * FROM "{table}"'))
                columns = list(result.keys())
                for row in result:
                    for column, value in zip(columns, row, strict=True):
                        cells.setdefault((table, column), []).append(_rendered(value))
    finally:
        engine.dispose()
    return cells


def _rendered(value: object) -> bytes:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value + b" " + value.hex().encode()
    if isinstance(value, dict | list):
        return orjson.dumps(value)
    return str(value).encode()


def check_store(
    database_url: str, tokens: list[str], secrets: list[str], figure: Figure, where: str
) -> None:
    """No plaintext key (the canary's or another's) anywhere; the webhook secrets only where
    signing needs them (finding them there also shows the dump is read)."""
    cells = store_cells(database_url)
    scanned = sum(len(blob) for blobs in cells.values() for blob in blobs)
    count = sum(len(blobs) for blobs in cells.values())
    keys_found = {
        place: sum(occurrences(blob, token_forms(token)) for token in tokens for blob in blobs)
        for place, blobs in cells.items()
    }
    secret_places = {
        place
        for place, blobs in cells.items()
        if any(occurrences(blob, secret_forms(s)) for s in secrets for blob in blobs)
    }
    figure(
        "7",
        f"plaintext API key occurrences in the store ({where})",
        f"{sum(keys_found.values())} in {count:,} cells of {len({t for t, _ in cells})} "
        f"tables, {scanned:,} bytes",
    )
    figure(
        "7",
        f"columns holding a webhook secret ({where})",
        ", ".join(sorted(f"{t}.{c}" for t, c in secret_places)),
    )
    assert {place: n for place, n in keys_found.items() if n} == {}
    assert secret_places <= {("workflows", "secret"), ("workflows", "previous_secret")}
    assert ("workflows", "secret") in secret_places


def test_a_served_process_at_debug_never_shows_the_canaries(
    pg_database: str, launch: Launch, receiver: Receiver, figure: Figure
) -> None:
    canary = create_key(pg_database, CANARY, "admin")
    finance = create_key(pg_database, "finance", "exceptions:approve")
    server = launch(
        pg_database,
        env={
            "TERMSGATE_LOG_LEVEL": "DEBUG",
            "TERMSGATE_WEBHOOK_ALLOW_PRIVATE": "true",
            "TERMSGATE_WEBHOOK_RETRY_SCHEDULE": "[0.05, 0.1, 0.2]",
            "TERMSGATE_RELAY_IDLE_POLL_SECONDS": "0.02",
        },
    )
    with http(server) as client:
        call = Caller(client)
        every_operation(call, canary)
        broad_run(call, canary, finance, receiver)
    server.stop()
    logged = server.log_path.read_bytes()
    assert b'"relay started"' in logged
    scan_and_check(call, canary, receiver, logged.splitlines(), figure, "served")
    figure("7", "log lines at DEBUG scanned (served, postgresql)", len(logged.splitlines()))
    check_store(pg_database, [canary, finance], call.shown, figure, "served, postgresql")


def test_in_process_at_debug_for_every_logger_never_shows_the_canaries(
    debug_logs: DebugLogs,
    client: TestClient,
    make_key: KeyMaker,
    receiver: Receiver,
    database_url: str,
    backend: str,
    figure: Figure,
) -> None:
    canary = make_key("admin", name=CANARY)["Authorization"].removeprefix("Bearer ")
    finance = make_key("exceptions:approve", name="finance")["Authorization"].split()[1]
    call = Caller(client)
    every_operation(call, canary)
    broad_run(call, canary, finance, receiver)
    logged = debug_logs.lines()
    scan_and_check(call, canary, receiver, logged, figure, f"in-process, {backend}")
    figure("7", f"log lines at DEBUG scanned (in-process, {backend})", len(logged))
    # Before the app's formatter masks them, only SQLAlchemy's own echo of parameters and rows
    # (kept at WARNING by `termsgate serve`) ever holds a secret: no termsgate message does.
    forms = token_forms(canary) + [f for s in call.shown for f in secret_forms(s)]
    raw = debug_logs.records()
    masked = Counter(r.name for r in raw if occurrences(r.getMessage().encode(), forms))
    figure(
        "7",
        f"DEBUG records holding a secret before the formatter masks it ({backend})",
        f"{masked.total()} of {len(raw)} ({', '.join(sorted(masked))})",
    )
    assert all(name.startswith("sqlalchemy.") for name in masked)
    check_store(database_url, [canary, finance], call.shown, figure, f"in-process, {backend}")


def scan_and_check(
    call: Caller,
    canary: str,
    receiver: Receiver,
    logs: list[bytes],
    figure: Figure,
    where: str,
) -> None:
    """0 occurrences of the canary key or a canary secret, in any form, on any channel."""
    assert len(call.shown) == 3  # two webhooks set, one rotated
    assert call.statuses[401] > 0
    assert call.statuses[200] > 0
    assert all(b"termsgate_http_requests_total" in scraped for scraped in call.metrics)
    scan = Scan(token_forms(canary), [f for s in call.shown for f in secret_forms(s)])
    scan.channel("logs", logs)
    scan.channel("metrics", call.metrics)
    scan.channel("response bodies", call.bodies)
    scan.channel("response headers", call.headers)
    scan.channel("webhook requests", deliveries(receiver, call.shown))
    scan.record(figure, where)
    figure("7", f"requests made ({where})", f"{call.statuses.total()} ({dict(call.statuses)})")
    assert scan.found == dict.fromkeys(scan.found, 0)
