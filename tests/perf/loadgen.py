"""wrk over loopback (one thread, 32 connections), and what else the machine did meanwhile."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import time
from pathlib import Path
from typing import Final, NamedTuple

SCRIPT: Final = Path(__file__).with_name("lookup.lua")
_TICK: Final = os.sysconf("SC_CLK_TCK")
_UNITS: Final = {"us": 1e-3, "ms": 1.0, "s": 1e3}
_PERCENTILE = re.compile(r"^\s*(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors:.*")
_TOTAL = re.compile(r"(\d+) requests in")


class Result(NamedTuple):
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: str | None
    # Share of the machine's CPUs busy with neither the server nor wrk (other processes).
    others_busy: float
    server_cpu_seconds: float
    output: str

    @property
    def server_us_per_request(self) -> float:
        return self.server_cpu_seconds / max(1, self.requests) * 1e6


def cpus() -> tuple[set[int], set[int]] | None:
    """(server CPUs, wrk CPUs): one core each when there are two or more and taskset exists."""
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2 or shutil.which("taskset") is None:
        return None
    return {available[0]}, {available[1]}


def pinned(command: list[str], cpu_set: set[int] | None) -> list[str]:
    if cpu_set is None:
        return command
    return ["taskset", "-c", ",".join(map(str, sorted(cpu_set))), *command]


def run(
    url: str,
    *,
    token: str,
    customers: int,
    seconds: int,
    server_pid: int,
    cpu_set: set[int] | None = None,
    connections: int = 32,
    script: Path = SCRIPT,
    script_env: dict[str, str] | None = None,
    timeout: str | None = None,
) -> Result:
    """`wrk -t1 -c32 -d<seconds>s --latency -s lookup.lua <url>`, parsed.

    Another script (and what it reads from the environment) can be given for other routes, and
    another `--timeout` than wrk's 2 s, past which a request counts as a socket error.
    """
    command = pinned(
        [
            "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
            "-s", str(script), *(("--timeout", timeout) if timeout else ()), url,
        ],
        cpu_set,
    )  # fmt: skip
    env = {
        **os.environ,
        "BENCH_TOKEN": token,
        "BENCH_CUSTOMERS": str(customers),
        **(script_env or {}),
    }
    machine, server, children = machine_busy(), _process_busy(server_pid), children_busy()
    started = time.monotonic()
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    elapsed = time.monotonic() - started
    server = _process_busy(server_pid) - server
    ours = server + (children_busy() - children)
    others = (machine_busy() - machine - ours) / (elapsed * (os.cpu_count() or 1))
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited with {done.returncode}:\n{done.stdout}{done.stderr}")
    return parse(done.stdout, max(0.0, others), server)


def parse(output: str, others_busy: float = 0.0, server_cpu_seconds: float = 0.0) -> Result:
    rate = _RATE.search(output)
    total = _TOTAL.search(output)
    percentiles = {p: float(v) * _UNITS[unit] for p, v, unit in _PERCENTILE.findall(output)}
    if rate is None or total is None or "99" not in percentiles:
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    non_2xx = _NON_2XX.search(output)
    errors = _SOCKET_ERRORS.search(output)
    return Result(
        requests_per_second=float(rate.group(1)),
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
        requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=errors.group(0).strip() if errors else None,
        others_busy=others_busy,
        server_cpu_seconds=server_cpu_seconds,
        output=output,
    )


def machine_busy() -> float:
    """CPU seconds spent busy by the whole machine since boot (all CPUs)."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / _TICK  # user..steal; guest time is already in user


def _process_busy(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime


def children_busy() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
