"""Abuse limits: what no caller can make termsgate do, however hard it tries.

Bodies over 1 MiB (declared or streamed) and batches over 1000 are 413 and write nothing. A key
past its rate limit for one scope gets 429 with Retry-After, writes nothing, and keeps its own
(and everyone's) lookups and checkout decisions; a limit is per key and per scope, and lifts
after Retry-After. Every list caps its page. Webhooks reach no private address, follow no
redirect, and give up at the timeout even when a receiver trickles its answer.
"""

from __future__ import annotations

import ipaddress
import json
import math
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import inspect, text

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.config import RateLimit, Settings, with_defaults
from app.core.store import Store
from app.deliveries.relay import Relay
from app.main import create_app
from app.workflows.service import new_secret
from app.workflows.webhook_url import check_webhook_url
from tests.support.checkout import order
from tests.support.deliveries import emit, events, point_directly, wait_for_status
from tests.support.figures import Figure
from tests.support.harness import bearer, http
from tests.support.invoices import invoice
from tests.support.keys import KeyMaker
from tests.support.launch import Launch
from tests.support.parts import recorder_of, store_of
from tests.support.problems import assert_problem
from tests.support.receiver import Receiver
from tests.support.server import termsgate

BODY_LIMIT = 1_048_576
PAGE_MAX = 1000
ROUTES = "/v1/invoice-routes"
DECISIONS = "/v1/checkout/decisions"
LOOKUP = "/v1/customers/c-1/terms"
RATE_LIMITED = "termsgate_rate_limited_total"
# Small on purpose: 5 at once, then 2 a second (so every Retry-After is 1 s).
WRITES = RateLimit(per_second=2, burst=5)
# Slow enough that nothing refills during a test: the burst, then a Retry-After near 100 s.
SCARCE = RateLimit(per_second=0.01, burst=3)
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])  # what no store changes


# -- bodies --------------------------------------------------------------------------------------


@SQLITE_ONLY
def test_every_body_over_1_mib_is_413_declared_or_streamed_and_writes_nothing(
    client: TestClient, make_key: KeyMaker, store: Store, figure: Figure
) -> None:
    document = client.app.api.openapi()  # type: ignore[attr-defined]
    operations = sorted(
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    )
    assert len(operations) >= 10
    headers = {**make_key("admin"), "Content-Type": "application/json", "If-Match": '"1"'}
    too_big = b'{"note": "' + b"x" * BODY_LIMIT + b'"}'
    before = _rows(client, store)

    answers: dict[str, int] = {}
    for method, path in operations:
        url = path.replace("{", "").replace("}", "")  # any id: the size is judged first
        declared = client.request(method, url, content=too_big, headers=headers)
        streamed = client.request(method, url, content=_chunks(too_big), headers=headers)
        assert streamed.request.headers["transfer-encoding"] == "chunked"
        for how, answer in (("declared", declared), ("streamed", streamed)):
            answers[f"{method} {path} ({how})"] = answer.status_code
            assert_problem(answer, 413, "payload-too-large")

    assert _rows(client, store) == before
    refused = sum(status == 413 for status in answers.values())
    figure("5", f"bodies over 1 MiB answered 413 ({len(operations)} operations x 2)", refused)
    assert refused == len(answers) == 2 * len(operations)


def _chunks(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), 65_536):
        yield body[start : start + 65_536]


def _rows(client: TestClient, store: Store) -> dict[str, int]:
    """Every table's row count, the store version included in its table's row."""
    recorder_of(client.app).flush()
    tables = [t for t in inspect(store.engine).get_table_names() if t != "alembic_version"]
    with store.reading() as session:
        counts = {
            t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables
        }
        counts["version"] = session.execute(text("SELECT version FROM store_version")).scalar_one()
    return counts


# -- rate limits, in process -------------------------------------------------------------------


@pytest.fixture
def limited(settings: Settings, clock: Clock) -> Iterator[TestClient]:
    """The app with small limits on invoices:write, reports:read and the any-key reads."""
    limits = with_defaults({"invoices:write": WRITES, "reports:read": SCARCE, "any": SCARCE})
    changed = settings.model_copy(update={"rate_limits": limits})
    with TestClient(create_app(changed, clock), raise_server_exceptions=False) as test_client:
        yield test_client


