"""Section 7 of `make bench`: the checkout decision beside /healthz/live, on one server.

A private PostgreSQL holds 100,000 placed customers (dataset.py); net_30 has a credit limit of
USD 20,000.00 and every fifth customer owes an open USD invoice, so the credit check cuts some
orders to pay-on-order. One `termsgate serve --workers 1`, then wrk (one thread, 32
connections) alternating GET /healthz/live (healthz.lua) and POST /v1/checkout/decisions
(decisions.lua: a random customer, a fresh order id, requested terms on one order in four) for
the same number of rounds, after a warm-up of each.

Target (issue 4): decision throughput >= 0.85x /healthz/live's, best round against best round.
/healthz/live is a plain FastAPI route; a decision is answered in the edge, but is also parsed,
decided and handed to the recorder, whose thread writes it to the store.

Then the server gets SIGTERM and the checkout_decisions rows are counted: every decision
answered 200 must be recorded (the recorder writes what it holds at a clean shutdown).
"""

from __future__ import annotations

import random
import re
import signal
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Final, NamedTuple

import httpx
import psycopg
from sqlalchemy import create_engine, func, select

from app.core.clock import Clock
from app.core.config import Settings
from app.core.keys import ADMIN, Principal
from app.core.models import CheckoutDecision
from app.core.store import Store
from app.core.vocabulary import Money
from app.segments import service as segments
from app.segments.schemas import SegmentIn
from tests.perf import dataset, loadgen, usage
from tests.perf.routing import Table
from tests.support.postgres import PostgresCluster
from tests.support.server import Server

CUSTOMERS: Final = 100_000
TARGET_RATIO: Final = 0.85
WARMUP_S: Final = 2
CONNECTIONS: Final = 32
NOISY: Final = 0.1
LIMITED: Final = "net_30"
LIMIT: Final = 2_000_000  # USD 20,000.00
OWING_EVERY: Final = 5
HERE: Final = Path(__file__).parent
DECISIONS: Final = HERE / "decisions.lua"
HEALTHZ: Final = HERE / "healthz.lua"
ROUTE: Final = "/v1/checkout/decisions"
_ANSWERED = re.compile(r"^termsgate_checkout_decisions_total\{[^}]*\}\s+(\S+)$", re.MULTILINE)


class Run(NamedTuple):
    """One wrk run, with the counts the script kept and who used the CPUs meanwhile."""

    wrk: loadgen.Result
    cpu: usage.Cpu
    sent: int
    answered: int  # 200
    refused: int  # any other status

    @property
    def in_flight(self) -> int:
        """Requests sent but unanswered when wrk stopped: the server may still have answered."""
        return self.sent - self.answered - self.refused


class Measured(NamedTuple):
    healthz: list[Run]
    decisions: list[Run]
    healthz_warmup: Run
    decisions_warmup: Run
    checks: int  # decisions this module asked for itself, before wrk
    answered: int | None  # decisions answered 200, as the server counted them (its /metrics)
    recorded: int
    exit_code: int | None


def section(
    table: Table, work: Path, *, seconds: int, rounds: int, progress: Callable[[str], None]
) -> None:
    """Measure decisions beside /healthz/live on a private PostgreSQL and add the rows."""
    cluster = PostgresCluster(work / "pg-decisions")
    try:
        progress("decisions: starting PostgreSQL")
        cluster.start()
        progress(f"decisions: loading {CUSTOMERS:,} customers")
        loaded = dataset.load_postgres(cluster, CUSTOMERS, dbname="decisions")
        owing = prepare(cluster, loaded.url)
        table.note(
            "decisions store, PostgreSQL",
            f"{CUSTOMERS:,} customers, {owing:,} owing; {LIMITED} limited to USD {LIMIT // 100:,}",
        )
        measured = measure(work, cluster, loaded, seconds, rounds, progress)
    finally:
        progress("decisions: stopping PostgreSQL")
        cluster.stop()
    report(table, measured)


def prepare(cluster: PostgresCluster, url: str) -> int:
    """A credit limit on LIMITED, set as the API sets it, and open USD invoices for every
    OWING_EVERY-th customer; returns how many owe."""
    store = Store(Settings(database_url=url))
    try:
        with store.writing() as session:
            current = segments.get(session, LIMITED)
            body = SegmentIn(
                name=current.name,
                terms=current.terms,
                credit_limit=Money(amount=LIMIT, currency="USD"),
                workflow=current.workflow,
                contact_plan=current.contact_plan,
            )
            who = Principal("bench", frozenset({ADMIN}))
            segments.put(
                session,
                LIMITED,
                body=body,
                if_match="*",
                who=who,
                clock=Clock(),
                reason="bench: a credit limit",
            )
    finally:
        store.dispose()
    rng = random.Random(11)
    issued = date(2026, 11, 1)
    due = issued + timedelta(days=30)
    owing = range(OWING_EVERY, CUSTOMERS + 1, OWING_EVERY)
    columns = (
        "invoice_id, customer_id, amount, currency, issued_on, due_on, terms_type, net_days,"
        " origin, paid_amount, changed_version"
    )
    conninfo = f"host=127.0.0.1 port={cluster.port} user=postgres dbname=decisions"
    with psycopg.connect(conninfo) as connection:
        row = connection.execute("SELECT version FROM store_version").fetchone()
        assert row is not None
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY invoices ({columns}) FROM STDIN") as copy,
        ):
            for n in owing:
                copy.write_row(
                    (
                        f"bench-open-{n}",
                        dataset.customer_id(n),
                        rng.randint(10_000, 3_000_000),
                        "USD",
                        issued,
                        due,
                        "net",
                        30,
                        "imported",
                        0,
                        row[0],
                    )
                )
    return len(owing)


