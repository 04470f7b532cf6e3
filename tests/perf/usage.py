"""Who used the CPUs over a measured stretch: the server, the database server, everyone else.

Read from /proc, for a process and every process below it (uvicorn's workers, PostgreSQL's
backends), so figures hold for several workers too.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import NamedTuple

from tests.perf import loadgen


class Cpu(NamedTuple):
    """CPU seconds of the server and of the database server (None: in-process SQLite), and the
    share of all the machine's CPUs that other processes took meanwhile (noise)."""

    server_s: float
    store_s: float | None
    others_share: float

    def per_thousand(self, count: int) -> str:
        per = 1000 / max(1, count) * 1000
        server = f"termsgate {self.server_s * per:,.0f} ms"
        if self.store_s is None:
            return server
        return f"{server}, PostgreSQL {self.store_s * per:,.0f} ms"


class Reading(NamedTuple):
    at: float
    server_s: float
    store_s: float | None
    machine_s: float
    ours_s: float


def reading(server_pid: int, store_pid: int | None) -> Reading:
    return Reading(
        at=time.monotonic(),
        server_s=tree_busy(server_pid),
        store_s=None if store_pid is None else tree_busy(store_pid),
        machine_s=loadgen.machine_busy(),
        ours_s=time.process_time() + loadgen.children_busy(),  # load generators: threads, wrk
    )


def since(before: Reading, server_pid: int, store_pid: int | None) -> Cpu:
    now = reading(server_pid, store_pid)
    server_s = now.server_s - before.server_s
    store_s = None
    if now.store_s is not None and before.store_s is not None:
        store_s = now.store_s - before.store_s
    ours = server_s + (store_s or 0.0) + now.ours_s - before.ours_s
    all_cpus = (now.at - before.at) * (os.cpu_count() or 1)
    return Cpu(server_s, store_s, max(0.0, (now.machine_s - before.machine_s - ours) / all_cpus))


def tree_busy(root: int) -> float:
    """utime + stime of `root` and of every process below it that is still alive."""
    parents: dict[int, int] = {}
    busy: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        busy[pid] = (int(fields[11]) + int(fields[12])) / tick
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(busy.get(pid, 0.0) for pid in tree)
