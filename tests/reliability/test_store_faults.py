"""Item 4: PostgreSQL killed, absent at start, or hanging, under real `termsgate serve` processes.

Lookups and checkout decisions never fail and never loosen while the store is away: they answer
from the last snapshot (`stale` once the staleness bound has passed, fresh again after), or
pay-on-order before any snapshot. Writes answer 503 problems with Retry-After within a bound,
leave no row behind, and land exactly once when retried; a write cut off during its COMMIT says
its outcome is unknown (never "nothing was written"), and its retry lands it once.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.apikeys import service as apikeys
from app.core import schema
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from tests.support.figures import Figure
from tests.support.harness import autocommit, bearer, http, place, visible_by, within
from tests.support.invoices import set_webhook
from tests.support.launch import Launch
from tests.support.postgres import PostgresCluster
from tests.support.server import Server
from tests.support.tcpproxy import TcpProxy

pytestmark = [pytest.mark.process, pytest.mark.xdist_group("machine")]

ITEM = "4"
DB_TIMEOUT_SECONDS = 2.0  # TERMSGATE_DB_TIMEOUT_SECONDS for every server here
STALE_AFTER_SECONDS = 2.0  # the default staleness bound, set explicitly
SERVER_ENV = {
    "TERMSGATE_DB_TIMEOUT_SECONDS": f"{DB_TIMEOUT_SECONDS:g}",
    "TERMSGATE_STALE_AFTER_SECONDS": f"{STALE_AFTER_SECONDS:g}",
    "TERMSGATE_WEBHOOK_ALLOW_PRIVATE": "true",  # net_15's webhook, on loopback
}
# How long PostgreSQL stays down: CI, and `pytest --long` (the 30 s the claim names). CI's is well
# past the staleness bound, so lookups and decisions answer stale for most of it.
OUTAGE_SECONDS = {False: 10.0, True: 30.0}
LOOKUPS_PER_SECOND = 200
FIRST_WRITE_WITHIN = 5.0  # the bound, from PostgreSQL accepting connections again
# A write facing a hung store waits at most: the pool (the timeout), a pooled connection's reply
# deadline (the timeout + 1 s), a fresh connection's connect timeout (the timeout). A caller
# that gives up after this (with room for a loaded machine) must still have had its answer; a
# server that did not enforce TERMSGATE_DB_TIMEOUT_SECONDS would hold it until the hang ends.
WRITE_ANSWER_BOUND = 2 * (3 * DB_TIMEOUT_SECONDS + 1)
# Generous bounds on waits (they bound a hang, they measure nothing).
RECOVERED_WITHIN = 20.0
FRESH_TAIL_SECONDS = 2.0  # lookups kept going after both workers were seen fresh
LAST_LOOKUPS = LOOKUPS_PER_SECOND // 2  # the run's last ones, every one of them fresh
ANSWER_WITHIN = 60.0
# A new connection for every request, so that the kernel spreads them over the workers.
ONE_REQUEST_A_CONNECTION = httpx.Limits(max_keepalive_connections=0)

# Customers of every kind: assigned, pinned tighter, widened by an approved exception,
# pay-on-order, and one nobody knows. Answered as (segment, source, net days) when all is well.
EXPECTED = {
    "c-net30": ("net_30", "segment", 30),
    "c-net15": ("net_15", "segment", 15),
    "c-poo": ("pay_on_order", "segment", 0),
    "c-override": ("net_15", "override", 15),
    "c-exception": ("net_30", "exception", 30),
    "c-new": ("pay_on_order", "default", 0),
}
CUSTOMERS = tuple(EXPECTED)
EXCEPTION_LIMIT = {"amount": 5_000_000, "currency": "USD"}
FALLBACK = {
    "segment": "pay_on_order",
    "source": "default",
    "stale": True,
    "terms": {"type": "pay_on_order", "net_days": 0},
}


# -- the store, keys and customers ----------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    """A PostgreSQL of this module's own (its tests stop it), with a migrated template."""
    own = PostgresCluster(tmp_path_factory.mktemp("faults"))
    own.start()
    engine = create_engine(own.create_database("faults_template"))
    schema.upgrade(engine)
    engine.dispose()
    yield own
    own.stop()


