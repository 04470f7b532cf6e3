"""Section 6 of `make bench`: invoice routing and payments through `termsgate serve --workers 2`.

On PostgreSQL and on SQLite, each migrated and holding 10,000 placed customers (about 2%
overridden); net_15 and net_30 have a webhook, so their routes also write an outbox row (nothing
delivers them: the relay is off). One server of two workers per store; each run below follows a
warm-up of its own:

- batches: POST /v1/invoice-routes/batch with 1000 fresh invoices a request from 2 httpx
  clients; invoices/s counted from the answers, every item of which must be 201 (or it fails);
- single routes: POST /v1/invoice-routes under wrk -t1 -c32 (routing.lua: a fresh invoice id a
  request, a random customer);
- payments: POST /v1/payments under the same wrk (payments.lua): 1 (minor unit) a request, with
  a fresh payment id, on one of 10,000 invoices picked at random, routed in batches beforehand
  (pay-<run>-<n>, EUR 5,000,000 each: they stay open).

Targets on PostgreSQL: single routes and payments each >= 1,000 req/s with p99 <= 50 ms, and
batches of 1000 >= 7,500 invoices/s. On SQLite: single routes >= 500 req/s; the rest is shown
without a target. The wrk runs count answers other than 201 (a miss: every answer should be
201); a broken connection fails the run.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Final, NamedTuple, Protocol

import httpx
import orjson
from sqlalchemy import create_engine, func, select, text

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.config import Settings
from app.core.keys import ADMIN, INVOICES_WRITE, Principal
from app.core.models import Invoice, OutboxEvent, Payment
from app.core.store import Store
from app.workflows import service as workflows
from app.workflows.schemas import WorkflowIn
from tests.perf import dataset, loadgen, usage
from tests.support.postgres import PostgresCluster
from tests.support.server import Server, termsgate

CUSTOMERS: Final = 10_000
BATCH: Final = 1000
CLIENTS: Final = 2
CONNECTIONS: Final = 32
WORKERS: Final = 2
WARMUP_S: Final = 2
NOISY: Final = 0.1
TIMEOUT_S: Final = 10
WEBHOOK_URL: Final = "https://billing.example.com/hooks"
HOOKED: Final = ("net_15", "net_30")
ROUTES_SCRIPT: Final = Path(__file__).with_name("routing.lua")
PAYMENTS_SCRIPT: Final = Path(__file__).with_name("payments.lua")
CURRENCIES: Final = ("EUR", "EUR", "EUR", "USD", "GBP")
ISSUED_ON: Final = "2026-11-20"  # as routing.lua; the payments are dated that day too
# The invoices payments.lua pays 1 on at a time: each far more than a run can pay off.
PAYABLE: Final = 10_000
PAYABLE_AMOUNT: Final = 5_000_000
PAYABLE_CURRENCY: Final = "EUR"
# ~2% of invoices name a customer nobody placed: the policy's default segment routes them.
TOP_CUSTOMER: Final = CUSTOMERS * 1000 // 980


class Table(Protocol):
    """The part of run.py's table a section writes to."""

    warnings: list[str]

    def info(self, what: str, measured: str) -> None: ...
    def note(self, what: str, measured: str) -> None: ...
    def check(self, what: str, measured: str, ok: bool, target: str) -> None: ...


class Target(NamedTuple):
    """At least `bound` (a rate) or, with `most`, at most `bound` (a latency)."""

    bound: float
    unit: str
    most: bool = False

    def met(self, value: float) -> bool:
        return value <= self.bound if self.most else value >= self.bound

    def __str__(self) -> str:
        return f"{'<=' if self.most else '>='} {self.bound:,.0f} {self.unit}"


class Targets(NamedTuple):
    singles: Target | None = None
    singles_p99: Target | None = None
    payments: Target | None = None
    payments_p99: Target | None = None
    batches: Target | None = None