def _key(client: TestClient, clock: Clock, *scopes: str) -> dict[str, str]:
    store: Store = store_of(client.app)
    with store.writing() as session:
        token = apikeys.create(
            session, f"k-{uuid.uuid4().hex[:8]}", scopes=list(scopes), actor="test", clock=clock
        )
    return bearer(token)


def test_a_key_hammering_invoices_write_gets_429_and_keeps_its_lookups_and_decisions(
    limited: TestClient, clock: Clock, figure: Figure
) -> None:
    billing = _key(limited, clock, "invoices:write", "terms:read", "reports:read")
    checkout = _key(limited, clock, "terms:read")
    refused_before = _refused(limited, "invoices:write")
    statuses: dict[str, int] = {}
    retry_after: Counter[str] = Counter()
    reads: Counter[int] = Counter()

    started = time.monotonic()
    for n in range(30):
        answer = limited.post(ROUTES, json=invoice(f"inv-{n:02d}"), headers=billing)
        statuses[f"inv-{n:02d}"] = answer.status_code
        if answer.status_code == 429:
            assert_problem(answer, 429, "rate-limited")
            retry_after[answer.headers["retry-after"]] += 1
        for headers in (billing, checkout):
            reads[limited.get(LOOKUP, headers=headers).status_code] += 1
            reads[limited.post(DECISIONS, json=order(f"o-{n}"), headers=headers).status_code] += 1
    elapsed = time.monotonic() - started

    routed = {i for i, status in statuses.items() if status == 201}
    refused = [i for i, status in statuses.items() if status == 429]
    assert set(statuses.values()) == {201, 429}
    assert WRITES.burst <= len(routed) <= WRITES.burst + math.ceil(WRITES.per_second * elapsed)
    assert set(retry_after) == {"1"}  # the time until a token is back, at 2 a second
    assert reads == Counter({200: 120})  # every lookup and decision, the hammering key's too
    assert _stored_invoices(limited) == routed  # a refused route wrote nothing
    assert _refused(limited, "invoices:write") - refused_before == len(refused)

    time.sleep(int(retry_after.most_common(1)[0][0]))  # bounded: Retry-After says 1 s
    again = limited.post(ROUTES, json=invoice("inv-after"), headers=billing)
    assert again.status_code == 201, again.text

    figure("5", "429 answers to 30 routes from one key (burst 5, 2/s)", len(refused))
    figure("5", "Retry-After values seen (s)", dict(retry_after))
    figure("5", "lookups and decisions answered 200 while its writes were throttled", reads[200])


def test_limits_are_per_key_and_per_scope_and_bind_admin_keys_too(
    limited: TestClient, clock: Clock, figure: Figure
) -> None:
    billing = _key(limited, clock, "invoices:write", "reports:read")
    admin = _key(limited, clock, "admin")
    drained = [limited.post(ROUTES, json=invoice(f"b-{n}"), headers=billing) for n in range(10)]
    assert drained[-1].status_code == 429

    # Another key has its own bucket; an admin key draws from the endpoint's scope like any.
    by_admin = [
        limited.post(ROUTES, json=invoice(f"a-{n}"), headers=admin).status_code for n in range(10)
    ]
    assert by_admin[: WRITES.burst] == [201] * WRITES.burst
    assert 429 in by_admin

    # The same key's reports come from the reports:read bucket: 3, then Retry-After ~100 s.
    reports = [limited.get("/v1/audit-events?limit=1", headers=billing) for _ in range(4)]
    assert [r.status_code for r in reports] == [200, 200, 200, 429]
    waited = int(reports[-1].headers["retry-after"])
    assert 90 <= waited <= 100
    # Endpoints open to any key have a bucket of their own (here also 3 at once).
    segments = [limited.get("/v1/segments", headers=billing).status_code for _ in range(4)]
    assert segments == [200, 200, 200, 429]
    assert limited.get("/v1/segments", headers=admin).status_code == 200

    # A key no one knows is 401 however often it knocks, and draws from no bucket.
    stranger = bearer("tgk_" + "A" * 43)
    before = _refused(limited, "invoices:write")
    unknown = {
        limited.post(ROUTES, json=invoice(), headers=stranger).status_code for _ in range(20)
    }
    assert unknown == {401}
    assert _refused(limited, "invoices:write") == before
    figure("5", "Retry-After on reports:read at 0.01/s (s)", waited)