@pytest.fixture
def store_url(cluster: PostgresCluster) -> str:
    """A migrated database of the test's own; the cluster is up whatever the last test did."""
    cluster.start()
    return cluster.create_database(f"f_{uuid.uuid4().hex[:12]}", template="faults_template")


@pytest.fixture
def proxy(cluster: PostgresCluster) -> Iterator[TcpProxy]:
    with TcpProxy(cluster.port) as own:
        yield own


@dataclass(frozen=True)
class Keys:
    ops: dict[str, str]
    sales: dict[str, str]
    finance: dict[str, str]
    checkout: dict[str, str]


def make_keys(url: str) -> Keys:
    """Four keys, written in-process (quicker than four CLI runs)."""
    store = Store(Settings(database_url=url))
    scopes = {
        "ops": ["admin"],
        "sales": ["exceptions:request"],
        "finance": ["exceptions:approve"],
        "checkout": ["terms:read"],
    }
    try:
        with store.writing() as session:
            tokens = [
                apikeys.create(session, n, scopes=s, actor="test", clock=Clock())
                for n, s in scopes.items()
            ]
    finally:
        store.dispose()
    return Keys(*(bearer(token) for token in tokens))


def set_up_customers(url: str, client: httpx.Client, keys: Keys) -> None:
    """The customers of EXPECTED, inv-0 for the payments, and a webhook on net_15 (so that a
    route writes an outbox event)."""
    set_webhook(client, keys.ops, "net_15")
    for customer_id, segment in (
        ("c-net30", "net_30"),
        ("c-net15", "net_15"),
        ("c-poo", "pay_on_order"),
        ("c-override", "net_30"),
        ("c-exception", "pay_on_order"),
    ):
        place(url, customer_id, segment)
    pin = {"segment": "net_15", "reason": "watch list"}
    pinned = client.put("/v1/customers/c-override/override", json=pin, headers=keys.ops)
    assert pinned.status_code in (200, 201), pinned.text
    wish = {"customer_id": "c-exception", "segment": "net_30", "reason": "strategic account"}
    asked = client.post(
        "/v1/term-exceptions", json=wish | {"credit_limit": EXCEPTION_LIMIT}, headers=keys.sales
    )
    assert asked.status_code == 201, asked.text
    approve = f"/v1/term-exceptions/{asked.json()['id']}/approve"
    assert client.post(approve, json={}, headers=keys.finance).status_code == 200
    routed = client.post("/v1/invoice-routes", json=invoice("inv-0", "c-net30"), headers=keys.ops)
    assert routed.status_code == 201, routed.text


def invoice(invoice_id: str, customer_id: str = "c-net15") -> dict[str, Any]:
    return {"invoice_id": invoice_id, "customer_id": customer_id, "amount": 10_000,
            "currency": "USD", "issued_on": "2026-11-02"}  # fmt: skip


def payment(payment_id: str) -> dict[str, Any]:
    return {"payment_id": payment_id, "invoice_id": "inv-0", "amount": 100, "currency": "USD",
            "paid_on": "2026-11-10"}  # fmt: skip


# -- what callers see -----------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """One answer to a lookup or a checkout decision."""

    sent_at: float
    customer_id: str
    status: int  # 0: no answer (refused, reset, timed out, not JSON)
    body: dict[str, Any]

    @property
    def terms(self) -> tuple[str, ...]:
        """What the answer grants: everything that matters but `stale`."""
        return tuple(str(self.body.get(k)) for k in ("segment", "source", "terms", "credit_limit"))

    @property
    def net_days(self) -> int:
        days: int = self.body["terms"]["net_days"]
        return days


def lookup(client: httpx.Client, customer_id: str, headers: dict[str, str]) -> Seen:
    return _ask(client, "GET", f"/v1/customers/{customer_id}/terms", customer_id, headers)


def decide(client: httpx.Client, customer_id: str, headers: dict[str, str]) -> Seen:
    order = {"customer_id": customer_id, "order_id": f"o-{uuid.uuid4().hex[:10]}",
             "amount": 1_000, "currency": "USD"}  # fmt: skip
    return _ask(client, "POST", "/v1/checkout/decisions", customer_id, headers, order)


