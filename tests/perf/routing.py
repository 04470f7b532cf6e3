"""Section 6 of `make bench`: invoice routing through `termsgate serve`, PostgreSQL and SQLite.

Each store is migrated and holds 10,000 placed customers (about 2% overridden); net_15 and
net_30 have a webhook, so their routes also write an outbox row (nothing delivers them: the
relay is off). Then, for one worker and for two:

- batches: POST /v1/invoice-routes/batch with 1000 fresh invoices a request from 2 httpx
  clients; invoices/s counted from the answers, every item of which must be 201;
- singles: POST /v1/invoice-routes under wrk (routing.lua: a fresh invoice id a request).

Target: >= 5,000 invoices/s in batches on PostgreSQL with one worker; SQLite has none.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
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
from app.core.models import Invoice, OutboxEvent
from app.core.store import Store
from app.workflows import service as workflows
from app.workflows.schemas import WorkflowIn
from tests.perf import dataset, loadgen, usage
from tests.support.postgres import PostgresCluster
from tests.support.server import Server, termsgate

CUSTOMERS: Final = 10_000
BATCH: Final = 1000
CLIENTS: Final = 2
CONNECTIONS: Final = 8
WORKERS: Final = (1, 2)
TARGET_PER_S: Final = 5000.0
WARMUP_S: Final = 2
NOISY: Final = 0.1
TIMEOUT_S: Final = 10
WEBHOOK_URL: Final = "https://billing.example.com/hooks"
HOOKED: Final = ("net_15", "net_30")
SCRIPT: Final = Path(__file__).with_name("routing.lua")
CURRENCIES: Final = ("EUR", "EUR", "EUR", "USD", "GBP")
# ~2% of invoices name a customer nobody placed: the policy's default segment routes them.
TOP_CUSTOMER: Final = CUSTOMERS * 1000 // 980


class Table(Protocol):
    """The part of run.py's table a section writes to."""

    warnings: list[str]

    def info(self, what: str, measured: str) -> None: ...
    def note(self, what: str, measured: str) -> None: ...
    def check(self, what: str, measured: str, ok: bool, target: str) -> None: ...


class Batches(NamedTuple):
    invoices: int
    seconds: float
    latencies_s: list[float]
    cpu: usage.Cpu

    @property
    def per_second(self) -> float:
        return self.invoices / self.seconds


class Singles(NamedTuple):
    wrk: loadgen.Result
    cpu: usage.Cpu
    timeouts: int  # requests unanswered after TIMEOUT_S: not in wrk's percentiles


class Backend(NamedTuple):
    name: str
    url: str
    token: str
    store_pid: Callable[[], int | None]


def section(
    table: Table, work: Path, *, seconds: int, sqlite: bool, progress: Callable[[str], None]
) -> None:
    """Measure routing on a private PostgreSQL (and a SQLite file) and add the rows."""
    cluster = PostgresCluster(work / "pg-routing")
    try:
        progress("routing: starting PostgreSQL")
        cluster.start()
        loaded = dataset.load_postgres(cluster, CUSTOMERS, dbname="routing")
        token = prepare(loaded.url)
        backend = Backend("PostgreSQL", loaded.url, token, lambda: _postmaster(cluster))
        measure(table, work, backend, seconds, progress, target=TARGET_PER_S)
    finally:
        progress("routing: stopping PostgreSQL")
        cluster.stop()
    if sqlite:
        loaded = dataset.load_sqlite(work / "routing.db", CUSTOMERS)
        backend = Backend("SQLite", loaded.url, prepare(loaded.url), lambda: None)
        measure(table, work, backend, seconds, progress, target=None)


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
    *,
    target: float | None,
) -> None:
    options = ("--no-migrate", *_no_relay())
    relay = "off (--no-relay)" if options[1:] else "none (serve has no relay yet)"
    table.note(f"routing store, {backend.name}", f"{CUSTOMERS:,} customers; relay {relay}")
    for workers in WORKERS:
        env = {
            "PROMETHEUS_MULTIPROC_DIR": str(_mkdir(work / f"metrics-routing-{workers}")),
            "TERMSGATE_SYNC_INTERVAL_SECONDS": "0.25",  # the default, not the tests' 0.1
        }
        log = work / f"routing-{backend.name}-{workers}.log"
        server = Server(backend.url, log, workers=workers, extra_args=options, env=env)
        where = f"routing, {backend.name}, {workers} worker{'s' if workers > 1 else ''}"
        progress(f"{where}: starting termsgate serve")
        server.start(timeout=180)
        try:
            run = f"{int(time.time()):x}{workers}"
            batches(server, backend, f"w{run}", WARMUP_S)
            _analyze(backend.url)
            progress(f"{where}: batches for {seconds}s")
            batched = batches(server, backend, f"b{run}", seconds)
            singles(server, backend, f"v{run}", WARMUP_S)
            progress(f"{where}: wrk for {seconds}s")
            single = singles(server, backend, f"s{run}", seconds)
        finally:
            server.stop()
        aside = "" if target is not None else "  (no target)"
        report(table, where, batched, single, target if workers == 1 else None, aside)
    routed, events = _stored(backend.url)
    table.info(
        f"   {backend.name}: invoices stored / outbox rows",
        f"{routed:,} / {events:,}  ({events / max(1, routed):.0%} of routes hooked)",
    )


