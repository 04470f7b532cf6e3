"""`make bench`: one run, one table.

1. the terms lookup through `termsgate serve --workers 1` on PostgreSQL with 1,000,000 placed
   customers, under wrk over loopback;
2. the floor: a bare ASGI app on the same uvicorn with the same options, under the same wrk;
3. the terms lookup in-process (and the whole hot-path function, key check included);
4. snapshot bytes per customer; 5. cold load time;
6. invoice routing and payments (tests/perf/routing.py): single routes and payments under wrk
   (-t1 -c32) and batches of 1000 through `termsgate serve --workers 2`, on PostgreSQL and on
   SQLite with 10,000 customers;
7. checkout decisions (tests/perf/decisions.py): POST /v1/checkout/decisions beside
   GET /healthz/live on one `termsgate serve --workers 1`, 100,000 customers on PostgreSQL, and
   every decision answered recorded after a clean shutdown;
8. history import and segmentation (tests/perf/segmentation.py): `termsgate import-history` of
   1,000,000 invoices of 100,000 customers and a dry run over them, on PostgreSQL and SQLite;
9. receivables KPIs (tests/perf/kpis.py): DSO for a quarter, the monthly DSO trend over a year,
   ageing and cash by sales owner over 1,000,000 invoices, on PostgreSQL and SQLite;
10. the contact loop (tests/perf/contacts.py): GET /v1/worklist over 100,000 open invoices of
   20,000 customers and POST /v1/touches under wrk, through `termsgate serve --workers 2` on
   PostgreSQL;
11. server start-up (tests/perf/startup.py): `termsgate serve` with 1 and 2 workers, command to
   ready and CPU from start to exit, and how much of a worker's memory is its own.

1-5 share one store and run unless an --only-* flag is given; 6 to 11 have their own.

Figures are printed beside their targets with PASS or MISS; a miss does not fail the run (this
is a benchmark, not a test), an error does. Servers and the cluster are torn down either way.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

import httpx

from tests.perf import loadgen
from tests.support.server import Server

if TYPE_CHECKING:
    from tests.perf.dataset import Loaded
    from tests.perf.inprocess import Loads

CUSTOMERS: Final = 1_000_000
TARGET_RATIO: Final = 0.8
TARGET_LOOKUP_NS: Final = 1000.0
TARGET_BYTES: Final = 150.0
TARGET_LOAD_S: Final = 5.0
WARMUP_S: Final = 2
ROUNDS: Final = 3
NOISY: Final = 0.1
LOAD_RUNS: Final = 3
# SQLite's load and reloads take about a minute; skip them past this point to stay near 5 min.
SQLITE_AFTER_S: Final = 210.0
REPO: Final = Path(__file__).resolve().parents[2]
# Every row of the table, as JSON lines, for the docs' Performance page (docs/hooks/figures.py).
FIGURES_FILE: Final = REPO / "docs" / "figures" / "bench.jsonl"
# The sections with a store of their own: --no-<name> skips one, --only-<name> runs it alone.
OWN_STORE: Final = {
    "routing": (6, "invoice routing"),
    "decisions": (7, "checkout decisions"),
    "segmentation": (8, "history import and segmentation run"),
    "kpis": (9, "receivables KPIs"),
    "contacts": (10, "the contact loop: worklist and touches"),
    "startup": (11, "server start-up"),
}


class Row(NamedTuple):
    what: str
    measured: str
    target: str = ""
    verdict: str = ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.run", description=__doc__)
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument(
        "--seconds",
        type=int,
        default=10,
        help="wrk duration per server (and per routing run, per decisions or healthz round)",
    )
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="wrk rounds per server")
    parser.add_argument(
        "--no-sqlite", action="store_true", help="skip the SQLite load time and SQLite routing"
    )
    alone = parser.add_mutually_exclusive_group()
    for name, (number, what) in OWN_STORE.items():
        parser.add_argument(f"--no-{name}", action="store_true", help=f"skip {number}, {what}")
        alone.add_argument(
            f"--only-{name}", action="store_true", help=f"run {number} ({name}) alone"
        )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="pin the server to one CPU and wrk to another (worse when other work shares them)",
    )
    parser.add_argument(
        "--figures-file",
        type=Path,
        default=FIGURES_FILE,
        help="write the figures there as JSON lines, replacing the sections this run measured",
    )
    args = parser.parse_args(argv)
    only = [name for name in OWN_STORE if getattr(args, f"only_{name}")]
    skipped = [name for name in OWN_STORE if getattr(args, f"no_{name}")]
    if only and skipped:
        parser.error(f"argument --only-{only[0]}: not allowed with argument --no-{skipped[0]}")
    work = Path(tempfile.mkdtemp(prefix="termsgate-bench-"))
    # This process measures lookup() with the multiprocess counters `termsgate serve` uses;
    # set before anything imports prometheus-client.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_mkdir(work / "metrics"))
    bench = Bench(work, args)
    try:
        bench.run()
    except BaseException:
        bench.print_table(failed=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bench.print_table()
    bench.write_figures(args.figures_file)
    return 0


class Bench:
    def __init__(self, work: Path, args: argparse.Namespace) -> None:
        self.work = work
        self.customers: int = args.customers
        self.seconds: int = args.seconds
        self.rounds: int = args.rounds
        self.sqlite: bool = not args.no_sqlite
        self.only = next((name for name in OWN_STORE if getattr(args, f"only_{name}")), None)
        self.lookup: bool = self.only is None
        self.routing: bool = self.only in (None, "routing") and not args.no_routing
        self.decisions: bool = self.only in (None, "decisions") and not args.no_decisions
        self.segmentation: bool = self.only in (None, "segmentation") and not args.no_segmentation
        self.kpis: bool = self.only in (None, "kpis") and not args.no_kpis
        self.contacts: bool = self.only in (None, "contacts") and not args.no_contacts
        self.startup: bool = self.only in (None, "startup") and not args.no_startup
        self.pinning = loadgen.cpus() if args.pin else None
        self.rows: list[Row] = []
        self.setup: list[Row] = []
        self.figures: list[dict[str, object]] = []
        self.section = ""
        self.warnings: list[str] = []
        self.started = time.monotonic()
        self.wrk_command = (
            f"wrk -t1 -c32 -d{self.seconds}s --latency -s tests/perf/lookup.lua, "
            f"{self.rounds} rounds alternating floor and lookup"
        )

    def run(self) -> None:
        if self.lookup:
            self.section = "1"
            self.lookup_sections()
        if self.routing:
            self.section = "6"
            from tests.perf import routing

            routing.section(
                self, self.work, seconds=self.seconds, sqlite=self.sqlite, progress=_progress
            )
        if self.decisions:
            self.section = "7"
            from tests.perf import decisions

            decisions.section(
                self, self.work, seconds=self.seconds, rounds=self.rounds, progress=_progress
            )
        if self.segmentation:
            self.section = "8"
            from tests.perf import segmentation

            segmentation.section(self, self.work, sqlite=self.sqlite, progress=_progress)
        if self.kpis:
            self.section = "9"
            from tests.perf import kpis

            kpis.section(self, self.work, sqlite=self.sqlite, progress=_progress)
        if self.contacts:
            self.section = "10"
            from tests.perf import contacts

            contacts.section(self, self.work, seconds=self.seconds, progress=_progress)
        if self.startup:
            self.section = "11"
            from tests.perf import startup

            startup.section(self, self.work, progress=_progress)

    def lookup_sections(self) -> None:
        from tests.perf import dataset
        from tests.support.postgres import PostgresCluster

        cluster = PostgresCluster(self.work / "pg")
        try:
            _progress("starting PostgreSQL")
            cluster.start()
            _progress(f"loading {self.customers:,} customers with COPY")
            loaded = dataset.load_postgres(cluster, self.customers)
            self.note("customers loaded: COPY + VACUUM ANALYZE, PG", f"{loaded.seconds:.1f} s")
            self.over_the_wire(loaded)
            self.in_process(loaded)
        finally:
            _progress("stopping PostgreSQL")
            cluster.stop()
        if not self.sqlite:
            return
        if time.monotonic() - self.started > SQLITE_AFTER_S:
            self.info("   cold load, SQLite", "skipped (time budget)")
            return
        self.sqlite_load()

    # -- over the wire -------------------------------------------------------------------

    def over_the_wire(self, loaded: Loaded) -> None:
        """Both servers up, then wrk rounds alternating floor and lookup: drift hits both."""
        env = self._server_env
        floor = Server("unused", self.work / "floor.log", env=env("floor"))
        floor.args = [sys.executable, "-m", "tests.perf.floor", "--port", str(floor.port)]
        lookup = Server(loaded.url, self.work / "serve.log", workers=1, env=env("serve"))
        floor.args, lookup.args = (
            loadgen.pinned(server.args, self._cpus(0)) for server in (floor, lookup)
        )
        with ExitStack() as stack:
            _progress("termsgate serve --workers 1 (ready once the snapshot is loaded)")
            started = time.monotonic()
            stack.enter_context(self._served(lookup, wait_ready=True))
            self.note("termsgate serve: start to ready", f"{time.monotonic() - started:.1f} s")
            self._check_answers(lookup, loaded.token)
            _progress("floor: bare ASGI app, same uvicorn options")
            stack.enter_context(self._served(floor, wait_ready=False))
            for server in (floor, lookup):
                self._wrk(server, loaded.token, WARMUP_S)
            floors: list[loadgen.Result] = []
            lookups: list[loadgen.Result] = []
            for round_ in range(1, self.rounds + 1):
                _progress(f"round {round_}/{self.rounds}: wrk {self.seconds}s floor, then lookup")
                floors.append(self._wrk(floor, loaded.token, self.seconds))
                lookups.append(self._wrk(lookup, loaded.token, self.seconds))
        self.ratio(lookups, floors)

    def ratio(self, lookups: list[loadgen.Result], floors: list[loadgen.Result]) -> None:
        lookup = max(lookups, key=lambda r: r.requests_per_second)
        floor = max(floors, key=lambda r: r.requests_per_second)
        self.rows.extend(
            [
                Row("1  lookup throughput, best round", _rate(lookup, lookups)),
                Row("   lookup latency p50 / p99 (that round)", _latency(lookup)),
                Row("2  floor throughput, best round", _rate(floor, floors)),
                Row("   floor latency p50 / p99 (that round)", _latency(floor)),
            ]
        )
        ratio = lookup.requests_per_second / floor.requests_per_second
        per_round = ", ".join(
            f"{a.requests_per_second / b.requests_per_second:.2f}"
            for a, b in zip(lookups, floors, strict=True)
        )
        self.check(
            "   lookup / floor throughput (best / best)",
            f"{ratio:.2f}x  (rounds {per_round})",
            ratio >= TARGET_RATIO,
            f">= {TARGET_RATIO:.2f}x",
        )
        self.info("   lookup / floor p99 latency", f"{lookup.p99_ms / floor.p99_ms:.2f}x")
        cpu_lookup = min(r.server_us_per_request for r in lookups)
        cpu_floor = min(r.server_us_per_request for r in floors)
        self.info(
            "   server CPU per request, lookup / floor",
            f"{cpu_lookup:.1f} µs / {cpu_floor:.1f} µs  (ratio {cpu_floor / cpu_lookup:.2f}x)",
        )
        others = max(r.others_busy for r in [*lookups, *floors])
        self.info("   CPU taken by other processes, worst round", f"{others:.0%} of all cores")
        if others > NOISY:
            self.warnings.append(
                f"other processes used up to {others:.0%} of the CPUs during the wrk rounds: "
                "throughput figures are noisy, the ratio less so (rounds alternate)"
            )
        for name, results in (("lookup", lookups), ("floor", floors)):
            for result in results:
                if result.non_2xx or result.socket_errors:
                    errors = result.socket_errors or "no socket errors"
                    self.check(
                        f"   {name}: non-2xx answers", f"{result.non_2xx:,}; {errors}", False, "0"
                    )

    def _wrk(self, server: Server, token: str, seconds: int) -> loadgen.Result:
        assert server.process is not None
        return loadgen.run(
            server.base_url,
            token=token,
            customers=self.customers,
            seconds=seconds,
            server_pid=server.process.pid,
            cpu_set=self._cpus(1),
        )

    def _check_answers(self, server: Server, token: str) -> None:
        from tests.perf.dataset import customer_id

        headers = {"Authorization": f"Bearer {token}"}
        known = httpx.get(f"{server.base_url}/v1/customers/{customer_id(1)}/terms", headers=headers)
        unknown = httpx.get(f"{server.base_url}/v1/customers/cust-x/terms", headers=headers)
        if known.status_code != 200 or known.json()["source"] not in ("segment", "override"):
            raise RuntimeError(f"a placed customer got {known.status_code} {known.text}")
        if unknown.status_code != 200 or unknown.json()["source"] != "default":
            raise RuntimeError(f"an unknown customer got {unknown.status_code} {unknown.text}")

    @contextmanager
    def _served(self, server: Server, *, wait_ready: bool) -> Iterator[Server]:
        try:
            server.start(wait_ready=wait_ready, timeout=180)
            yield server
        finally:
            server.stop()

    def _server_env(self, name: str) -> dict[str, str]:
        return {
            "PYTHONPATH": str(REPO),
            "PROMETHEUS_MULTIPROC_DIR": str(_mkdir(self.work / f"metrics-{name}")),
        }

    def _cpus(self, which: int) -> set[int] | None:
        return None if self.pinning is None else self.pinning[which]

    # -- in this process -----------------------------------------------------------------

    def in_process(self, loaded: Loaded) -> None:
        from tests.perf import inprocess

        _progress(f"in-process: cold loads x{LOAD_RUNS}")
        loads = inprocess.cold_loads(loaded.url, LOAD_RUNS)
        _progress("in-process: lookup() timings")
        costs = inprocess.costs(loaded.url, loaded.token, self.customers)
        _progress("in-process: tracemalloc around reload()")
        memory = inprocess.memory(loaded.url)
        per = memory.traced_bytes / memory.customers
        self.check(
            "3  terms lookup in-process (dict read + bytes)",
            f"{costs.answer_and_body_ns:,.0f} ns",
            costs.answer_and_body_ns <= TARGET_LOOKUP_NS,
            f"<= {TARGET_LOOKUP_NS:,.0f} ns",
        )
        self.info("   whole hot-path function, key check included", f"{costs.lookup_ns:,.0f} ns")
        self.check(
            "4  snapshot memory per customer (tracemalloc)",
            f"{per:,.1f} B",
            per <= TARGET_BYTES,
            f"<= {TARGET_BYTES:.0f} B",
        )
        self.info(
            "   of which: placements dict / id strings",
            f"{memory.dict_bytes / memory.customers:.1f} B / "
            f"{memory.id_bytes / memory.customers:.1f} B",
        )
        self.info("   peak traced during reload()", f"{memory.peak_bytes / 2**20:,.0f} MiB")
        self.info("   RSS growth over the first load", f"{loads.first_rss_growth / 2**20:,.0f} MiB")
        self.load_row("5  cold load, PostgreSQL (reload, best of 3)", loads)

    def sqlite_load(self) -> None:
        from tests.perf import dataset, inprocess

        _progress(f"SQLite: loading {self.customers:,} customers")
        loaded = dataset.load_sqlite(self.work / "bench.db", self.customers)
        self.note("customers loaded: INSERT + ANALYZE, SQLite", f"{loaded.seconds:.1f} s")
        _progress(f"SQLite: cold loads x{LOAD_RUNS}")
        loads = inprocess.cold_loads(loaded.url, LOAD_RUNS)
        self.load_row("   cold load, SQLite (reload, best of 3)", loads, judged=False)

    def load_row(self, what: str, loads: Loads, *, judged: bool = True) -> None:
        runs = ", ".join(f"{s:.2f}" for s in loads.seconds)
        best = min(loads.seconds)
        if judged:
            self.check(
                what, f"{best:.2f} s  ({runs})", best <= TARGET_LOAD_S, f"<= {TARGET_LOAD_S:.0f} s"
            )
        else:
            self.info(what, f"{best:.2f} s  ({runs})  (no target: PostgreSQL's is 5 s)")
        if loads.customers != self.customers:
            self.check(
                "   customers in the snapshot", f"{loads.customers:,}", False, f"{self.customers:,}"
            )

    # -- the table -----------------------------------------------------------------------

    def info(self, what: str, measured: str) -> None:
        self.rows.append(Row(what, measured))
        self.figure(self.rows[-1])

    def note(self, what: str, measured: str) -> None:
        """A setup figure: printed under the table, never judged."""
        self.setup.append(Row(what, measured))
        self.figure(self.setup[-1], setup=True)

    def check(self, what: str, measured: str, ok: bool, target: str) -> None:
        self.rows.append(Row(what, measured, target, "PASS" if ok else "MISS"))
        self.figure(self.rows[-1])

    def figure(self, row: Row, *, setup: bool = False) -> None:
        """The row as a figure record; a row without a section number belongs to the last one."""
        numbered = re.match(r"(\d+)\s+(.*)", row.what)
        if numbered and not setup:
            self.section = numbered.group(1)
        what = numbered.group(2) if numbered else row.what.strip()
        store = next((s for s in ("PostgreSQL", "SQLite") if s in what), None)
        if store is None and " PG" in f" {what}":
            store = "PostgreSQL"
        self.figures.append(
            {
                "section": self.section,
                "what": what,
                "value": row.measured,
                "target": row.target,
                "verdict": row.verdict,
                "setup": setup,
                "store": store,
                "date": datetime.date.today().isoformat(),
            }
        )

    def write_figures(self, path: Path) -> None:
        """The figures of this run's sections replace those sections' lines in `path`."""
        measured = {str(f["section"]) for f in self.figures}
        kept: list[dict[str, object]] = []
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            kept = [f for f in map(json.loads, filter(None, lines)) if f["section"] not in measured]
        every = sorted([*kept, *self.figures], key=lambda f: int(str(f["section"]) or 0))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(f) + "\n" for f in every), encoding="utf-8")
        print(f"figures written to {path}", flush=True)

    def print_table(self, *, failed: bool = False) -> None:
        if self.pinning is None:
            pins = "no CPU pinning"
        else:
            server, wrk = (",".join(map(str, sorted(c))) for c in self.pinning)
            pins = f"server on CPU {server}, wrk on CPU {wrk}"
        header = Row("what", "measured", "target", "verdict")
        every = [header, *self.rows, *self.setup]
        widths = [max(len(row[i]) for row in every) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        if self.only is None:
            about = f"{self.customers:,} placed customers on PostgreSQL; {self.wrk_command}; {pins}"
        else:
            about = f"{OWN_STORE[self.only][1]} only"
        out = [
            "",
            f"termsgate bench: {about}",
            line,
            _format(header, widths),
            line,
            *(_format(row, widths) for row in self.rows),
            line,
            *(_format(row, widths) for row in self.setup),
            line,
        ]
        out.extend(f"WARNING: {warning}" for warning in self.warnings)
        misses = [row for row in self.rows if row.verdict == "MISS"]
        if failed:
            out.append("THE BENCHMARK FAILED before it finished; the figures above are partial.")
        elif misses:
            out.append(f"MISSED {len(misses)} target(s):")
            out.extend(
                f"  MISS  {row.what.strip()}: {row.measured} (target {row.target})"
                for row in misses
            )
        else:
            out.append("every target met")
        out.append(f"total run time {time.monotonic() - self.started:.0f} s")
        print("\n".join(out), flush=True)


def _format(row: Row, widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()


def _rate(best: loadgen.Result, rounds: list[loadgen.Result]) -> str:
    every = ", ".join(f"{r.requests_per_second / 1000:.1f}k" for r in rounds)
    return f"{best.requests_per_second:,.0f} req/s  ({every})"


def _latency(result: loadgen.Result) -> str:
    return f"{result.p50_ms:.2f} ms / {result.p99_ms:.2f} ms"


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