@SQLITE_ONLY
def test_a_terms_read_limit_when_configured_covers_lookups_and_decisions_alike(
    settings: Settings, clock: Clock
) -> None:
    changed = settings.model_copy(update={"rate_limits": with_defaults({"terms:read": SCARCE})})
    with TestClient(create_app(changed, clock)) as client:
        checkout = _key(client, clock, "terms:read", "invoices:write")
        other = _key(client, clock, "terms:read")
        first = [
            client.get(LOOKUP, headers=checkout).status_code,
            client.post(DECISIONS, json=order(), headers=checkout).status_code,
            client.get(LOOKUP, headers=checkout).status_code,
        ]
        assert first == [200, 200, 200]
        for answer in (
            client.get(LOOKUP, headers=checkout),
            client.post(DECISIONS, json=order(), headers=checkout),
            client.get("/v1/checkout/decisions/dec_0", headers=checkout),
        ):
            assert_problem(answer, 429, "rate-limited")
            assert 90 <= int(answer.headers["retry-after"]) <= 100
        assert client.get(LOOKUP, headers=other).status_code == 200
        assert client.post(ROUTES, json=invoice(), headers=checkout).status_code == 201
        assert client.get(LOOKUP, headers=bearer("tgk_" + "B" * 43)).status_code == 401


def _refused(client: TestClient | httpx.Client, scope: str) -> float:
    """termsgate_rate_limited_total{scope} as /metrics shows it."""
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            if sample.name == RATE_LIMITED and sample.labels.get("scope") == scope:
                return sample.value
    return 0.0


def _stored_invoices(client: TestClient) -> set[str]:
    store: Store = store_of(client.app)
    with store.reading() as session:
        return set(session.execute(text("SELECT invoice_id FROM invoices")).scalars())


# -- rate limits and size limits, on a real server ------------------------------------------------


@pytest.mark.process
def test_a_real_server_throttles_writes_per_key_and_refuses_oversized_bodies_and_batches(
    sqlite_database: str, launch: Launch, clock: Clock, figure: Figure
) -> None:
    tokens = _create_keys(sqlite_database, clock, ("billing", "backfill", "checkout"))
    limits = {"invoices:write": WRITES.model_dump()}
    server = launch(
        sqlite_database, "--no-migrate", env={"TERMSGATE_RATE_LIMITS": json.dumps(limits)}
    )
    billing, backfill, checkout = (
        bearer(tokens[name]) for name in ("billing", "backfill", "checkout")
    )

    with http(server) as client:
        too_big = b'{"invoice_id": "' + b"x" * BODY_LIMIT + b'"}'
        json_type = {"Content-Type": "application/json"}
        oversized = [
            client.post(path, content=content, headers={**backfill, **json_type}).status_code
            for path in (ROUTES, DECISIONS, f"{ROUTES}/batch")
            for content in (too_big, _chunks(too_big))
        ]
        batch = [invoice(f"batch-{n:04d}") for n in range(PAGE_MAX + 1)]
        over_count = client.post(f"{ROUTES}/batch", json={"invoices": batch}, headers=backfill)
        assert oversized == [413] * 6
        assert_problem(over_count, 413, "payload-too-large")
        assert _invoice_ids(sqlite_database) == set()

        statuses, reads, elapsed = _hammer(server, billing, (billing, checkout))
        refused_total = _refused(client, "invoices:write")
        retry_after = [int(r) for r in statuses.values() if r > 0]  # see _hammer
        routed = {i for i, status in statuses.items() if status == 0}
        assert len(retry_after) > 0
        assert WRITES.burst <= len(routed) <= WRITES.burst + math.ceil(WRITES.per_second * elapsed)
        assert set(retry_after) == {1}
        assert reads == Counter({200: 4 * len(statuses)})
        assert _invoice_ids(sqlite_database) == routed
        assert refused_total == len(retry_after)

        time.sleep(max(retry_after))  # the key is admitted again once Retry-After has passed
        assert client.post(ROUTES, json=invoice("after"), headers=billing).status_code == 201

    figure("5", "real server: 413s to bodies over 1 MiB and a batch of 1001", 7)
    figure(
        "5",
        "real server: 429s to 60 concurrent routes from one key (burst 5, 2/s)",
        len(retry_after),
    )
    figure("5", "real server: lookups and decisions answered 200 meanwhile", reads[200])