def _ask(
    client: httpx.Client,
    method: str,
    path: str,
    customer_id: str,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
) -> Seen:
    sent_at = time.monotonic()
    try:
        answer = client.request(method, path, json=body, headers=headers)
        return Seen(sent_at, customer_id, answer.status_code, answer.json())
    except (httpx.HTTPError, ValueError) as error:
        return Seen(sent_at, customer_id, 0, {"error": type(error).__name__})


class PacedLookups:
    """Lookups at a steady pace from a few client threads, round the customers, each on a
    connection of its own (spread over the workers), until the `with` block ends."""

    def __init__(self, server: Server, headers: dict[str, str], per_second: float) -> None:
        self.server, self.headers = server, headers
        self.threads = 2
        self.period = self.threads / per_second
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._senders = [
            threading.Thread(target=self._send, args=(n,), daemon=True) for n in range(self.threads)
        ]

    def __enter__(self) -> PacedLookups:
        self.started_at = time.monotonic()
        for sender in self._senders:
            sender.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for sender in self._senders:
            sender.join(timeout=ANSWER_WITHIN)
        assert not any(sender.is_alive() for sender in self._senders)

    def between(self, start: float, end: float = float("inf")) -> list[Seen]:
        with self._lock:
            return [seen for seen in self.seen if start <= seen.sent_at < end]

    def _send(self, n: int) -> None:
        due = self.started_at + n * self.period / self.threads
        with http(self.server, limits=ONE_REQUEST_A_CONNECTION) as client:
            for sent in range(10**9):
                if self._stop.wait(max(0.0, due - time.monotonic())):
                    return
                due = max(due + self.period, time.monotonic() - self.period)  # never a burst
                customer_id = CUSTOMERS[(n + sent * self.threads) % len(CUSTOMERS)]
                seen = lookup(client, customer_id, self.headers)
                with self._lock:
                    self.seen.append(seen)


def fresh_everywhere(server: Server, headers: dict[str, str], workers: int) -> bool:
    """A run of fresh answers, each on a new connection, long enough to meet every worker."""
    with http(server, limits=ONE_REQUEST_A_CONNECTION) as client:
        runs = range(8 * workers)
        return all(lookup(client, "c-net30", headers).body.get("stale") is False for _ in runs)


def answers_when_well(server: Server, headers: dict[str, str]) -> dict[str, Seen]:
    """Each customer's answer with the store well: what every answer in a fault must equal."""
    with http(server) as client:
        answers = {c: lookup(client, c, headers) for c in CUSTOMERS}
    assert all(seen.body.get("stale") is False for seen in answers.values()), answers
    assert {
        c: (seen.body["segment"], seen.body["source"], seen.net_days) for c, seen in answers.items()
    } == EXPECTED
    assert answers["c-exception"].body["credit_limit"] == EXCEPTION_LIMIT
    return answers


def departures(seen: list[Seen], well: dict[str, Seen]) -> tuple[list[Seen], list[Seen]]:
    """(answers granting other terms than when all was well, the looser of those)."""
    changed = [s for s in seen if s.status == 200 and s.terms != well[s.customer_id].terms]
    looser = [s for s in changed if s.net_days > well[s.customer_id].net_days]
    return changed, looser


@dataclass(frozen=True)
class Write:
    method: str
    path: str
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass(frozen=True)
class Written:
    """One write's answer, and how long it took to come."""

    write: Write
    status: int  # 0: no answer within ANSWER_WITHIN
    headers: httpx.Headers
    problem: dict[str, Any]
    seconds: float

    @property
    def refused_cleanly(self) -> bool:
        """A 503 problem with Retry-After: what a caller can act on."""
        return (
            self.status == 503
            and self.headers.get("content-type") == "application/problem+json"
            and self.problem.get("status") == 503
            and int(self.headers.get("Retry-After", "0")) > 0
        )


def send(server: Server, write: Write, deadline: float = ANSWER_WITHIN) -> Written:
    """Send one write as a caller that gives up after `deadline` seconds (status 0 then)."""
    started = time.monotonic()
    try:
        with http(server, timeout=deadline) as client:
            answer = client.request(write.method, write.path, json=write.body,
                                    headers=write.headers)  # fmt: skip
    except httpx.HTTPError:
        return Written(write, 0, httpx.Headers(), {}, time.monotonic() - started)
    problem = answer.json() if answer.status_code >= 400 else {}
    return Written(write, answer.status_code, answer.headers, problem, time.monotonic() - started)