POSTGRESQL_TARGETS: Final = Targets(
    singles=Target(1000, "req/s"),
    singles_p99=Target(50, "ms", most=True),
    payments=Target(1000, "req/s"),
    payments_p99=Target(50, "ms", most=True),
    batches=Target(7500, "invoices/s"),
)
SQLITE_TARGETS: Final = Targets(singles=Target(500, "req/s"))


class Batches(NamedTuple):
    invoices: int
    seconds: float
    latencies_s: list[float]
    cpu: usage.Cpu

    @property
    def per_second(self) -> float:
        return self.invoices / self.seconds


class Driven(NamedTuple):
    wrk: loadgen.Result
    cpu: usage.Cpu
    timeouts: int  # requests unanswered after TIMEOUT_S: not in wrk's percentiles
    refused: Counter[int]  # answers other than 201, by status
    first_refused: str  # the body of the first of them


class Backend(NamedTuple):
    name: str
    url: str
    token: str
    store_pid: Callable[[], int | None]


def section(
    table: Table, work: Path, *, seconds: int, sqlite: bool, progress: Callable[[str], None]
) -> None:
    """Measure routing and payments on a private PostgreSQL (and a SQLite file): add the rows."""
    cluster = PostgresCluster(work / "pg-routing")
    try:
        progress("routing: starting PostgreSQL")
        cluster.start()
        loaded = dataset.load_postgres(cluster, CUSTOMERS, dbname="routing")
        token = prepare(loaded.url)
        backend = Backend("PostgreSQL", loaded.url, token, lambda: _postmaster(cluster))
        measure(table, work, backend, seconds, progress, POSTGRESQL_TARGETS)
    finally:
        progress("routing: stopping PostgreSQL")
        cluster.stop()
    if sqlite:
        loaded = dataset.load_sqlite(work / "routing.db", CUSTOMERS)
        backend = Backend("SQLite", loaded.url, prepare(loaded.url), lambda: None)
        measure(table, work, backend, seconds, progress, SQLITE_TARGETS)


def prepare(url: str) -> str:
    """Webhooks on net_15 and net_30, set as the API sets them, and a billing key."""
    store = Store(Settings(database_url=url))
    clock = Clock()
    who = Principal("bench", frozenset({ADMIN}))
    try:
        with store.writing() as session:
            for key in HOOKED:
                current = workflows.get(session, key)
                body = WorkflowIn(name=current.name, webhook_url=WEBHOOK_URL)
                workflows.put(
                    session,
                    key,
                    body=body,
                    if_match="*",
                    who=who,
                    clock=clock,
                    allow_private=False,
                    reason="bench: webhooks on",
                )
            return apikeys.create(
                session, "bench-billing", scopes=[INVOICES_WRITE], actor="bench", clock=clock
            )
    finally:
        store.dispose()


