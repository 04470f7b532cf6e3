"""Events to finance_approvals, the sweep that escalates and announces lapses, and the gauge."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import orjson
import pytest
from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from app.deliveries.relay import Relay
from app.deliveries.signing import verify
from app.term_exceptions.escalation import Swept, sweep
from tests.support.audit import audit_trail
from tests.support.deliveries import wait_for_status
from tests.support.invoices import loopback_hook, store_version
from tests.support.metrics import samples
from tests.support.receiver import Receiver
from tests.support.term_exceptions import (
    decide,
    finance_events,
    hook_finance,
    request_exception,
)

PENDING_GAUGE = ("termsgate_term_exceptions_pending", ())


@pytest.fixture
def relays() -> Iterator[list[Relay]]:
    """Relays the test starts, each stopped at the end."""
    started: list[Relay] = []
    yield started
    for relay in started:
        relay.stop(timeout=10)


def test_every_decision_is_queued_for_finance_with_the_exception_as_data(
    client: TestClient,
    store: Store,
    ops: dict[str, str],
    sales: dict[str, str],
    finance: dict[str, str],
) -> None:
    hook_finance(client, ops, loopback_hook())
    first = request_exception(client, sales, "net_30", customer_id="c-1")
    approved = decide(client, finance, first["id"], note="fine")
    second = request_exception(client, sales, "net_15", customer_id="c-2")
    rejected = decide(client, finance, second["id"], "reject")

    queued = finance_events(store)

    assert [(event["type"], event["data"]) for event in queued] == [
        ("term_exception.requested", first),
        ("term_exception.approved", approved),
        ("term_exception.requested", second),
        ("term_exception.rejected", rejected),
    ]
    assert all(event["id"].startswith("evt_") and event["created_at"] for event in queued)


def test_without_a_finance_webhook_nothing_is_queued(
    client: TestClient, store: Store, sales: dict[str, str], finance: dict[str, str]
) -> None:
    decide(client, finance, request_exception(client, sales, "net_30")["id"])
    assert finance_events(store) == []


def test_the_sweep_escalates_a_request_pending_too_long_once(
    client: TestClient,
    store: Store,
    settings: Settings,
    clock: Clock,
    ops: dict[str, str],
    sales: dict[str, str],
    finance: dict[str, str],
) -> None:
    hook_finance(client, ops, loopback_hook())
    waiting = request_exception(client, sales, "net_30", customer_id="c-1")
    decided = request_exception(client, sales, "net_30", customer_id="c-2")
    decide(client, finance, decided["id"], "reject")
    assert sweep(store, settings, clock) == Swept(escalated=0, announced=0, pending=1)

    clock.shift = timedelta(hours=23, minutes=59)
    assert sweep(store, settings, clock).escalated == 0
    clock.shift = timedelta(hours=24, minutes=1)
    assert sweep(store, settings, clock) == Swept(escalated=1, announced=0, pending=1)
    assert sweep(store, settings, clock).escalated == 0

    escalated = [e for e in finance_events(store) if e["type"] == "term_exception.escalated"]
    assert [event["data"] for event in escalated] == [waiting]
    assert audit_trail(store, "term_exception")[-1] == (
        "sweep",
        "term_exception.escalated",
        waiting["id"],
        "pending for more than 24 hours",
    )
    shown = client.get(f"/v1/term-exceptions/{waiting['id']}", headers=finance).json()
    assert shown["status"] == "pending"


def test_the_escalation_age_is_a_setting(
    client: TestClient, store: Store, settings: Settings, clock: Clock, sales: dict[str, str]
) -> None:
    request_exception(client, sales, "net_30")
    hourly = settings.model_copy(update={"exception_escalate_after_hours": 1.0})
    assert sweep(store, hourly, clock).escalated == 0
    clock.shift = timedelta(minutes=61)
    assert sweep(store, settings, clock).escalated == 0
    assert sweep(store, hourly, clock).escalated == 1
    assert [row[1] for row in audit_trail(store, "term_exception")][-1] == (
        "term_exception.escalated"
    )


def test_the_sweep_announces_a_lapsed_exception_once(
    client: TestClient,
    store: Store,
    settings: Settings,
    clock: Clock,
    ops: dict[str, str],
    sales: dict[str, str],
    finance: dict[str, str],
) -> None:
    hook_finance(client, ops, loopback_hook())
    today = clock.today().isoformat()
    lapsing = request_exception(client, sales, "net_30", expires_on=today)
    decide(client, finance, lapsing["id"])
    assert sweep(store, settings, clock).announced == 0

    clock.shift = timedelta(days=1)
    assert sweep(store, settings, clock) == Swept(escalated=0, announced=1, pending=0)
    assert sweep(store, settings, clock).announced == 0

    [expired] = [e for e in finance_events(store) if e["type"] == "term_exception.expired"]
    assert expired["data"]["id"] == lapsing["id"]
    assert expired["data"]["status"] == "expired"
    assert audit_trail(store, "term_exception")[-1][:3] == (
        "sweep",
        "term_exception.expired",
        lapsing["id"],
    )


def test_a_replaced_exception_is_announced_expired_at_approval_not_again_by_the_sweep(
    client: TestClient,
    store: Store,
    settings: Settings,
    clock: Clock,
    ops: dict[str, str],
    sales: dict[str, str],
    finance: dict[str, str],
) -> None:
    hook_finance(client, ops, loopback_hook())
    first = decide(client, finance, request_exception(client, sales, "net_15")["id"])
    decide(client, finance, request_exception(client, sales, "net_30")["id"])
    clock.shift = timedelta(days=400)
    sweep(store, settings, clock)
    expired = [e["data"]["id"] for e in finance_events(store) if e["type"].endswith(".expired")]
    assert expired == [first["id"]]


def test_a_sweep_with_nothing_to_write_opens_no_writing_transaction(
    client: TestClient, store: Store, settings: Settings, clock: Clock, sales: dict[str, str]
) -> None:
    request_exception(client, sales, "net_30")
    version = store_version(store)
    for _ in range(3):
        assert sweep(store, settings, clock) == Swept(escalated=0, announced=0, pending=1)
    assert store_version(store) == version


def test_sweeps_at_once_escalate_each_request_once(
    client: TestClient, store: Store, settings: Settings, clock: Clock, sales: dict[str, str]
) -> None:
    for n in range(3):
        request_exception(client, sales, "net_30", customer_id=f"c-{n}")
    clock.shift = timedelta(hours=25)
    results: list[Swept] = []
    start = threading.Barrier(3)

    def sweep_now() -> None:
        start.wait(5)
        results.append(sweep(store, settings, clock))

    threads = [threading.Thread(target=sweep_now) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sum(result.escalated for result in results) == 3
    escalations = [r for r in audit_trail(store, "term_exception") if r[1].endswith("escalated")]
    assert len(escalations) == 3


def test_the_pending_gauge_counts_requests_awaiting_a_decision(
    client: TestClient,
    store: Store,
    settings: Settings,
    clock: Clock,
    sales: dict[str, str],
    finance: dict[str, str],
) -> None:
    today = clock.today().isoformat()
    request_exception(client, sales, "net_30", customer_id="c-1")
    request_exception(client, sales, "net_30", customer_id="c-2", expires_on=today)
    decide(client, finance, request_exception(client, sales, "net_15", customer_id="c-3")["id"])
    sweep(store, settings, clock)
    assert samples(client)[PENDING_GAUGE] == 2

    clock.shift = timedelta(days=1)  # the second one lapsed unanswered
    sweep(store, settings, clock)
    assert samples(client)[PENDING_GAUGE] == 1


def test_a_relay_sweeps_and_delivers_every_exception_event_to_finance_signed(
    client: TestClient,
    store: Store,
    settings: Settings,
    clock: Clock,
    ops: dict[str, str],
    sales: dict[str, str],
    finance: dict[str, str],
    receiver: Receiver,
    relays: list[Relay],
) -> None:
    secret = hook_finance(client, ops, receiver.url)
    today = clock.today().isoformat()
    lapsing = request_exception(client, sales, "net_30", customer_id="c-1", expires_on=today)
    decide(client, finance, lapsing["id"])
    waiting = request_exception(client, sales, "net_30", customer_id="c-2")
    rejected = request_exception(client, sales, "net_15", customer_id="c-3")
    decide(client, finance, rejected["id"], "reject")
    relay = Relay(store, settings, clock, chores=[sweep], chore_seconds=0.05)
    relays.append(relay)
    relay.start()

    def kinds() -> Counter[tuple[str, str]]:
        found: Counter[tuple[str, str]] = Counter()
        for request in receiver.received():
            event = orjson.loads(request.body)
            found[event["type"], event["data"]["id"]] += 1
        return found

    receiver.wait_for(lambda _: sum(kinds().values()) == 5, what="five events")
    # Recorded as delivered before the clock jumps a day: an unrecorded claim's lease would
    # look long expired, and the relay would rightly send it again (at least once).
    wait_for_status(store, [event["id"] for event in finance_events(store)], "delivered")
    clock.shift = timedelta(days=1, hours=1)
    receiver.wait_for(lambda _: sum(kinds().values()) == 7, what="escalated and expired")

    assert kinds() == {
        ("term_exception.requested", lapsing["id"]): 1,
        ("term_exception.approved", lapsing["id"]): 1,
        ("term_exception.requested", waiting["id"]): 1,
        ("term_exception.requested", rejected["id"]): 1,
        ("term_exception.rejected", rejected["id"]): 1,
        ("term_exception.escalated", waiting["id"]): 1,
        ("term_exception.expired", lapsing["id"]): 1,
    }
    signed_within = 2 * 86400  # the relay stamps with the test's clock, a day ahead by now
    assert all(verify(secret, r.headers, r.body, signed_within) for r in receiver.received())
    assert sweep(store, settings, clock)[:2] == (0, 0)  # nothing left to send
