"""The topology of `make cluster`, driven for real: nginx in front of two replicas on PostgreSQL.

A change through one replica is served by both within the contract's 1 second; a replica that
dies loses no request nginx can retry and no routed invoice; a replica's /metrics is the sum of
its workers. Every wait is bounded; everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from prometheus_client import multiprocess
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text

from app.core.tallies import FLUSH_SECONDS
from deploy.local.cluster import Cluster
from tests.support.harness import (
    HTTP_TIMEOUT_SECONDS,
    bearer,
    loopback,
    place,
    visible_by,
    within,
)

pytestmark = [pytest.mark.process, pytest.mark.xdist_group("machine")]

POSTGRESQL_BOUND = 1.0
SETTLE_WITHIN = 5.0
ANSWERS_WITHIN = 20.0
LOOKUPS = 100
LOAD_SECONDS = 3.0
KILL_AFTER_SECONDS = 1.0
LOOKUP = "/v1/customers/{}/terms"
LOOKUPS_COUNTED = "termsgate_terms_lookups_total"


def test_a_segment_change_through_one_replica_is_served_by_both_within_a_second(
    cluster: Cluster, request: pytest.FixtureRequest
) -> None:
    headers = bearer(cluster.admin_key)
    a, b = (loopback(s.base_url) for s in cluster.replicas)
    balanced = loopback(cluster.url)
    with a, b, balanced:
        everywhere = {"replica 0": a, "replica 1": b, "nginx": balanced}
        place(cluster.database_url, "c-coherent", "net_30")
        deadline = within(POSTGRESQL_BOUND)
        for name, client in everywhere.items():
            visible_by(deadline, partial(_placement, client, headers), (30).__eq__, name)

        current = a.get("/v1/segments/net_30", headers=headers)
        assert current.status_code == 200, current.text
        changed = a.put(
            "/v1/segments/net_30",
            headers={**headers, "If-Match": current.headers["ETag"]},
            json=_with_net_days(current.json(), 45),
        )
        assert changed.status_code == 200, changed.text
        written = time.monotonic()
        deadline = within(POSTGRESQL_BOUND)
        assert _placement(a, headers) == 45  # at once on the replica that wrote it
        visible_by(deadline, partial(_placement, b, headers), (45).__eq__, "replica 1")
        _note(request, "visible_on_other_replica_ms", round((time.monotonic() - written) * 1000))
        for _ in range(4):  # whichever replica nginx picks
            visible_by(deadline, partial(_placement, balanced, headers), (45).__eq__, "nginx")


def test_metrics_of_a_replica_add_up_across_its_workers(
    cluster: Cluster, request: pytest.FixtureRequest
) -> None:
    headers = bearer(cluster.admin_key)
    replica = cluster.replicas[0]
    time.sleep(FLUSH_SECONDS + 0.2)  # earlier requests' counts have reached the files by now
    files_before = _counted_per_worker(cluster.metrics_dir(0))
    with loopback(replica.base_url) as client:
        counted_before = _lookups_counted(client)
        answered_by = _lookups_by_worker(replica.base_url, headers)
        made = sum(answered_by.values())
        deadline = within(SETTLE_WITHIN)
        while (counted := _lookups_counted(client) - counted_before) != made:
            assert counted < made, f"{counted} lookups counted, {made} made"
            assert time.monotonic() < deadline, f"{counted} lookups counted, {made} made"
            time.sleep(0.05)

    files_after = _counted_per_worker(cluster.metrics_dir(0))
    per_worker = {pid: files_after[pid] - files_before.get(pid, 0) for pid in files_after}
    assert {pid: n for pid, n in per_worker.items() if n} == answered_by
    _note(request, "lookups_per_worker", answered_by)


def test_killing_a_replica_loses_no_retryable_request_and_no_routed_invoice(
    cluster: Cluster, request: pytest.FixtureRequest
) -> None:
    headers = bearer(cluster.admin_key)
    load = _Load(cluster.url, headers)
    try:
        threads = [threading.Thread(target=load.lookups) for _ in range(2)]
        threads += [threading.Thread(target=load.routes, args=(f"kill-{n}",)) for n in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(KILL_AFTER_SECONDS)
        cluster.kill_replica(1)
        time.sleep(LOAD_SECONDS - KILL_AFTER_SECONDS)
        load.stopping.set()
        for thread in threads:
            thread.join(timeout=3 * HTTP_TIMEOUT_SECONDS)
            assert not thread.is_alive()

        assert load.lookup_answers
        assert set(load.lookup_answers) == {200}, load.lookup_answers
        # At most the lookups in flight on the killed replica (one per lookup thread).
        assert load.lookups_retried_by_client <= 2
        refused = {key: answer for key, answer in load.routed.items() if answer != 201}
        answered_again: dict[str, int] = {}
        with loopback(cluster.url) as client:
            for invoice_id, answer in load.routed.items():
                if answer == 201:
                    stored = client.get(f"/v1/invoice-routes/{invoice_id}", headers=headers)
                    assert stored.status_code == 200, (invoice_id, stored.text)
            for invoice_id in refused:  # what a client does with an error: send it again
                again = client.post(
                    "/v1/invoice-routes", headers=headers, json=_invoice(invoice_id)
                )
                assert again.status_code in (200, 201), (invoice_id, again.text)
                answered_again[invoice_id] = again.status_code
        assert _routes_stored(cluster.database_url, "kill-%") == len(load.routed)
        _note(request, "lookups", len(load.lookup_answers))
        _note(request, "routes", len(load.routed))
        _note(request, "routes_refused", refused)
        _note(request, "routes_sent_again", answered_again)
        _note(request, "nginx_retries", _retried_by_nginx(cluster))
        _note(request, "lookups_retried_by_client", load.lookups_retried_by_client)
    finally:
        load.stopping.set()
        cluster.start_replica(1)  # the topology is whole again for whatever runs next


def _note(request: pytest.FixtureRequest, name: str, figure: object) -> None:
    """A figure of the run, for the JUnit report (`--junitxml`, `-o junit_family=xunit1`)."""
    request.node.user_properties.append((name, figure))


class _Load:
    """Lookups and invoice routes through nginx, in loops, until `stopping` is set."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url = url
        self.headers = headers
        self.stopping = threading.Event()
        self.lookup_answers: list[int | str] = []
        # Lookups cut off mid-answer by the kill: nginx had started passing the dying replica's
        # answer on, so it could not retry them; the client retried them once (idempotent GET).
        self.lookups_retried_by_client = 0
        self.routed: dict[str, int | str] = {}  # invoice id -> status, or the error's type

    def lookups(self) -> None:
        with loopback(self.url) as client:
            while not self.stopping.is_set():
                try:
                    answer: int | str = client.get(
                        LOOKUP.format("c-load"), headers=self.headers
                    ).status_code
                except httpx.TransportError:
                    self.lookups_retried_by_client += 1
                    answer = self._lookup_again(client)
                self.lookup_answers.append(answer)

    def _lookup_again(self, client: httpx.Client) -> int | str:
        try:
            return client.get(LOOKUP.format("c-load"), headers=self.headers).status_code
        except httpx.HTTPError as error:
            return type(error).__name__

    def routes(self, prefix: str) -> None:
        with loopback(self.url) as client:
            number = 0
            while not self.stopping.is_set():
                invoice_id = f"{prefix}-{number}"
                number += 1
                try:
                    answer: int | str = client.post(
                        "/v1/invoice-routes", headers=self.headers, json=_invoice(invoice_id)
                    ).status_code
                except httpx.HTTPError as error:
                    answer = type(error).__name__
                self.routed[invoice_id] = answer