def measure(
    table: Table,
    work: Path,
    backend: Backend,
    seconds: int,
    progress: Callable[[str], None],
    targets: Targets,
) -> None:
    options = ("--no-migrate", *_no_relay())
    relay = "off (--no-relay)" if options[1:] else "none (serve has no relay yet)"
    table.note(f"routing store, {backend.name}", f"{CUSTOMERS:,} customers; relay {relay}")
    env = {
        "PROMETHEUS_MULTIPROC_DIR": str(_mkdir(work / f"metrics-routing-{backend.name}")),
    }
    log = work / f"routing-{backend.name}.log"
    server = Server(backend.url, log, workers=WORKERS, extra_args=options, env=env)
    where = f"{backend.name}, {WORKERS} workers"
    progress(f"routing, {where}: starting termsgate serve")
    server.start(timeout=180)
    run = f"{int(time.time()):x}"

    def wrk(what: str, script: Path, prefix: str, script_env: dict[str, str]) -> Driven:
        """A warm-up of WARMUP_S, then the measured run, each with ids of its own."""
        warm = {**script_env, "BENCH_PREFIX": f"w{prefix}"}
        drive(server, backend, script, warm, WARMUP_S, what)
        progress(f"routing, {where}: wrk {what} for {seconds}s")
        measured = {**script_env, "BENCH_PREFIX": prefix}
        return drive(server, backend, script, measured, seconds, what)

    try:
        batches(server, backend, f"wb{run}", WARMUP_S)
        payable = f"pay-{run}"
        progress(f"routing, {where}: routing {PAYABLE:,} invoices to pay")
        route_payable(server, backend, payable)
        _analyze(backend.url)
        progress(f"routing, {where}: batches for {seconds}s")
        batched = batches(server, backend, f"b{run}", seconds)
        single = wrk("single routes", ROUTES_SCRIPT, f"s{run}", {})
        paying = {
            "BENCH_INVOICE_PREFIX": payable,
            "BENCH_INVOICES": str(PAYABLE),
            "BENCH_PAID_ON": ISSUED_ON,
        }
        paid = wrk("payments", PAYMENTS_SCRIPT, f"p{run}", paying)
    finally:
        server.stop()
    report(table, where, targets, single=single, paid=paid, batched=batched)
    routed, events, payments = _stored(backend.url)
    table.info(
        f"   {backend.name}: invoices / outbox rows / payments stored",
        f"{routed:,} / {events:,} / {payments:,}  ({events / max(1, routed):.0%} of routes hooked)",
    )


def report(
    table: Table, where: str, targets: Targets, *, single: Driven, paid: Driven, batched: Batches
) -> None:
    """The rows of one server: `where` is "<store>, <n> workers"."""
    _wrk_rows(table, "6  ", "single routes", where, single, targets.singles, targets.singles_p99)
    table.info("   CPU per 1000 single routes", single.cpu.per_thousand(single.wrk.requests))
    _wrk_rows(table, "   ", "payments", where, paid, targets.payments, targets.payments_p99)
    table.info("   CPU per 1000 payments", paid.cpu.per_thousand(paid.wrk.requests))
    rate = (
        f"{batched.per_second:,.0f} invoices/s  ({batched.invoices // BATCH} batches "
        f"in {batched.seconds:.1f} s, {CLIENTS} clients)"
    )
    _row(table, f"   batches of {BATCH:,}, {where}", rate, batched.per_second, targets.batches)
    latencies = sorted(batched.latencies_s)
    table.info(
        "   batch request latency p50 / max",
        f"{statistics.median(latencies) * 1000:,.0f} ms / {latencies[-1] * 1000:,.0f} ms",
    )
    table.info("   CPU per 1000 invoices, batches", batched.cpu.per_thousand(batched.invoices))
    shares = {"single routes": single.cpu, "payments": paid.cpu, "batches": batched.cpu}
    others = max(cpu.others_share for cpu in shares.values())
    each = ", ".join(f"{name} {cpu.others_share:.0%}" for name, cpu in shares.items())
    table.info("   CPU taken by other processes, worst run", f"{others:.0%} of all cores  ({each})")
    if others > NOISY:
        table.warnings.append(
            f"routing, {where}: other processes used up to {others:.0%} of the CPUs; its "
            "throughput and latency figures are noisy, CPU per request less so"
        )


