"""`termsgate serve --workers 2`: its workers are forks of it; /metrics sums both workers (their
counts, and the standard process_* figures, not the supervisor's) and survives one being
killed."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.harness import bearer, create_key, http, loopback, place
from tests.support.launch import Launch
from tests.support.server import Server

pytestmark = pytest.mark.process

LOOKUPS = 200
# Bounds on waiting for both workers to answer, a killed one to be replaced, counts to settle.
ANSWERS_WITHIN = 30.0
RESTART_WITHIN = 30.0
SETTLE_WITHIN = 5.0
LOOKUP_ROUTE = "/v1/customers/{customer_id}/terms"
PLACED = 3


def test_metrics_are_summed_across_workers_and_survive_a_killed_worker(
    sqlite_database: str, launch: Launch
) -> None:
    headers = bearer(create_key(sqlite_database, "checkout", "terms:read"))
    for number in range(PLACED):
        place(sqlite_database, f"c-{number}", "net_30")
    server = launch(sqlite_database, "--no-migrate", workers=2)
    # A fresh connection per request, so both workers answer (the request id names the pid).
    with http(server, limits=httpx.Limits(max_keepalive_connections=0)) as client:
        answered_by = _lookups(client, headers, LOOKUPS, until_pids=2)
        made = sum(answered_by.values())
        assert set(answered_by) <= set(server.worker_pids())
        _settled(client, made)
        for _ in range(3):
            assert _lookups_counted(client) == made
            assert _samples(client, "termsgate_cache_customers") == [float(PLACED)]

        killed = next(iter(answered_by))
        os.kill(killed, signal.SIGKILL)
        replaced = _replaced_worker(server, killed)
        server.wait_for_loads(3, RESTART_WITHIN)  # the two first workers', then its own
        assert _lookups_counted(client) == made

        more = _lookups(client, headers, 1, until_pids=0, wanted_pid=replaced)
        _settled(client, made + sum(more.values()))
        assert _samples(client, "termsgate_cache_customers") == [float(PLACED)]


def test_process_metrics_are_the_workers_summed_and_python_info_is_there(
    sqlite_database: str, launch: Launch
) -> None:
    server = launch(sqlite_database, "--no-migrate", workers=2)
    workers = server.worker_pids()
    assert len(workers) == 2
    limits = sum(_max_open_files(pid) for pid in workers)
    with http(server) as client:
        assert _samples(client, "process_max_fds") == [float(limits)]
        [resident] = _samples(client, "process_resident_memory_bytes")
        assert resident > sum(_resident_bytes(pid) for pid in workers) / 2
        [cpu_seconds] = _samples(client, "process_cpu_seconds_total")
        assert cpu_seconds > 0
        assert _samples(client, "python_info", implementation="CPython") == [1.0]


def _max_open_files(pid: int) -> int:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return int(line.split()[3])
    raise AssertionError(f"no open-files limit for {pid}")


def _resident_bytes(pid: int) -> int:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _lookups(
    client: httpx.Client,
    headers: dict[str, str],
    at_least: int,
    *,
    until_pids: int,
    wanted_pid: int | None = None,
) -> dict[int, int]:
    """Make lookups (at least `at_least`) until `until_pids` workers, or `wanted_pid`, answered.

    Returns how many each worker pid answered.
    """
    answered_by: dict[int, int] = {}
    deadline = time.monotonic() + ANSWERS_WITHIN
    while time.monotonic() < deadline:
        # A fresh connection per round: its worker names itself in the request id of
        # /healthz/live (lookups carry none of their own), then answers the lookup too.
        with loopback(client.base_url, timeout=client.timeout) as connection:
            live = connection.get("/healthz/live")
            answer = connection.get("/v1/customers/c-0/terms", headers=headers)
        assert answer.status_code == 200, answer.text
        pid = int(live.headers["x-request-id"].split("-", 1)[0], 16)
        answered_by[pid] = answered_by.get(pid, 0) + 1
        enough_pids = len(answered_by) >= until_pids and (
            wanted_pid is None or wanted_pid in answered_by
        )
        if sum(answered_by.values()) >= at_least and enough_pids:
            return answered_by
    pytest.fail(f"only workers {sorted(answered_by)} answered: {answered_by}")


def _replaced_worker(server: Server, killed: int) -> int:
    """The pid of the worker the supervisor started in place of `killed`."""
    before = set(server.worker_pids()) - {killed}
    deadline = time.monotonic() + RESTART_WITHIN
    while time.monotonic() < deadline:
        workers = set(server.worker_pids())
        if killed not in workers and len(workers) == 2 and before < workers:
            return (workers - before).pop()
        time.sleep(0.1)
    pytest.fail(f"worker {killed} was not replaced: {server.worker_pids()}")


def _samples(client: httpx.Client, name: str, **labels: str) -> list[float]:
    scraped = client.get("/metrics")
    assert scraped.status_code == 200
    return [
        sample.value
        for family in text_string_to_metric_families(scraped.text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    ]


def _settled(client: httpx.Client, made: int) -> None:
    """The count reaches `made` and never passes it (a worker counts just after answering)."""
    deadline = time.monotonic() + SETTLE_WITHIN
    while (counted := _lookups_counted(client)) != made:
        assert counted < made
        if time.monotonic() >= deadline:
            pytest.fail(f"{counted} lookups counted, {made} made")
        time.sleep(0.05)


def _lookups_counted(client: httpx.Client) -> int:
    counted = _samples(
        client, "termsgate_http_requests_total", route=LOOKUP_ROUTE, status="200", method="GET"
    )
    return int(sum(counted))