def _create_keys(url: str, clock: Clock, names: tuple[str, ...]) -> dict[str, str]:
    store = Store(Settings(database_url=url))
    try:
        with store.writing() as session:
            scopes = ["invoices:write", "terms:read"]
            return {
                name: apikeys.create(session, name, scopes=scopes, actor="test", clock=clock)
                for name in names
            }
    finally:
        store.dispose()


def _hammer(
    server: Any, writer: dict[str, str], readers: tuple[dict[str, str], ...]
) -> tuple[dict[str, int], Counter[int], float]:
    """60 routes from `writer`, 8 at a time, while each reader looks up and decides.

    Returns each invoice's outcome (0: routed, n: refused with Retry-After n), the readers'
    answers, and the seconds the writes took."""

    def route(n: int) -> tuple[str, int]:
        answer = client.post(ROUTES, json=invoice(f"inv-{n:02d}"), headers=writer)
        if answer.status_code == 429:
            assert answer.json()["type"] == "urn:termsgate:problem:rate-limited"
            return f"inv-{n:02d}", int(answer.headers["retry-after"])
        assert answer.status_code == 201, answer.text
        return f"inv-{n:02d}", 0

    def read(n: int) -> list[int]:
        return [
            status
            for headers in readers
            for status in (
                client.get(LOOKUP, headers=headers).status_code,
                client.post(DECISIONS, json=order(f"o-{n}"), headers=headers).status_code,
            )
        ]

    with http(server) as client, ThreadPoolExecutor(max_workers=8) as pool:
        started = time.monotonic()
        writes = pool.map(route, range(60))
        read_statuses = pool.map(read, range(60))
        statuses = dict(writes)
        elapsed = time.monotonic() - started
        reads = Counter(status for four in read_statuses for status in four)
    return statuses, reads, elapsed


def _invoice_ids(url: str) -> set[str]:
    store = Store(Settings(database_url=url))
    try:
        with store.reading() as session:
            return set(session.execute(text("SELECT invoice_id FROM invoices")).scalars())
    finally:
        store.dispose()


@pytest.mark.process
def test_a_limit_on_an_unknown_scope_refuses_to_start() -> None:
    limits = json.dumps({"invoice:write": WRITES.model_dump()})
    done = termsgate("serve", "--port", "9", env={"TERMSGATE_RATE_LIMITS": limits}, timeout=60)
    assert done.returncode == 2
    assert "TERMSGATE_RATE_LIMITS: unknown scope 'invoice:write'" in done.stderr
    assert "Traceback" not in done.stderr


# -- page sizes ----------------------------------------------------------------------------------


@SQLITE_ONLY
def test_every_list_caps_its_page_at_1000_and_defaults_to_a_bounded_one(
    client: TestClient, make_key: KeyMaker, figure: Figure
) -> None:
    document = client.app.api.openapi()  # type: ignore[attr-defined]
    lists = _list_operations(document)
    assert "/v1/audit-events" in lists
    assert len(lists) >= 8
    admin = make_key("admin")
    for path, limit in lists.items():
        assert (limit["minimum"], limit["maximum"]) == (1, PAGE_MAX), path
        assert 1 <= limit["default"] <= PAGE_MAX, path
        url = path.replace("{run_id}", "run_0").replace("{customer_id}", "c-1")
        for wrong in (PAGE_MAX + 1, 0, 10**9):
            body = assert_problem(client.get(f"{url}?limit={wrong}", headers=admin), 422, "invalid")
            assert [e["loc"] for e in body["errors"]] == [["query", "limit"]], path
        assert client.get(f"{url}?limit={PAGE_MAX}", headers=admin).status_code in (200, 404)
    unpaged = [
        path
        for path, item in document["paths"].items()
        if _answer_schema(document, item.get("get", {})).get("type") == "array"
    ]
    assert unpaged == []  # every collection is a page

    # The default holds: 150 audit rows (one batch) come 100 to a page unless asked for more.
    batch = [invoice(f"inv-{n:03d}") for n in range(150)]
    assert (
        client.post(f"{ROUTES}/batch", json={"invoices": batch}, headers=admin).status_code == 200
    )
    first = client.get("/v1/audit-events", headers=admin).json()
    whole = client.get(f"/v1/audit-events?limit={PAGE_MAX}", headers=admin).json()
    assert (len(first["items"]), first["next_cursor"] is not None) == (100, True)
    assert len(whole["items"]) >= 150
    assert whole["next_cursor"] is None
    figure("5", "list endpoints refusing limit > 1000 with 422 (default 100)", len(lists))