def _wrk_rows(
    table: Table,
    lead: str,
    name: str,
    where: str,
    driven: Driven,
    rate: Target | None,
    p99: Target | None,
) -> None:
    """Requests/s, then p99 (p50 beside it), each checked against its target if it has one,
    then the answers other than 201 if there were any (a miss: every answer should be 201)."""
    result = driven.wrk
    store = where.split(",")[0]
    _row(
        table,
        f"{lead}{name}, {where}, wrk -t1 -c{CONNECTIONS}",
        f"{result.requests_per_second:,.0f} req/s  ({result.requests:,} requests)",
        result.requests_per_second,
        rate,
    )
    latency = f"{result.p99_ms:.1f} ms  (p50 {result.p50_ms:.1f} ms)"
    if driven.timeouts:
        latency += f";  {driven.timeouts} unanswered after {TIMEOUT_S} s, not counted"
        table.warnings.append(
            f"{name}, {where}: {driven.timeouts} requests got no answer within {TIMEOUT_S} s "
            "(they are not in the percentiles)"
        )
    # Requests left unanswered are worse than any percentile: the p99 target is then missed.
    p99_ms = math.inf if driven.timeouts else result.p99_ms
    _row(table, f"   {name} p99 latency, {store}", latency, p99_ms, p99)
    if driven.refused:
        statuses = ", ".join(f"{n:,} x {status}" for status, n in sorted(driven.refused.items()))
        refused = sum(driven.refused.values())
        what = f"   {name} answers other than 201, {store}"
        table.check(what, f"{refused:,}  ({statuses})", False, "0")
        table.warnings.append(
            f"{name}, {where}: {refused:,} answers were not 201 ({statuses}); "
            f"the first: {driven.first_refused[:300]}"
        )


def _row(table: Table, what: str, measured: str, value: float, target: Target | None) -> None:
    if target is None:
        table.info(what, f"{measured}  (no target)")
    else:
        table.check(what, measured, target.met(value), str(target))


def _analyze(url: str, statement: str = "ANALYZE") -> None:
    """Statistics as autovacuum keeps them on a live store. Without them, PostgreSQL plans the
    tables that grew from empty during the warm-up as if they were tiny, with sequential scans.
    `VACUUM (ANALYZE)` also sets the visibility map, which index-only scans need."""
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def batches(server: Server, backend: Backend, prefix: str, seconds: float) -> Batches:
    """CLIENTS threads posting batches until `seconds` have passed; every item must be 201."""

    def client(number: int) -> tuple[int, list[float], float]:
        rng = random.Random(number)
        created, latencies = 0, []
        with _client(server, backend) as http:
            sent = 0
            while time.monotonic() < deadline:
                ids = (f"{prefix}-{number}-{sent}-{n}" for n in range(BATCH))
                started = time.perf_counter()
                answer = http.post("/v1/invoice-routes/batch", content=batch_body(ids, rng))
                latencies.append(time.perf_counter() - started)
                created += all_created(answer)
                sent += 1
        return created, latencies, time.monotonic()

    pids = _pids(server, backend)
    before = usage.reading(*pids)
    started = time.monotonic()
    deadline = started + seconds
    with ThreadPoolExecutor(CLIENTS) as pool:
        done = list(pool.map(client, range(CLIENTS)))
    cpu = usage.since(before, *pids)
    finished = max(end for _, _, end in done)
    return Batches(
        invoices=sum(created for created, _, _ in done),
        seconds=finished - started,
        latencies_s=[latency for _, latencies, _ in done for latency in latencies],
        cpu=cpu,
    )


def route_payable(server: Server, backend: Backend, prefix: str) -> None:
    """<prefix>-0 .. <prefix>-(PAYABLE-1), PAYABLE_AMOUNT in PAYABLE_CURRENCY each, in batches."""
    rng = random.Random(PAYABLE)
    with _client(server, backend) as http:
        for first in range(0, PAYABLE, BATCH):
            ids = (f"{prefix}-{n}" for n in range(first, first + BATCH))
            body = batch_body(ids, rng, amount=PAYABLE_AMOUNT, currency=PAYABLE_CURRENCY)
            all_created(http.post("/v1/invoice-routes/batch", content=body))


def batch_body(
    invoice_ids: Iterable[str],
    rng: random.Random,
    *,
    amount: int | None = None,
    currency: str | None = None,
) -> bytes:
    """A batch of those invoices for random customers; random amounts and currencies unless
    given."""
    invoices = [
        {
            "invoice_id": invoice_id,
            "customer_id": dataset.customer_id(rng.randint(1, TOP_CUSTOMER)),
            "amount": amount or rng.randint(100, 5_000_000),
            "currency": currency or rng.choice(CURRENCIES),
            "issued_on": ISSUED_ON,
            "order_id": f"ord-{invoice_id}",
            "sales_owner": "bench",
        }
        for invoice_id in invoice_ids
    ]
    if len(invoices) != BATCH:
        raise ValueError(f"a batch of {len(invoices)} invoices, not {BATCH}")
    return orjson.dumps({"invoices": invoices})


