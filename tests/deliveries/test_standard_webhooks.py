"""A receiver verifying with the `standardwebhooks` package (what the docs point receivers to)
accepts termsgate's real deliveries: with the secret the workflow answered, and with either of
two secrets during a rotation's grace; never with another secret or another body."""

from __future__ import annotations

import base64
import os

import orjson
import pytest
from fastapi.testclient import TestClient
from standardwebhooks import Webhook, WebhookVerificationError

from app.core.clock import Clock
from app.core.store import Store
from tests.support.deliveries import StartRelay, emit, hook, wait_for_status
from tests.support.receiver import Receiver


def stranger_secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(24)).decode()


def test_standardwebhooks_verifies_a_delivery_with_the_workflow_secret(
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

    wait_for_status(store, [event_id], "delivered")

    [request] = receiver.received()
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload == orjson.loads(request.body)
    assert payload["type"] == "invoice.routed"
    with pytest.raises(WebhookVerificationError):
        Webhook(stranger_secret()).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(request.body + b" ", request.headers)


def test_standardwebhooks_verifies_with_either_secret_during_a_rotation(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    old = hook(client, ops, receiver.url)
    rotated = client.post("/v1/workflows/net_30/rotate-secret", headers=ops)
    assert rotated.status_code == 200, rotated.text
    new: str = rotated.json()["secret"]
    [event_id] = emit(store, clock)
    start_relay()

    wait_for_status(store, [event_id], "delivered")

    [request] = receiver.received()
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    for secret in (new, old):
        assert Webhook(secret).verify(request.body, request.headers, json_parse=False) is None
    with pytest.raises(WebhookVerificationError):
        Webhook(stranger_secret()).verify(request.body, request.headers)