def _list_operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each GET that answers a page ({items, next_cursor}), with its `limit` parameter."""
    found = {}
    for path, item in document["paths"].items():
        operation = item.get("get", {})
        answer = _answer_schema(document, operation)
        if {"items", "next_cursor"} <= set(answer.get("properties", {})):
            params = {p["name"]: p for p in operation.get("parameters", [])}
            assert "limit" in params, f"{path} pages without a limit"
            found[path] = params["limit"]["schema"]
    return found


def _answer_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    schema: dict[str, Any] = content.get("application/json", {}).get("schema", {})
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


# -- webhooks ------------------------------------------------------------------------------------

# Each refused by default; the README's rule is "global addresses only, over https".
NON_GLOBAL = [
    "https://0.0.0.0/", "https://0/", "https://[::]/", "https://127.0.0.2/", "https://[::1]/",
    "https://0177.0.0.1/", "https://0x7f.1/", "https://10.1.2.3/", "https://172.16.0.1/",
    "https://192.168.0.1/", "https://100.64.0.1/", "https://198.18.0.1/",
    "https://169.254.169.254/latest/meta-data", "https://[fe80::1]/", "https://[fe80::1%25eth0]/",
    "https://[fc00::1]/", "https://[fd12:3456::1]/", "https://[::ffff:10.0.0.1]/",
    "https://[::ffff:169.254.169.254]/", "https://localhost/", "https://LOCALHOST./",
    "https://metadata.internal/", "https://printer.local/",
]  # fmt: skip
RETRIES = [0.05, 0.1, 0.2, 0.4, 0.8]
TIMEOUT_SECONDS = 0.5
STALL_SECONDS = 20.0  # far past the timeout: an attempt that waited for it would be obvious
WAIT_SECONDS = 10.0
StartRelay = Callable[..., Relay]


@SQLITE_ONLY
def test_webhook_urls_to_non_global_addresses_are_refused_by_default(
    client: TestClient, ops: dict[str, str], figure: Figure
) -> None:
    refused = 0
    for url in NON_GLOBAL:
        body = {"name": "Collections", "webhook_url": url}
        answer = client.put("/v1/workflows/collections", json=body, headers=ops)
        problem = assert_problem(answer, 422, "invalid")
        assert [e["loc"] for e in problem["errors"]] == [["body", "webhook_url"]], url
        refused += 1
    assert client.get("/v1/workflows/collections", headers=ops).status_code == 404
    figure(
        "5", "webhook URLs to non-global addresses refused with 422", f"{refused}/{len(NON_GLOBAL)}"
    )


@pytest.fixture
def start_relay(store: Store, settings: Settings, clock: Clock) -> Iterator[StartRelay]:
    """Start a relay on the app's store with short retries (and settings changed as asked)."""
    relays: list[Relay] = []
    base = settings.model_copy(
        update={
            "webhook_retry_schedule": RETRIES,
            "webhook_timeout_seconds": TIMEOUT_SECONDS,
            "relay_idle_poll_seconds": 0.02,
            "relay_lease_seconds": 10.0,
        }
    )

    def start(**changes: Any) -> Relay:
        relay = Relay(store, base.model_copy(update=changes), clock)
        relays.append(relay)
        relay.start()
        return relay

    yield start
    for relay in relays:
        relay.stop(timeout=10)


@SQLITE_ONLY
def test_a_name_resolving_to_a_private_address_is_refused_when_delivering(
    store: Store, clock: Clock, start_relay: StartRelay, figure: Figure
) -> None:
    name = _name_resolving_to_non_global()
    with Receiver() as receiver:
        point_directly(store, f"https://{name}:{receiver.port}/hooks", new_secret())
        [event_id] = emit(store, clock)
        start_relay(webhook_allow_private=False)
        row = wait_for_status(store, [event_id], "dead", timeout=WAIT_SECONDS)[event_id]
        assert receiver.received() == []
    assert row.attempts == 1
    assert row.last_error is not None
    assert row.last_error.startswith(f"refused: {name} resolves to a non-global address")
    figure("5", f"deliveries to a name resolving to loopback ({name}) that connected", 0)