def writes_of_each_kind(tag: str, keys: Keys) -> list[Write]:
    """A route, a payment and a term exception request, new ones (named by `tag`)."""
    wish = {"customer_id": "c-new", "segment": "net_30", "reason": f"asked during {tag}"}
    return [
        Write("POST", "/v1/invoice-routes", invoice(f"inv-{tag}"), keys.ops),
        Write("POST", "/v1/payments", payment(f"pay-{tag}"), keys.ops),
        Write("POST", "/v1/term-exceptions", wish, keys.sales),
    ]


def retry_refused(server: Server, url: str, refused: list[Written]) -> None:
    """Every write refused with 'nothing was written', sent again, lands exactly once (and a
    route or payment sent once more is a replay that writes nothing): the refusal was true."""
    exceptions_before = count(url, "SELECT count(*) FROM term_exceptions")
    for answer in refused:
        write = answer.write
        assert answer.problem["type"] == "urn:termsgate:problem:store-unavailable", answer
        landed = send(server, write)
        assert landed.status == 201, landed
        if write.path in ("/v1/invoice-routes", "/v1/payments"):
            again = send(server, write)
            assert (again.status, again.headers.get("Idempotent-Replayed")) == (200, "true")
        if write.path == "/v1/invoice-routes":
            assert rows_of_invoice(url, write.body["invoice_id"]) == (1, 1, 1)
        if write.path == "/v1/payments":
            paid = "SELECT count(*) FROM payments WHERE payment_id = :id"
            assert count(url, paid, id=write.body["payment_id"]) == 1
    asked = [a for a in refused if a.write.path == "/v1/term-exceptions"]
    assert count(url, "SELECT count(*) FROM term_exceptions") - exceptions_before == len(asked)


# -- the rows behind ------------------------------------------------------------------------


def count(url: str, query: str, **params: Any) -> int:
    with autocommit(url) as db:
        found: int = db.execute(text(query), params).scalar_one()
        return found


WRITTEN_TABLES = ("invoices", "payments", "outbox_events", "audit_events", "term_exceptions",
                  "segments")  # fmt: skip


def rows(url: str) -> int:
    """All rows a write could leave (checkout decisions are records apart)."""
    return sum(count(url, f"SELECT count(*) FROM {table}") for table in WRITTEN_TABLES)


def rows_of_invoice(url: str, invoice_id: str) -> tuple[int, int, int]:
    """(invoice rows, outbox events, audit rows) of one invoice id."""
    return (
        count(url, "SELECT count(*) FROM invoices WHERE invoice_id = :id", id=invoice_id),
        count(
            url,
            "SELECT count(*) FROM outbox_events WHERE body LIKE :pattern",
            pattern=f'%"invoice_id":"{invoice_id}"%',
        ),
        count(url, "SELECT count(*) FROM audit_events WHERE entity_id = :id", id=invoice_id),
    )


def decisions_stored(url: str) -> set[str]:
    with autocommit(url) as db:
        return set(db.execute(text("SELECT decision_id FROM checkout_decisions")).scalars())


# -- 1. down for 30 s (10 s in CI) under 200 lookups a second, with writes --------------------


