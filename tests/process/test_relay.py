"""`termsgate relay` and the relay inside `termsgate serve`, as real processes on PostgreSQL.

A relay SIGKILLed in the middle of 1,000 deliveries and started again loses none of them: the
events it had claimed come due again when their lease runs out. Some arrive twice (at least
once is the promise); the test prints how many.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.deliveries.signing import verify
from tests.support.harness import visible_by, within
from tests.support.launch import Launch
from tests.support.postgres import free_port
from tests.support.receiver import Receiver
from tests.support.relay import RELAY_ENV, RelayProcess, point_at, statuses, write_events
from tests.support.server import TLS

pytestmark = pytest.mark.process

EVENTS = 1000
KILL_AFTER = 300  # deliveries seen before the first relay is killed
DELIVERED_WITHIN = 60.0


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2, verify=TLS).text
    except httpx.HTTPError:
        return {}
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_a_relay_killed_mid_delivery_and_restarted_loses_no_event(
    pg_database: str, tmp_path: Path
) -> None:
    with Receiver(delay_seconds=0.02) as receiver:
        secret = point_at(pg_database, receiver.url)
        event_ids = write_events(pg_database, EVENTS)
        log_path = tmp_path / "relay.log"

        with RelayProcess(pg_database, log_path) as first:
            receiver.wait_for(lambda seen: len(seen) >= KILL_AFTER, DELIVERED_WITHIN, "deliveries")
            first.signal(signal.SIGKILL)
            first.process.wait(timeout=15)
        before_restart = {r.webhook_id for r in receiver.received()}
        assert len(before_restart) < EVENTS, "killed too late to be mid-delivery"

        port = free_port()
        with RelayProcess(pg_database, log_path, "--metrics-port", str(port)) as second:
            receiver.wait_for(
                lambda seen: len({r.webhook_id for r in seen}) >= EVENTS,
                DELIVERED_WITHIN,
                "every event",
            )
            visible_by(
                within(10),
                lambda: statuses(pg_database),
                lambda found: found == {"delivered": EVENTS},
                "every event recorded delivered",
            )
            metrics = visible_by(
                within(10),
                lambda: scrape(port),
                lambda found: found.get(("termsgate_outbox_pending", ())) == 0,
                "the pending gauge at 0",
            )
            assert metrics[("termsgate_webhook_deliveries_total", (("result", "delivered"),))] > 0
            second.signal(signal.SIGTERM)
            assert second.process.wait(timeout=15) == 0, log_path.read_text()[-3000:]

    received = receiver.received()
    counts = Counter(r.webhook_id for r in received)
    assert set(counts) == set(event_ids)  # all 1,000, and nothing else: 0 lost
    duplicates = sum(count - 1 for count in counts.values())
    print(  # noqa: T201 - the figure this test exists to show
        f"\nrelay SIGKILLed after {len(before_restart)} of {EVENTS} events, restarted: "
        f"{len(counts)} distinct delivered, 0 lost, {duplicates} delivered twice or more"
    )
    assert all(verify(secret, r.headers, r.body) for r in received)
    assert all(r.status == 200 for r in received)
    logged = log_path.read_text()
    assert logged.count('"msg":"delivery delivered"') >= EVENTS - len(before_restart)
    for private in (secret.removeprefix("whsec_"), '"invoice_id"', receiver.path):
        assert private not in logged  # no secret, no body, no URL (it may carry a token)


def test_serve_runs_the_relay_in_every_worker_unless_told_not_to(
    pg_database: str, launch: Launch, tmp_path: Path
) -> None:
    with Receiver() as receiver:
        point_at(pg_database, receiver.url)
        event_ids = write_events(pg_database, 100)
        quiet = launch(pg_database, "--no-relay", env=RELAY_ENV)
        assert "relay started" not in quiet.log_path.read_text()
        quiet.stop()
        assert receiver.received() == []

        server = launch(pg_database, "--no-migrate", workers=2, env=RELAY_ENV)
        receiver.wait_for(
            lambda seen: len({r.webhook_id for r in seen}) >= len(event_ids),
            DELIVERED_WITHIN,
            "every event",
        )
        visible_by(
            within(10),
            lambda: statuses(pg_database),
            lambda found: found == {"delivered": len(event_ids)},
            "every event recorded delivered",
        )
        assert server.log_path.read_text().count("relay started") == 2
    assert receiver.delivered_counts() == dict.fromkeys(event_ids, 1)


def test_the_relay_stops_cleanly_on_sigterm_when_idle(pg_database: str, tmp_path: Path) -> None:
    log_path = tmp_path / "relay.log"
    with RelayProcess(pg_database, log_path) as relay:
        deadline = time.monotonic() + 30
        while "relay started" not in log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        relay.signal(signal.SIGTERM)
        assert relay.process.wait(timeout=15) == 0
    assert "relay stopped" in log_path.read_text()
