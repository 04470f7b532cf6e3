"""The relay against a real receiver: signed, retried, parked, disabled, refused, once each."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.clock import Clock
from app.core.config import Settings
from app.core.models import AuditEvent
from app.core.store import Store
from app.deliveries.relay import Relay
from app.deliveries.signing import verify
from app.workflows.service import new_secret
from tests.support.deliveries import (
    StartRelay,
    emit,
    events,
    hook,
    point_directly,
    wait_for_status,
)
from tests.support.receiver import Receiver


def test_a_delivery_carries_the_stored_body_signed_with_the_secret_the_put_showed(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    secret = hook(client, ops, receiver.url)
    [event_id] = emit(store, clock)
    start_relay()

    rows = wait_for_status(store, [event_id], "delivered")

    [request] = receiver.received()
    assert (request.method, request.path) == ("POST", "/hooks/termsgate")
    assert request.body == rows[event_id].body.encode()
    assert request.headers["content-type"] == "application/json"
    assert request.webhook_id == event_id
    assert request.headers["webhook-signature"].startswith("v1,")
    assert verify(secret, request.headers, request.body)
    assert not verify(new_secret(), request.headers, request.body)
    assert not verify(secret, request.headers, request.body + b" ")
    row = rows[event_id]
    assert (row.attempts, row.last_status, row.last_error) == (1, 200, None)
    assert row.delivered_at is not None


def test_webhook_id_and_body_stay_the_same_across_retries(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    secret = hook(client, ops, receiver.url)
    receiver.fail_next(2, status=503)
    [event_id] = emit(store, clock)
    start_relay()

    row = wait_for_status(store, [event_id], "delivered")[event_id]

    attempts = receiver.received()
    assert [r.status for r in attempts] == [503, 503, 200]
    assert {r.webhook_id for r in attempts} == {event_id}
    assert {r.body for r in attempts} == {row.body.encode()}
    assert all(verify(secret, r.headers, r.body) for r in attempts)
    assert row.attempts == 3


def test_a_receiver_failing_twice_then_recovering_gets_every_event_delivered_once(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    hook(client, ops, receiver.url)
    receiver.fail_next(2)
    event_ids = emit(store, clock, count=30)
    start_relay()

    wait_for_status(store, event_ids, "delivered")

    assert receiver.delivered_counts() == dict.fromkeys(event_ids, 1)
    assert sum(1 for r in receiver.received() if r.status == 500) == 2


def test_a_410_disables_the_webhook_and_parks_the_event_dead_until_the_url_is_set_again(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    hook(client, ops, receiver.url)
    receiver.answer(410)
    [gone] = emit(store, clock)
    start_relay()

    row = wait_for_status(store, [gone], "dead")[gone]
    assert (row.attempts, row.last_status) == (1, 410)
    assert row.last_error is not None
    assert "410" in row.last_error
    workflow = client.get("/v1/workflows/net_30", headers=ops)
    assert workflow.json()["webhook_disabled_at"] is not None
    with store.reading() as session:
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "workflow.webhook_disabled")
        ).one()
        assert (audited.actor, audited.entity_id) == ("relay", "net_30")

    [held] = emit(store, clock)  # written while disabled: parked without a request
    held_row = wait_for_status(store, [held], "dead")[held]
    assert held_row.last_error is not None
    assert "disabled" in held_row.last_error
    assert len(receiver.received()) == 1
    retried = client.post(f"/v1/deliveries/{held}/retry", headers=ops)
    assert retried.status_code == 409

    put = client.put(
        "/v1/workflows/net_30",
        json={"name": "Net 30", "webhook_url": receiver.url},
        headers={**ops, "If-Match": workflow.headers["etag"]},
    )
    assert put.status_code == 200
    assert put.json()["webhook_disabled_at"] is None
    for event_id in (gone, held):
        assert client.post(f"/v1/deliveries/{event_id}/retry", headers=ops).status_code == 200
    wait_for_status(store, [gone, held], "delivered")
    assert receiver.delivered_counts() == {gone: 1, held: 1}


def test_after_the_last_attempt_the_event_is_dead_listed_and_a_retry_delivers_it(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    hook(client, ops, receiver.url)
    receiver.fail_next(4, status=500)  # every one of the four attempts
    [event_id] = emit(store, clock)
    start_relay()

    row = wait_for_status(store, [event_id], "dead")[event_id]
    assert (row.attempts, row.last_status) == (4, 500)
    assert row.last_error == "gave up after 4 attempts: HTTP 500"
    dead = client.get("/v1/deliveries", params={"status": "dead"}, headers=ops).json()
    assert [item["id"] for item in dead["items"]] == [event_id]
    assert dead["items"][0]["next_attempt_at"] is None

    retried = client.post(
        f"/v1/deliveries/{event_id}/retry", headers={**ops, "X-Audit-Reason": "receiver fixed"}
    )
    assert retried.status_code == 200
    assert (retried.json()["status"], retried.json()["attempts"]) == ("pending", 0)
    row = wait_for_status(store, [event_id], "delivered")[event_id]
    assert row.attempts == 1
    assert receiver.delivered_counts() == {event_id: 1}
    again = client.post(f"/v1/deliveries/{event_id}/retry", headers=ops)
    assert again.status_code == 409
    with store.reading() as session:
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "delivery.retried")
        ).one()
        assert (audited.entity_id, audited.reason) == (event_id, "receiver fixed")


def test_a_retry_after_lengthens_the_wait(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    hook(client, ops, receiver.url)
    receiver.fail_next(1, status=429, retry_after="1")
    [event_id] = emit(store, clock)
    start_relay(webhook_retry_schedule=[0.05, 3.0])

    wait_for_status(store, [event_id], "delivered")

    first, second = receiver.received()
    assert first.status == 429
    assert second.at - first.at >= 0.9  # asked for 1 s; the schedule alone says 0.05 s


def test_redirects_are_not_followed(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    hook(client, ops, receiver.url)
    elsewhere = f"http://127.0.0.1:{receiver.port}/elsewhere"
    receiver.redirect_next(None, elsewhere)
    [event_id] = emit(store, clock)
    start_relay()

    row = wait_for_status(store, [event_id], "dead")[event_id]

    assert row.last_status == 302
    assert row.last_error is not None
    assert "redirects are not followed" in row.last_error
    assert {r.path for r in receiver.received()} == {"/hooks/termsgate"}
    assert len(receiver.received()) == 4


def test_a_slow_receiver_times_out_and_the_event_is_tried_again(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    hook(client, ops, receiver.url)
    receiver.delay_seconds = 0.6
    [event_id] = emit(store, clock)
    start_relay(webhook_timeout_seconds=0.2, webhook_retry_schedule=[0.05, 0.1, 0.2, 0.4, 0.8])

    receiver.wait_for(lambda seen: len(seen) >= 1, what="a first attempt")
    receiver.delay_seconds = 0.0
    row = wait_for_status(store, [event_id], "delivered")[event_id]
    assert row.attempts >= 2


@pytest.mark.parametrize("url_of", ["http://127.0.0.1:{port}/hooks", "https://localhost:{port}/"])
def test_a_private_target_is_refused_at_delivery_when_private_targets_are_not_allowed(
    url_of: str,
    store: Store,
    clock: Clock,
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    point_directly(store, url_of.format(port=receiver.port), new_secret())
    [event_id] = emit(store, clock)
    start_relay(webhook_allow_private=False)

    row = wait_for_status(store, [event_id], "dead")[event_id]

    assert row.attempts == 1
    assert row.last_error is not None
    assert row.last_error.startswith("refused: ")
    assert receiver.received() == []


def test_an_event_for_a_workflow_without_a_webhook_is_parked_dead(
    store: Store, clock: Clock, start_relay: StartRelay
) -> None:
    [event_id] = emit(store, clock, workflow="net_15")
    [orphan] = emit(store, clock, workflow="no_such_workflow")
    start_relay()

    rows = wait_for_status(store, [event_id, orphan], "dead")

    assert rows[event_id].last_error == "workflow 'net_15' has no webhook_url"
    assert rows[orphan].last_error == "workflow 'no_such_workflow' does not exist"


def test_two_relays_at_once_deliver_each_of_200_events_exactly_once(
    client: TestClient,
    store: Store,
    settings: Settings,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    hook(client, ops, receiver.url)
    event_ids = emit(store, clock, count=200)
    other_store = Store(settings)
    relays: list[Relay] = []
    try:
        relays = [start_relay(), start_relay(on=other_store)]
        wait_for_status(store, event_ids, "delivered", timeout=30)
    finally:
        for relay in relays:
            relay.stop()
        other_store.dispose()

    counts = receiver.delivered_counts()
    assert set(counts) == set(event_ids)
    assert [event_id for event_id, count in counts.items() if count != 1] == []
    assert all(row.attempts == 1 for row in events(store).values())
    assert all(relay.recorded["delivered"] > 0 for relay in relays)  # both took part