def test_a_store_down_30s_under_200_lookups_a_second_loses_no_answer_and_no_write(
    cluster: PostgresCluster,
    store_url: str,
    launch: Launch,
    figure: Figure,
    request: pytest.FixtureRequest,
) -> None:
    outage = OUTAGE_SECONDS[request.config.getoption("--long")]
    keys = make_keys(store_url)
    server = launch(store_url, "--no-migrate", workers=2, env=SERVER_ENV)
    with http(server) as client:
        set_up_customers(store_url, client, keys)
    ready = partial(fresh_everywhere, server, keys.checkout, 2)
    visible_by(within(RECOVERED_WITHIN), ready, bool, "every worker fresh before the outage")
    well = answers_when_well(server, keys.checkout)
    rows_before = rows(store_url)
    with autocommit(store_url) as db:  # what is set up survives the crash below
        db.execute(text("CHECKPOINT"))

    with PacedLookups(server, keys.checkout, LOOKUPS_PER_SECOND) as load:
        time.sleep(1.0)  # the steady pace, before the crash
        stop_called = time.monotonic()
        cluster.kill()  # an immediate shutdown: crash recovery at the restart
        stopped = time.monotonic()
        refused, decisions = write_and_decide_until(server, keys, stopped + outage)
        restart_called = time.monotonic()
        cluster.restart()  # returns once PostgreSQL accepts connections
        accepting = time.monotonic()
        first = first_route_after(server, keys, accepting)
        visible_by(within(RECOVERED_WITHIN), ready, bool, "every worker fresh after the restart")
        time.sleep(FRESH_TAIL_SECONDS)
    during = load.between(stop_called, accepting)
    after = load.between(accepting)
    last = sorted(after, key=lambda seen: seen.sent_at)[-LAST_LOOKUPS:]

    # Lookups: every one answered 200, none other than before (so none looser), stale once
    # the bound has passed; fresh again after.
    past_bound = stopped + STALE_AFTER_SECONDS + 1.0
    answered = [s for s in during if s.status == 200]
    stale = [s for s in answered if s.body["stale"] is True]
    changed, looser = departures(during, well)
    figure(ITEM, "outage: PostgreSQL down (s)", round(restart_called - stopped, 1))
    figure(ITEM, "outage: lookups sent", len(during))
    pace = round(len(during) / (accepting - stop_called))
    figure(ITEM, "outage: lookup pace achieved (/s)", pace)
    figure(ITEM, "outage: lookups answered 200", len(answered))
    figure(ITEM, "outage: lookups answered stale", len(stale))
    figure(ITEM, "outage: lenient lookups", len(looser))
    assert during
    assert len(answered) == len(during), [s for s in during if s.status != 200][:5]
    assert not changed, changed[:5]
    assert all(s.body["stale"] is True for s in answered if s.sent_at >= past_bound)
    assert after
    # After the restart every answer is 200; once each worker has caught up (a worker may do so
    # a moment after another), only fresh ones: the last lookups of the run are all fresh.
    assert all(s.status == 200 for s in after), [s for s in after if s.status != 200][:5]
    settled_at = max((s.sent_at for s in after if s.body["stale"] is not False), default=accepting)
    settled = round(settled_at - accepting, 2)
    figure(ITEM, "outage: restart to every lookup fresh again (s)", settled)
    assert len(last) == LAST_LOOKUPS
    assert [s for s in last if s.body["stale"] is not False] == [], "stale at the end"

    # Checkout decisions: from the snapshot, never looser; the held records written later.
    assert decisions
    assert all(d.status == 200 for d in decisions), decisions[:3]
    assert all(d.body["stale"] is True for d in decisions if d.sent_at >= past_bound)
    for decision in decisions:
        assert decision.terms == well[decision.customer_id].terms, decision
        assert "store_unavailable" not in decision.body["reasons"], decision
    decided = {d.body["decision_id"] for d in decisions}
    visible_by(
        within(RECOVERED_WITHIN),
        lambda: decided - decisions_stored(store_url),
        lambda missing: not missing,
        "the outage's decisions recorded",
    )

    # Writes: 503 problems with Retry-After, not a row left; the first write after the
    # restart within the bound; each refused one, retried, lands exactly once.
    left_behind = rows(store_url) - rows_before - sum(rows_of_invoice(store_url, first.invoice_id))
    figure(ITEM, "outage: writes attempted", len(refused))
    figure(ITEM, "outage: writes answered 503 with Retry-After",
           len([w for w in refused if w.refused_cleanly]))  # fmt: skip
    figure(ITEM, "outage: rows left by refused writes", left_behind)
    figure(ITEM, "outage: restart to first write answered 201 (s)", round(first.seconds, 2))
    assert refused
    assert all(w.refused_cleanly for w in refused), refused
    assert left_behind == 0
    retry_refused(server, store_url, refused)