def measure(
    work: Path,
    cluster: PostgresCluster,
    loaded: dataset.Loaded,
    seconds: int,
    rounds: int,
    progress: Callable[[str], None],
) -> Measured:
    env = {
        "PROMETHEUS_MULTIPROC_DIR": str(_mkdir(work / "metrics-decisions")),
    }
    server = Server(
        loaded.url, work / "decisions.log", workers=1, extra_args=("--no-migrate",), env=env
    )
    progress("decisions: termsgate serve --workers 1")
    server.start(timeout=180)
    tag = f"{int(time.time()):x}"
    try:
        checks = check_answers(server, loaded.token)
        pids = _pids(server, cluster)
        healthz_warmup = _wrk(server, loaded.token, HEALTHZ, f"{tag}-wh", WARMUP_S, pids)
        decisions_warmup = _wrk(server, loaded.token, DECISIONS, f"{tag}-wd", WARMUP_S, pids)
        healthz: list[Run] = []
        decided: list[Run] = []
        for round_ in range(1, rounds + 1):
            progress(f"decisions: round {round_}/{rounds}: wrk {seconds}s healthz, then decisions")
            healthz.append(_wrk(server, loaded.token, HEALTHZ, f"{tag}-h{round_}", seconds, pids))
            decided.append(_wrk(server, loaded.token, DECISIONS, f"{tag}-d{round_}", seconds, pids))
        time.sleep(0.5)  # what wrk left in flight is answered by now
        answered = _answered(server)
    finally:
        progress("decisions: stopping termsgate serve (SIGTERM)")
        server.stop()
    assert server.process is not None
    return Measured(
        healthz=healthz,
        decisions=decided,
        healthz_warmup=healthz_warmup,
        decisions_warmup=decisions_warmup,
        checks=checks,
        answered=answered,
        recorded=_recorded(loaded.url),
        exit_code=server.process.returncode,
    )


def check_answers(server: Server, token: str) -> int:
    """A few decisions whose outcome is known, before any load; returns how many were asked."""
    owing = next(
        placed
        for n, placed in enumerate(dataset.placements(CUSTOMERS), start=1)
        if n % OWING_EVERY == 0 and placed.segment_key == LIMITED and not placed.overridden
    )
    orders = [
        # (customer, amount, requested terms, a reason the decision must give, or None)
        (dataset.customer_id(1), 10_000, None, None),
        ("cust-unknown", 10_000, None, "new_customer"),
        (owing.customer_id, LIMIT, None, "credit_limit_exceeded"),
        (owing.customer_id, 100, {"type": "net", "net_days": 45}, "requested_terms_exceed_allowed"),
    ]
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=10) as http:
        for n, (customer, amount, terms, reason) in enumerate(orders):
            body = {"customer_id": customer, "order_id": f"check-{n}", "amount": amount}
            body |= {"currency": "USD"} | ({"requested_terms": terms} if terms else {})
            answer = http.post(ROUTE, json=body)
            if answer.status_code != 200 or (reason and reason not in answer.json()["reasons"]):
                raise RuntimeError(f"decision {body} got {answer.status_code} {answer.text}")
    return len(orders)


def report(table: Table, measured: Measured) -> None:
    decided, healthz = measured.decisions, measured.healthz
    decision = max(decided, key=lambda r: r.wrk.requests_per_second)
    live = max(healthz, key=lambda r: r.wrk.requests_per_second)
    table.info("7  decision throughput, best round", _rate(decision, decided))
    table.info("   decision latency p50 / p99 (that round)", _latency(decision))
    table.info("   /healthz/live throughput, best round", _rate(live, healthz))
    table.info("   /healthz/live latency p50 / p99 (that round)", _latency(live))
    ratio = decision.wrk.requests_per_second / live.wrk.requests_per_second
    per_round = ", ".join(
        f"{d.wrk.requests_per_second / h.wrk.requests_per_second:.2f}"
        for d, h in zip(decided, healthz, strict=True)
    )
    table.check(
        "   decisions / healthz throughput (best / best)",
        f"{ratio:.2f}x  (rounds {per_round})",
        ratio >= TARGET_RATIO,
        f">= {TARGET_RATIO:.2f}x",
    )
    p99 = decision.wrk.p99_ms / live.wrk.p99_ms
    table.info("   decisions / healthz p99 latency", f"{p99:.2f}x")
    table.info(
        "   CPU per request, decisions / healthz",
        f"{_cpu_per_request(decided)} / {_cpu_per_request(healthz)}",
    )
    others = max(run.cpu.others_share for run in [*decided, *healthz])
    table.info("   CPU taken by other processes, worst round", f"{others:.0%} of all cores")
    if others > NOISY:
        table.warnings.append(
            f"decisions: other processes used up to {others:.0%} of the CPUs during the wrk "
            "rounds: throughput figures are noisy, the ratio less so (rounds alternate)"
        )
    for name, runs in (
        ("decisions", [measured.decisions_warmup, *decided]),
        ("/healthz/live", [measured.healthz_warmup, *healthz]),
    ):
        refused = sum(run.refused for run in runs)
        broken = sum(sum(_socket_errors(run.wrk).values()) for run in runs)
        table.check(
            f"   {name}: answers not 200 / socket errors",
            f"{refused:,} / {broken:,}  (wrk's non-2xx: {sum(r.wrk.non_2xx for r in runs):,})",
            refused == 0 and broken == 0,
            "0 / 0",
        )
    recorded_row(table, measured)


