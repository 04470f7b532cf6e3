"""Section 11 of `make bench`: what `termsgate serve` costs to start, and what its workers share;
what a short command costs.

On an empty SQLite store (start-up is the same work on either store), `termsgate serve` with 1
and with 2 workers is started until every worker has loaded its snapshot, then stopped with
SIGTERM, RUNS times each. Reported: the median time from the command to ready, the median CPU
seconds of the whole process tree from start to exit (reaped, so every worker counts), and for 2
workers each worker's memory that is its own (private pages) beside its resident set: the rest
is the supervisor's imported code, shared through fork. Then `termsgate migrate` on that store,
which has nothing to do: a command's start-up and one look at the store, RUNS times.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

from sqlalchemy import create_engine

from app.core import schema
from tests.perf.routing import Table
from tests.support.server import TERMSGATE, Server

RUNS: Final = 5
WORKERS: Final = (1, 2)


def section(table: Table, work: Path, *, progress: Callable[[str], None]) -> None:
    url = f"sqlite:///{work / 'startup.db'}"
    engine = create_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    for workers in WORKERS:
        progress(f"start-up: termsgate serve --workers {workers}, {RUNS} starts and stops")
        ready: list[float] = []
        cpu: list[float] = []
        private: list[float] = []
        resident: list[float] = []
        for run in range(RUNS):
            server = Server(url, work / f"startup-{workers}-{run}.log", workers=workers)
            before = _children_cpu()
            started = time.monotonic()
            server.start()
            ready.append(time.monotonic() - started)
            if workers > 1:
                for pid in server.worker_pids():
                    private.append(_memory_mib(pid, ("Private_Clean:", "Private_Dirty:")))
                    resident.append(_memory_mib(pid, ("Rss:",)))
            server.stop()
            cpu.append(_children_cpu() - before)
        name = f"serve --workers {workers}"
        table.info(
            f"11 {name}: command to ready, median of {RUNS}",
            f"{statistics.median(ready) * 1000:,.0f} ms",
        )
        table.info(
            f"   {name}: CPU from start to exit, all its processes, median",
            f"{statistics.median(cpu):.2f} s",
        )
        if private:
            table.info(
                f"   {name}: a worker's own memory / its resident set, median",
                f"{statistics.median(private):.0f} MiB / {statistics.median(resident):.0f} MiB",
            )
    progress(f"start-up: termsgate migrate, nothing to do, {RUNS} times")
    cpu = []
    for _ in range(RUNS):
        before = _children_cpu()
        subprocess.run(
            [TERMSGATE, "migrate"],
            env={**os.environ, "TERMSGATE_DATABASE_URL": url},
            capture_output=True,
            check=True,
            timeout=60,
        )
        cpu.append(_children_cpu() - before)
    table.info(
        f"11 termsgate migrate, nothing to do: CPU, median of {RUNS}",
        f"{statistics.median(cpu):.2f} s",
    )


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _memory_mib(pid: int, fields: tuple[str, ...]) -> float:
    """The sum of these fields of /proc/PID/smaps_rollup (kB), in MiB."""
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(fields):
            total += int(line.split()[1])
    return total / 1024
