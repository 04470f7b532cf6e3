"""POST /v1/workflows/{key}/rotate-secret: a new secret, and the old one during the grace."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.clock import Clock
from app.core.models import AuditEvent
from app.core.store import Store
from app.deliveries.signing import verify
from tests.support.deliveries import StartRelay, emit, hook, wait_for_status
from tests.support.problems import assert_problem
from tests.support.receiver import Receiver


def rotate(client: TestClient, ops: dict[str, str], key: str = "net_30") -> str:
    answer = client.post(f"/v1/workflows/{key}/rotate-secret", headers=ops)
    assert answer.status_code == 200, answer.text
    assert answer.headers["etag"] == f'"{answer.json()["revision"]}"'
    secret: str = answer.json()["secret"]
    return secret


def test_during_the_grace_both_secrets_sign(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    old = hook(client, ops, receiver.url)
    new = rotate(client, ops)
    assert new.startswith("whsec_")
    assert new != old
    [event_id] = emit(store, clock)
    start_relay()

    wait_for_status(store, [event_id], "delivered")

    [request] = receiver.received()
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert verify(new, request.headers, request.body)
    assert verify(old, request.headers, request.body)
    workflow = client.get("/v1/workflows/net_30", headers=ops).json()
    assert workflow["secret"] is None
    assert workflow["previous_secret_expires_at"] is not None


@pytest.mark.parametrize("grace_hours", [0.0])
def test_after_the_grace_only_the_new_secret_signs(
    client: TestClient,
    store: Store,
    clock: Clock,
    ops: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    old = hook(client, ops, receiver.url)
    new = rotate(client, ops)
    [event_id] = emit(store, clock)
    start_relay()

    wait_for_status(store, [event_id], "delivered")

    [request] = receiver.received()
    assert len(request.headers["webhook-signature"].split(" ")) == 1
    assert verify(new, request.headers, request.body)
    assert not verify(old, request.headers, request.body)


def test_a_rotation_is_audited_without_the_secret(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    old = hook(client, ops, "https://hooks.example.com/termsgate")
    new = rotate(client, ops)
    with store.reading() as session:
        row = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "workflow.secret_rotated")
        ).one()
        assert (row.actor, row.entity_id) == ("ops", "net_30")
        assert "whsec_" not in str(row.before) + str(row.after)
        assert old not in str(row.after)
        assert new not in str(row.after)


def test_rotate_refuses_what_it_cannot_do(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    no_hook = client.post("/v1/workflows/net_30/rotate-secret", headers=ops)
    assert_problem(no_hook, 409, "conflict")
    unknown = client.post("/v1/workflows/nope/rotate-secret", headers=ops)
    assert_problem(unknown, 404, "not-found")
    hook(client, ops, "https://hooks.example.com/termsgate")
    stale = client.post("/v1/workflows/net_30/rotate-secret", headers={**ops, "If-Match": '"1"'})
    assert_problem(stale, 412, "precondition-failed")
    not_ops = client.post("/v1/workflows/net_30/rotate-secret", headers=reader)
    assert_problem(not_ops, 403, "forbidden")
    current = client.get("/v1/workflows/net_30", headers=ops).headers["etag"]
    matched = client.post(
        "/v1/workflows/net_30/rotate-secret", headers={**ops, "If-Match": current}
    )
    assert matched.status_code == 200


def test_setting_a_new_url_drops_the_previous_secret(
    client: TestClient, ops: dict[str, str]
) -> None:
    hook(client, ops, "https://hooks.example.com/termsgate")
    rotate(client, ops)
    hook(client, ops, "https://hooks.example.org/v2")
    workflow = client.get("/v1/workflows/net_30", headers=ops).json()
    assert workflow["previous_secret_expires_at"] is None