def report(
    table: Table,
    where: str,
    batched: Batches,
    single: Singles,
    target: float | None,
    aside: str = "",
) -> None:
    """The rows of one server: `where` is "routing, <store>, <n> worker(s)"."""
    what = f"6  batch {where.removeprefix('routing, ')}"
    rate = (
        f"{batched.per_second:,.0f} invoices/s  ({batched.invoices // BATCH} batches "
        f"of {BATCH} in {batched.seconds:.1f} s, {CLIENTS} clients){aside}"
    )
    if target is not None:
        table.check(what, rate, batched.per_second >= target, f">= {target:,.0f} invoices/s")
    else:
        table.info(what, rate)
    latencies = sorted(batched.latencies_s)
    table.info(
        "   batch request latency p50 / max",
        f"{statistics.median(latencies) * 1000:,.0f} ms / {latencies[-1] * 1000:,.0f} ms",
    )
    table.info("   CPU per 1000 invoices, batches", batched.cpu.per_thousand(batched.invoices))
    timeouts = f";  {single.timeouts} unanswered after {TIMEOUT_S} s" if single.timeouts else ""
    table.info(
        f"   single route p50 / p99, wrk -t1 -c{CONNECTIONS}",
        f"{single.wrk.p50_ms:.1f} ms / {single.wrk.p99_ms:.1f} ms;  "
        f"{single.wrk.requests_per_second:,.0f} req/s{timeouts}",
    )
    if single.timeouts:
        table.warnings.append(
            f"{where}: {single.timeouts} single routes got no answer within {TIMEOUT_S} s "
            "(they are not in the percentiles)"
        )
    table.info("   CPU per 1000 single routes", single.cpu.per_thousand(single.wrk.requests))
    others = max(batched.cpu.others_share, single.cpu.others_share)
    table.info("   CPU taken by other processes, worst run", f"{others:.0%} of all cores")
    if others > NOISY:
        table.warnings.append(
            f"{where}: other processes used up to {others:.0%} of the CPUs; its throughput "
            "and latency figures are noisy, CPU per invoice less so"
        )


def _analyze(url: str) -> None:
    """Statistics as autovacuum keeps them on a live store. Without them, PostgreSQL plans the
    tables that grew from empty during the warm-up as if they were tiny, with sequential scans."""
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def batches(server: Server, backend: Backend, prefix: str, seconds: float) -> Batches:
    """CLIENTS threads posting batches until `seconds` have passed; every item must be 201."""
    headers = {"Authorization": f"Bearer {backend.token}", "Content-Type": "application/json"}

    def client(number: int) -> tuple[int, list[float], float]:
        rng = random.Random(number)
        created, latencies = 0, []
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=120) as http:
            sent = 0
            while time.monotonic() < deadline:
                body = batch_body(f"{prefix}-{number}-{sent}", rng)
                started = time.perf_counter()
                answer = http.post("/v1/invoice-routes/batch", content=body)
                latencies.append(time.perf_counter() - started)
                created += _created(answer)
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


def batch_body(prefix: str, rng: random.Random) -> bytes:
    invoices = []
    for n in range(BATCH):
        invoice_id = f"{prefix}-{n}"
        invoices.append(
            {
                "invoice_id": invoice_id,
                "customer_id": dataset.customer_id(rng.randint(1, TOP_CUSTOMER)),
                "amount": rng.randint(100, 5_000_000),
                "currency": rng.choice(CURRENCIES),
                "issued_on": "2026-11-20",
                "order_id": f"ord-{invoice_id}",
                "sales_owner": "bench",
            }
        )
    return orjson.dumps({"invoices": invoices})


def singles(server: Server, backend: Backend, prefix: str, seconds: int) -> Singles:
    """wrk with routing.lua; an answer other than 201, or a broken connection, fails the run."""
    pids = _pids(server, backend)
    before = usage.reading(*pids)
    result = loadgen.run(
        server.base_url,
        token=backend.token,
        customers=CUSTOMERS,
        seconds=seconds,
        server_pid=pids[0],
        connections=CONNECTIONS,
        script=SCRIPT,
        script_env={"BENCH_PREFIX": prefix},
        timeout=f"{TIMEOUT_S}s",
    )
    cpu = usage.since(before, *pids)
    not_created = sum(int(line.split()[-1]) for line in _lines(result.output, "not-201:"))
    broken = {kind: count for kind, count in _socket_errors(result).items() if kind != "timeout"}
    if not_created or result.non_2xx or any(broken.values()):
        raise RuntimeError(
            f"single routes: {not_created} answers were not 201 ({result.socket_errors}):\n"
            f"{result.output}"
        )
    return Singles(result, cpu, _socket_errors(result).get("timeout", 0))


def _created(answer: httpx.Response) -> int:
    if answer.status_code != 200:
        raise RuntimeError(f"a batch got {answer.status_code}: {answer.text[:2000]}")
    results = orjson.loads(answer.content)["results"]
    wrong = [item for item in results if item["status"] != 201]
    if wrong or len(results) != BATCH:
        raise RuntimeError(
            f"a batch of {BATCH} had {len(results)} results, {len(wrong)} not 201; first: "
            f"{orjson.dumps(wrong[:3]).decode()[:2000]}"
        )
    return len(results)


def _stored(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            invoices = connection.execute(select(func.count()).select_from(Invoice)).scalar_one()
            events = connection.execute(select(func.count()).select_from(OutboxEvent)).scalar_one()
    finally:
        engine.dispose()
    return invoices, events


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
