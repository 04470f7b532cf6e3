"""One bad event, or a 410 from a receiver since replaced, never harms the others."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.models import Workflow
from app.core.store import Store
from app.deliveries import sender
from app.deliveries.outcomes import Claim, Outcome
from app.workflows.service import disable_webhook, new_secret
from tests.support.deliveries import StartRelay, emit, hook, point_directly, wait_for_status
from tests.support.receiver import Receiver


def test_an_event_that_breaks_its_attempt_is_parked_and_the_others_are_delivered(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hook(client, ops, receiver.url)
    cursed, *fine = emit(store, clock, count=5)
    attempt = sender.attempt

    def breaking(client: httpx.Client, claim: Claim, allow_private: bool, c: Clock) -> Outcome:
        if claim.event_id == cursed:
            raise RuntimeError("a bug")
        return attempt(client, claim, allow_private, c)

    monkeypatch.setattr(sender, "attempt", breaking)
    start_relay()

    wait_for_status(store, fine, "delivered")
    rows = wait_for_status(store, [cursed], "dead")
    assert rows[cursed].last_error == "gave up after 4 attempts: internal error (RuntimeError)"
    assert receiver.delivered_counts() == dict.fromkeys(fine, 1)


def test_an_unreadable_webhook_url_is_parked_dead_without_a_request(
    store: Store, clock: Clock, start_relay: StartRelay
) -> None:
    point_directly(store, "http://[::1/hooks", new_secret())
    [event_id] = emit(store, clock)
    start_relay()

    row = wait_for_status(store, [event_id], "dead")[event_id]

    assert (row.attempts, row.last_error) == (1, "refused: webhook_url is not a valid URL")


def test_a_410_does_not_disable_a_webhook_moved_since(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str], receiver: Receiver
) -> None:
    hook(client, ops, receiver.url)
    with store.writing() as session:
        assert not disable_webhook(
            session, "net_30", url="https://old.example.com/", now=clock.now()
        )
    with store.reading() as session:
        workflow = session.get(Workflow, "net_30")
        assert workflow is not None
        assert workflow.webhook_disabled_at is None