def _invoice(invoice_id: str) -> dict[str, Any]:
    return {
        "invoice_id": invoice_id,
        "customer_id": "c-load",
        "amount": 125_000,
        "currency": "USD",
        "issued_on": "2026-11-02",
    }


def _placement(client: httpx.Client, headers: dict[str, str]) -> int:
    """The net days the lookup of c-coherent answers."""
    answer = client.get(LOOKUP.format("c-coherent"), headers=headers)
    assert answer.status_code == 200, answer.text
    net_days: int = answer.json()["terms"]["net_days"]
    return net_days


def _with_net_days(segment: dict[str, Any], net_days: int) -> dict[str, Any]:
    return {
        "name": segment["name"],
        "terms": {"type": "net", "net_days": net_days},
        "credit_limit": segment["credit_limit"],
        "workflow": segment["workflow"],
        "contact_plan": segment["contact_plan"],
    }


def _lookups_by_worker(base_url: str, headers: dict[str, str]) -> dict[int, int]:
    """At least LOOKUPS lookups, until both workers answered some; how many each pid answered.

    A fresh connection each time (the kernel picks the worker that accepts it); the worker names
    itself in the request id of /healthz/live, then answers the lookup on the same connection.
    """
    answered_by: dict[int, int] = {}
    deadline = within(ANSWERS_WITHIN)
    while sum(answered_by.values()) < LOOKUPS or len(answered_by) < 2:
        assert time.monotonic() < deadline, f"only workers {answered_by} answered"
        with loopback(base_url) as connection:
            live = connection.get("/healthz/live")
            answer = connection.get(LOOKUP.format("c-metrics"), headers=headers)
        assert answer.status_code == 200, answer.text
        pid = int(live.headers["x-request-id"].split("-", 1)[0], 16)
        answered_by[pid] = answered_by.get(pid, 0) + 1
    return answered_by


def _lookups_counted(client: httpx.Client) -> int:
    scraped = client.get("/metrics")
    assert scraped.status_code == 200
    return int(
        sum(
            sample.value
            for family in text_string_to_metric_families(scraped.text)
            for sample in family.samples
            if sample.name == LOOKUPS_COUNTED
        )
    )


def _counted_per_worker(directory: Path) -> dict[int, int]:
    """Lookups counted in each worker's own file (counter_<pid>.db), read as /metrics reads it."""
    counted: dict[int, int] = {}
    for path in directory.glob("counter_*.db"):
        pid = int(path.stem.rsplit("_", 1)[1])
        merged = multiprocess.MultiProcessCollector.merge([str(path)])  # type: ignore[no-untyped-call]
        counted[pid] = int(
            sum(
                sample.value
                for family in merged
                for sample in family.samples
                if sample.name == LOOKUPS_COUNTED
            )
        )
    return counted


def _routes_stored(database_url: str, pattern: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            query = text("SELECT count(*) FROM invoices WHERE invoice_id LIKE :pattern")
            stored: int = connection.execute(query, {"pattern": pattern}).scalar_one()
            return stored
    finally:
        engine.dispose()


def _retried_by_nginx(cluster: Cluster) -> int:
    """Requests nginx sent on to a second replica: two addresses in upstream_addr."""
    assert cluster.balancer is not None
    lines = cluster.balancer.access_log.read_bytes().splitlines()
    return sum(1 for line in lines if ", " in orjson.loads(line)["upstream_addr"])
