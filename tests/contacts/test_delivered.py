"""The contact loop's events reach a real receiver on 127.0.0.1, signed like every event."""

from __future__ import annotations

from datetime import timedelta

import orjson
from fastapi.testclient import TestClient
from sqlalchemy import update

from app.contacts import service as contacts
from app.core.clock import Clock
from app.core.config import Settings
from app.core.models import OutboxEvent
from app.core.store import Store
from app.deliveries.relay import Relay
from app.deliveries.signing import verify
from tests.support.contacts import routed, touch, watch_segment
from tests.support.days import today
from tests.support.deliveries import hook, wait_for_status
from tests.support.invoices import events
from tests.support.receiver import Receiver


def test_resend_dispute_and_broken_promise_events_are_delivered_signed(
    client: TestClient,
    store: Store,
    settings: Settings,
    ops: dict[str, str],
    billing: dict[str, str],
    collector: dict[str, str],
) -> None:
    watch_segment(client, ops)
    with Receiver() as receiver:
        secret = hook(client, ops, receiver.url)
        routed(client, store, billing, "inv-1")
        routed(client, store, billing, "inv-2")
        pay_on = today().isoformat()
        sent = [
            touch("t-1", outcome="invoice_not_received"),
            touch("t-2", outcome="dispute", dispute={"reason": "not_received"}),
            touch(
                "t-3",
                invoice_id="inv-2",
                outcome="promise_to_pay",
                promise={"amount": 1_000, "currency": "USD", "pay_on": pay_on},
            ),
        ]
        for body in sent:
            assert client.post("/v1/touches", json=body, headers=collector).status_code == 201
        later = Clock(shift=timedelta(days=settings.promise_grace_days + 1))
        assert contacts.sweep(store, settings, later).broken == 1
        with store.writing() as session:  # the sweep's clock ran ahead: send its event now
            session.execute(update(OutboxEvent).values(next_attempt_at=Clock().now()))
        fast = settings.model_copy(update={"relay_idle_poll_seconds": 0.02})
        relay = Relay(store, fast, Clock())
        relay.start()
        try:
            wait_for_status(store, [e["event_id"] for e in events(store)], "delivered")
        finally:
            relay.stop(timeout=10)
        received = receiver.received()
    by_type = {orjson.loads(r.body)["type"]: r for r in received}
    assert sorted(by_type) == [
        "dispute.opened",
        "invoice.resend_requested",
        "invoice.routed",
        "promise.broken",
    ]
    assert len(received) == 5  # two routes
    for request in received:
        assert verify(secret, request.headers, request.body)
    resend = orjson.loads(by_type["invoice.resend_requested"].body)["data"]
    assert (resend["invoice_id"], resend["touch_id"]) == ("inv-1", "t-1")
    broken = orjson.loads(by_type["promise.broken"].body)["data"]
    assert (broken["invoice_id"], broken["status"]) == ("inv-2", "broken")