def drive(
    server: Server,
    backend: Backend,
    script: Path,
    script_env: dict[str, str],
    seconds: int,
    what: str,
) -> Driven:
    """wrk with `script`: answers other than 201 are counted, a broken connection fails it."""
    pids = _pids(server, backend)
    before = usage.reading(*pids)
    result = loadgen.run(
        server.base_url,
        token=backend.token,
        customers=CUSTOMERS,
        seconds=seconds,
        server_pid=pids[0],
        connections=CONNECTIONS,
        script=script,
        script_env=script_env,
        timeout=f"{TIMEOUT_S}s",
    )
    cpu = usage.since(before, *pids)
    broken = {kind: count for kind, count in _socket_errors(result).items() if kind != "timeout"}
    if any(broken.values()):
        raise RuntimeError(f"{what}: {result.socket_errors}:\n{result.output}")
    refused = Counter(
        int(status)
        for line in _lines(result.output, "not-201-statuses:")
        for status in line.split(":", 1)[1].split()
    )
    firsts = [line.split(":", 1)[1].strip() for line in _lines(result.output, "not-201-first:")]
    return Driven(
        result,
        cpu,
        timeouts=_socket_errors(result).get("timeout", 0),
        refused=refused,
        first_refused=next(filter(None, firsts), ""),
    )


def _client(server: Server, backend: Backend) -> httpx.Client:
    headers = {"Authorization": f"Bearer {backend.token}", "Content-Type": "application/json"}
    return httpx.Client(base_url=server.base_url, headers=headers, timeout=120)


def all_created(answer: httpx.Response, size: int = BATCH, what: str = "a batch") -> int:
    """How many a batch's answer created: all `size` of them, or the run stops saying why."""
    if answer.status_code != 200:
        raise RuntimeError(f"{what} got {answer.status_code}: {answer.text[:2000]}")
    results = orjson.loads(answer.content)["results"]
    wrong = [item for item in results if item["status"] != 201]
    if wrong or len(results) != size:
        raise RuntimeError(
            f"{what} of {size} had {len(results)} results, {len(wrong)} not 201; first: "
            f"{orjson.dumps(wrong[:3]).decode()[:2000]}"
        )
    return len(results)


def _stored(url: str) -> tuple[int, int, int]:
    """Invoices, outbox rows and payments in the store."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            counts = [
                connection.execute(select(func.count()).select_from(model)).scalar_one()
                for model in (Invoice, OutboxEvent, Payment)
            ]
    finally:
        engine.dispose()
    invoices, events, payments = counts
    return invoices, events, payments


def _no_relay() -> tuple[str, ...]:
    """`--no-relay` once `termsgate serve` has it; until then no relay runs anyway."""
    done = termsgate("serve", "--help", env={})
    return ("--no-relay",) if "--no-relay" in done.stdout else ()


def _pids(server: Server, backend: Backend) -> tuple[int, int | None]:
    """(the server's process, the database server's postmaster if it has one)."""
    assert server.process is not None
    return server.process.pid, backend.store_pid()


def _postmaster(cluster: PostgresCluster) -> int | None:
    try:
        return int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, IndexError, ValueError):
        return None


def _socket_errors(result: loadgen.Result) -> dict[str, int]:
    """wrk's "Socket errors: connect 0, read 0, write 0, timeout 1" as a dict."""
    text = (result.socket_errors or "").removeprefix("Socket errors:")
    return {kind: int(count) for kind, count in (part.split() for part in text.split(",") if part)}


def _lines(output: str, prefix: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(prefix)]


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