def write_and_decide_until(
    server: Server, keys: Keys, deadline: float
) -> tuple[list[Written], list[Seen]]:
    """Every second until `deadline`: a write of each kind, a checkout decision; once, a
    segment created by ops."""
    written: list[Written] = []
    decisions: list[Seen] = []
    net_7 = {"name": "Net 7", "terms": {"type": "net", "net_days": 7}, "workflow": "net_15"}
    segment = Write("PUT", "/v1/segments/net_7", net_7, keys.ops)
    with http(server) as client:
        for turn in range(10**6):
            if time.monotonic() >= deadline:
                break
            writes = writes_of_each_kind(f"outage-{turn}", keys) + ([segment] if turn == 0 else [])
            written += [send(server, write) for write in writes]
            decisions.append(decide(client, CUSTOMERS[turn % len(CUSTOMERS)], keys.checkout))
            time.sleep(max(0.0, min(1.0, deadline - time.monotonic())))
    return written, decisions


@dataclass(frozen=True)
class FirstWrite:
    invoice_id: str
    seconds: float


def first_route_after(server: Server, keys: Keys, accepting: float) -> FirstWrite:
    """A new route, tried back to back from `accepting` on, must be answered 201 before the
    issue's bound has passed (every answer before it a clean 503); how long it took is a figure."""
    route = Write("POST", "/v1/invoice-routes", invoice("inv-first-after-restart"), keys.ops)
    deadline = accepting + FIRST_WRITE_WITHIN
    while True:
        answer = send(server, route, deadline=max(0.1, deadline - time.monotonic()))
        if answer.status == 201:
            return FirstWrite(route.body["invoice_id"], time.monotonic() - accepting)
        if time.monotonic() >= deadline:
            pytest.fail(f"no write succeeded within {FIRST_WRITE_WITHIN} s of the restart")
        assert answer.refused_cleanly, answer


# -- 2. a cold start with the store down ----------------------------------------------------


def test_a_server_started_with_the_store_down_answers_pay_on_order_until_it_loads(
    cluster: PostgresCluster, store_url: str, launch: Launch, figure: Figure
) -> None:
    keys = make_keys(store_url)
    warm = launch(store_url, "--no-migrate", env=SERVER_ENV)
    with http(warm) as client:
        set_up_customers(store_url, client, keys)
    warm.stop()
    cluster.stop()

    server = launch(store_url, "--no-migrate", wait_ready=False, env=SERVER_ENV)
    unknown = bearer("tgk_" + secrets.token_urlsafe(32))  # shaped like a key: nobody can tell
    answers: list[Seen] = []
    with http(server) as client:
        assert client.get("/healthz/ready").status_code == 503
        for round_ in range(10):
            for headers in (keys.checkout, unknown):
                for customer_id in CUSTOMERS:
                    answers.append(lookup(client, customer_id, headers))
                    if round_ % 2 == 0:
                        answers.append(decide(client, customer_id, headers))
        for headers in ({}, bearer("tgk_short"), {"Authorization": "Basic eDp5"}):
            assert lookup(client, "c-net30", headers).status == 401

        decisions = [a for a in answers if "outcome" in a.body]
        pay_on_order = [
            a
            for a in answers
            if a.status == 200
            and a.body | FALLBACK == a.body
            and a.body.get("outcome", "pay_on_order") == "pay_on_order"
            and a.body.get("reasons", ["store_unavailable"]) == ["store_unavailable"]
        ]
        figure(ITEM, "cold start: lookups and decisions with the store down", len(answers))
        figure(ITEM, "cold start: answered pay-on-order (%)",
               round(100 * len(pay_on_order) / len(answers), 1))  # fmt: skip
        assert (len(answers), len(decisions)) == (180, 60)
        assert len(pay_on_order) == len(answers), [a for a in answers if a not in pay_on_order]

        cluster.restart()
        server.wait_until("/healthz/ready", timeout=RECOVERED_WITHIN)
        answers_when_well(server, keys.checkout)
        assert lookup(client, "c-net30", unknown).status == 401
        granted = decide(client, "c-exception", keys.checkout)
        assert (granted.status, granted.body["outcome"], granted.net_days) == (200, "net_terms", 30)
        assert granted.body["reasons"] == ["exception_applied"]


# -- 3. a store that hangs: connections accepted, bytes black-holed ----------------------------


