"""Section 8 of `make bench`: import a payment history and preview a segmentation run over it.

A deterministic history of 1,000,000 invoices for 100,000 customers (10 each, over the year
before AS_OF: on-time, slow and late payers, a spread of order sizes, some unpaid) is written
as an import file. On a private PostgreSQL and on a SQLite file:

- `termsgate import-history FILE` loads it (wall time, rows per second, peak RSS of the process);
- `termsgate segment --as-of AS_OF` runs a dry run over it (wall time, process start included).

Target (issue 5): the dry run <= 20 s on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Final, NamedTuple

from tests.perf.routing import Table
from tests.support.postgres import PostgresCluster
from tests.support.server import TERMSGATE

CUSTOMERS: Final = 100_000
INVOICES_EACH: Final = 10
AS_OF: Final = date(2026, 11, 1)
TARGET_RUN_S: Final = 20.0
# (chance an invoice is paid late, typical days late): on-time, slow and late payers.
HABITS: Final = ((0.03, 3), (0.3, 12), (0.7, 30))


class Timed(NamedTuple):
    seconds: float
    peak_rss_mb: float
    output: str


def section(table: Table, work: Path, *, sqlite: bool, progress: Callable[[str], None]) -> None:
    history = work / "history.csv"
    progress(f"segmentation: writing {CUSTOMERS * INVOICES_EACH:,} invoices to {history.name}")
    started = time.monotonic()
    rows = write_history(history, CUSTOMERS, INVOICES_EACH, seed=5)
    table.note(
        "segmentation history file",
        f"{rows:,} invoices of {CUSTOMERS:,} customers, {history.stat().st_size / 1e6:.0f} MB, "
        f"written in {time.monotonic() - started:.1f} s",
    )
    cluster = PostgresCluster(work / "pg-segmentation")
    try:
        progress("segmentation: starting PostgreSQL")
        cluster.start()
        url = cluster.create_database("segmentation")
        measure(table, "PostgreSQL", url, history, rows, progress, target=TARGET_RUN_S)
    finally:
        progress("segmentation: stopping PostgreSQL")
        cluster.stop()
    if sqlite:
        url = f"sqlite:///{work / 'segmentation.db'}"
        measure(table, "SQLite", url, history, rows, progress, target=None)


def measure(
    table: Table,
    name: str,
    url: str,
    history: Path,
    rows: int,
    progress: Callable[[str], None],
    *,
    target: float | None,
) -> None:
    env = {"TERMSGATE_DATABASE_URL": url}
    timed(["migrate"], env)
    progress(f"segmentation, {name}: termsgate import-history")
    loaded = timed(["import-history", str(history)], env)
    table.info(
        f"8  import-history, {name}",
        f"{loaded.seconds:.1f} s  ({rows / loaded.seconds:,.0f} rows/s), "
        f"peak RSS {loaded.peak_rss_mb:,.0f} MiB",
    )
    progress(f"segmentation, {name}: termsgate segment --as-of {AS_OF} (dry run)")
    run = timed(["segment", "--as-of", AS_OF.isoformat()], env)
    what = f"   dry run over {rows:,} invoices, {name}"
    measured = f"{run.seconds:.1f} s  (CLI, process start included)"
    if target is None:
        table.info(what, measured)
    else:
        table.check(what, measured, run.seconds <= target, f"<= {target:.0f} s")
    said = re.search(r"^classified .*$", run.output, re.MULTILINE)
    table.note(f"   {name}: the run", said.group(0) if said else run.output.strip()[-160:])


def timed(args: list[str], env: dict[str, str]) -> Timed:
    """Run one `termsgate` command; its wall time and its own peak RSS (from wait4)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [TERMSGATE, *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    text = output.decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"termsgate {' '.join(args)} failed: {text[-2000:]}")
    # The command's own figure where it gives one: wait4's ru_maxrss also counts, before exec,
    # the pages of the process it was forked from (this one).
    reported = re.search(r"^peak memory: (\d+) MiB$", text, re.MULTILINE)
    peak = float(reported.group(1)) if reported else usage.ru_maxrss / 1024
    return Timed(seconds, peak, text)


def write_history(path: Path, customers: int, each: int, seed: int) -> int:
    """The import file: deterministic for a seed; returns the number of invoices."""
    written = 0
    with path.open("w") as out:
        out.write("customer_id,invoice_id,currency,amount,issued_on,due_on,paid_on\n")
        for line in history_lines(customers, each, seed):
            out.write(line)
            written += 1
    return written


def history_lines(customers: int, each: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    start = AS_OF - timedelta(days=360)
    for number in range(1, customers + 1):
        customer = f"hist-{number:06d}"
        # How this customer pays: mostly on time, sometimes late, or usually late.
        habit = rng.random()
        late_chance, late_days = (
            (0.03, 3) if habit < 0.5 else (0.3, 12) if habit < 0.8 else (0.7, 30)
        )
        # Order size in dollars: the biggest reach the default policy's USD 100,000 a year.
        size = rng.choice((50.0, 200.0, 800.0, 4_000.0, 20_000.0))
        for n in range(each):
            issued = start + timedelta(days=rng.randrange(0, 350))
            due = issued + timedelta(days=rng.choice((15, 30)))
            amount = size * rng.uniform(0.5, 1.5)
            if due >= AS_OF and rng.random() < 0.5:
                paid = ""  # not due yet, not paid yet
            else:
                late = rng.randint(1, late_days * 2) if rng.random() < late_chance else 0
                settled = (
                    due + timedelta(days=late) - timedelta(days=rng.randint(0, 5) * (late == 0))
                )
                # Settled after AS_OF: still open on the day the history was taken.
                paid = "" if settled > AS_OF else max(settled, issued).isoformat()
            yield (
                f"{customer},{customer}-{n:02d},USD,{amount:.2f},"
                f"{issued.isoformat()},{due.isoformat()},{paid}\n"
            )