def _name_resolving_to_non_global() -> str:
    """A host name the URL check cannot judge by its spelling that resolves to a non-global
    address here: this machine's own name, as /etc/hosts has it on most Linux hosts."""
    for name in (socket.gethostname(), "ip6-localhost", "localhost.localdomain"):
        try:
            check_webhook_url(f"https://{name}/", allow_private=False)
            found = socket.getaddrinfo(name, 443, type=socket.SOCK_STREAM)
        except Exception:  # refused by its spelling, or not resolvable here: try the next
            continue
        if any(not ipaddress.ip_address(str(f[4][0]).split("%")[0]).is_global for f in found):
            return name
    pytest.fail("no host name here resolves to a non-global address")


@SQLITE_ONLY
def test_a_redirect_is_a_failed_attempt_retried_and_never_followed(
    store: Store, clock: Clock, start_relay: StartRelay, figure: Figure
) -> None:
    with Receiver() as first, Receiver() as elsewhere:
        first.redirect_next(2, elsewhere.url)
        point_directly(store, first.url, new_secret())
        [event_id] = emit(store, clock)
        start_relay(webhook_allow_private=True)
        row = wait_for_status(store, [event_id], "delivered", timeout=WAIT_SECONDS)[event_id]
        seen = first.received()
        assert elsewhere.received() == []
    assert [r.status for r in seen] == [302, 302, 200]
    assert {r.webhook_id for r in seen} == {event_id}
    assert row.attempts == 3
    figure("5", "requests that reached a redirect's target", 0)


@SQLITE_ONLY
@pytest.mark.parametrize("stall", ["silent", "trickling"])
def test_a_receiver_that_stalls_fails_the_attempt_at_the_timeout_and_it_is_retried(
    stall: str, store: Store, clock: Clock, start_relay: StartRelay, figure: Figure
) -> None:
    with SlowReceiver(trickle=stall == "trickling") as receiver:
        point_directly(store, receiver.url, new_secret())
        [event_id] = emit(store, clock)
        started = time.monotonic()
        start_relay(webhook_allow_private=True)
        deadline = started + WAIT_SECONDS
        while (row := events(store)[event_id]).last_error is None:  # set when an attempt ends
            assert time.monotonic() < deadline, "no attempt ended in time"
            time.sleep(0.01)
        failed_after = time.monotonic() - started
        # The attempt ended while the receiver was still stalling: the timeout cut it short.
        assert receiver.finished == 0
        assert row.status == "pending"
        assert row.last_error.startswith("timed out")

        receiver.stalling = False
        row = wait_for_status(store, [event_id], "delivered", timeout=WAIT_SECONDS)[event_id]
    assert row.attempts >= 2
    figure(
        "5",
        f"{stall} receiver: first attempt failed after (s, timeout 0.5)",
        round(failed_after, 2),
    )


class SlowReceiver:
    """A receiver on 127.0.0.1 that, while `stalling`, holds each answer for STALL_SECONDS:
    silent, or trickling its headers a byte every 50 ms (each read well within the timeout)."""

    def __init__(self, trickle: bool) -> None:
        self.trickle = trickle
        self.stalling = True
        self.finished = 0  # answers sent whole
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self._closed = threading.Event()
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}/hooks"

    def __enter__(self) -> SlowReceiver:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._closed.set()
        self._server.close()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.settimeout(STALL_SECONDS + 5)
                request = b""
                while b"\r\n\r\n" not in request:
                    request += connection.recv(65_536)
                connection.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n")
                if self.stalling:
                    self._stall(connection)
                connection.sendall(b"Content-Length: 2\r\n\r\nok")
                self.finished += 1
            except OSError:  # the sender gave up and closed the connection
                return

    def _stall(self, connection: socket.socket) -> None:
        if not self.trickle:
            self._closed.wait(STALL_SECONDS)
            return
        connection.sendall(b"X-Trickle: ")
        until = time.monotonic() + STALL_SECONDS
        while time.monotonic() < until and not self._closed.is_set():
            connection.sendall(b"a")
            time.sleep(0.05)
        connection.sendall(b"\r\n")