def recorded_row(table: Table, measured: Measured) -> None:
    """Recorded rows against answers: the server's own count must match exactly; wrk's count
    misses what was in flight when wrk stopped (at most 32 a run)."""
    runs = [measured.decisions_warmup, *measured.decisions]
    got = measured.checks + sum(run.answered for run in runs)
    in_flight = sum(run.in_flight for run in runs)
    answered = measured.answered
    # uvicorn re-raises the SIGTERM it caught once its graceful shutdown is done: -15 is clean;
    # Server.stop's SIGKILL, 15 s later, would be -9.
    clean = measured.exit_code in (0, -signal.SIGTERM)
    exact = answered is not None and measured.recorded == answered
    within = got <= measured.recorded <= got + in_flight
    server = "not in /metrics" if answered is None else f"{answered:,}"
    exit_note = "" if clean else f"; the server's exit: {measured.exit_code}, not clean"
    table.check(
        "   decisions recorded after SIGTERM / answered 200",
        f"{measured.recorded:,} / {server}  (wrk: {got - measured.checks:,} + "
        f"{measured.checks} checks, {in_flight} in flight at its stops){exit_note}",
        clean and within and (exact or answered is None),
        "equal",
    )


def _wrk(
    server: Server,
    token: str,
    script: Path,
    prefix: str,
    seconds: int,
    pids: tuple[int, int | None],
) -> Run:
    before = usage.reading(*pids)
    result = loadgen.run(
        server.base_url,
        token=token,
        customers=CUSTOMERS,
        seconds=seconds,
        server_pid=pids[0],
        connections=CONNECTIONS,
        script=script,
        script_env={"BENCH_PREFIX": prefix},
    )
    cpu = usage.since(before, *pids)
    counts = {"sent": 0, "answered-200": 0, "not-200": 0}
    for line in result.output.splitlines():
        name, _, value = line.partition(": ")
        if name in counts:
            counts[name] += int(value)
    if counts["sent"] == 0:
        raise RuntimeError(f"{script.name} printed no counts:\n{result.output}")
    return Run(result, cpu, counts["sent"], counts["answered-200"], counts["not-200"])


def _answered(server: Server) -> int | None:
    """Decisions answered 200 by the (single-worker) server, from its /metrics."""
    text = httpx.get(f"{server.base_url}/metrics", timeout=10).text
    counts = _ANSWERED.findall(text)
    return round(sum(float(count) for count in counts)) if counts else None


def _recorded(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            query = select(func.count()).select_from(CheckoutDecision)
            return connection.execute(query).scalar_one()
    finally:
        engine.dispose()


def _cpu_per_request(runs: list[Run]) -> str:
    requests = max(1, sum(run.wrk.requests for run in runs))
    server = sum(run.cpu.server_s for run in runs) / requests * 1e6
    store = sum(run.cpu.store_s or 0.0 for run in runs) / requests * 1e6
    return f"termsgate {server:.0f} µs + PostgreSQL {store:.0f} µs"


def _rate(best: Run, rounds: list[Run]) -> str:
    every = ", ".join(f"{r.wrk.requests_per_second / 1000:.1f}k" for r in rounds)
    return f"{best.wrk.requests_per_second:,.0f} req/s  ({every})"


def _latency(run: Run) -> str:
    return f"{run.wrk.p50_ms:.2f} ms / {run.wrk.p99_ms:.2f} ms"


def _socket_errors(result: loadgen.Result) -> dict[str, int]:
    """wrk's "Socket errors: connect 0, read 0, write 0, timeout 1" as a dict."""
    text = (result.socket_errors or "").removeprefix("Socket errors:")
    return {kind: int(count) for kind, count in (part.split() for part in text.split(",") if part)}


def _pids(server: Server, cluster: PostgresCluster) -> tuple[int, int | None]:
    """(the server's process, PostgreSQL's postmaster: its backends do the recording)."""
    assert server.process is not None
    try:
        postmaster = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, IndexError, ValueError):
        postmaster = None
    return server.process.pid, postmaster


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