def test_a_hanging_store_times_writes_out_cleanly_and_lookups_never_notice(
    cluster: PostgresCluster, store_url: str, proxy: TcpProxy, launch: Launch, figure: Figure
) -> None:
    keys = make_keys(store_url)
    hanging_url = store_url.replace(f":{cluster.port}/", f":{proxy.port}/")
    server = launch(hanging_url, "--no-migrate", env=SERVER_ENV)
    with http(server) as client:
        set_up_customers(store_url, client, keys)
    ready = partial(fresh_everywhere, server, keys.checkout, 1)
    visible_by(within(RECOVERED_WITHIN), ready, bool, "fresh before the hang")
    well = answers_when_well(server, keys.checkout)

    # The network goes silent. Checkout keeps asking; billing and sales keep writing.
    with PacedLookups(server, keys.checkout, per_second=50) as load, http(server) as client:
        hung_at = time.monotonic()
        proxy.hang()
        decisions = [decide(client, c, keys.checkout) for c in CUSTOMERS]
        with ThreadPoolExecutor(max_workers=6) as pool:  # two rounds of six writes at once
            writes = [w for n in range(4) for w in writes_of_each_kind(f"hung-{n}", keys)]
            written = list(pool.map(lambda write: send(server, write, WRITE_ANSWER_BOUND), writes))
        decisions += [decide(client, c, keys.checkout) for c in CUSTOMERS]
        proxy.forward()
        forwarded_at = time.monotonic()
    during = load.between(hung_at, forwarded_at)

    answered = [s for s in during if s.status == 200]
    changed, looser = departures(during + decisions, well)
    slowest = max(w.seconds for w in written)
    figure(ITEM, "hung store: writes attempted", len(written))
    figure(ITEM, "hung store: writes answered 503 with Retry-After",
           len([w for w in written if w.refused_cleanly]))  # fmt: skip
    figure(ITEM, "hung store: slowest write answer (s)", round(slowest, 2))
    figure(ITEM, "hung store: lookups sent", len(during))
    figure(ITEM, "hung store: lookups answered 200", len(answered))
    figure(ITEM, "hung store: decisions answered 200",
           len([d for d in decisions if d.status == 200]))  # fmt: skip
    # Answered, and before a caller's WRITE_ANSWER_BOUND ran out: the hang lasted until every
    # write was answered, so only the server's own store timeout can have ended each wait.
    assert all(w.refused_cleanly for w in written), written
    assert during
    assert len(answered) == len(during), [s for s in during if s.status != 200][:5]
    assert all(d.status == 200 for d in decisions), decisions
    assert not changed, changed[:5]
    assert not looser
    assert any(s.body["stale"] is True for s in answered)

    # Forwarding again: the worker's pool and threads recover, writes go through at once.
    visible_by(within(RECOVERED_WITHIN), ready, bool, "fresh after the hang")
    healed = writes_of_each_kind("healed-0", keys) + writes_of_each_kind("healed-1", keys)
    with ThreadPoolExecutor(max_workers=6) as pool:
        after = list(pool.map(lambda write: send(server, write), healed))
    assert [w.status for w in after] == [201] * 6, after

    # Silence right after a COMMIT went out: the server committed, the answer never came. The
    # caller must not be told that nothing was written; its retry finds the route there.
    route = Write("POST", "/v1/invoice-routes", invoice("inv-uncertain"), keys.ops)
    proxy.hang_after(b"inv-uncertain", b"COMMIT")
    uncertain = send(server, route, WRITE_ANSWER_BOUND)
    proxy.forward()
    figure(ITEM, "hung store: write cut off after its COMMIT, answered in (s)",
           round(uncertain.seconds, 2))  # fmt: skip
    assert uncertain.refused_cleanly, uncertain
    assert uncertain.problem["type"] == "urn:termsgate:problem:commit-uncertain"
    assert "nothing was written" not in uncertain.problem["detail"]
    replayed = send(server, route)
    assert (replayed.status, replayed.headers.get("Idempotent-Replayed")) == (200, "true")
    assert rows_of_invoice(store_url, "inv-uncertain") == (1, 1, 1)

    # The writes refused while hung reached the server when the network healed, and committed
    # nothing: sent again, each lands exactly once.
    retry_refused(server, store_url, written)
