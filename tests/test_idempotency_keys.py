"""Idempotency-Key on the POSTs that have no natural key: a retry answers the first response
again and does nothing more; another request under the same key is a 409."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.core import idempotency
from app.core.clock import Clock
from app.core.config import Settings
from app.core.models import IdempotentRequest, SegmentationRun, TermException
from app.core.store import Store
from tests.support.invoices import set_webhook
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem
from tests.support.term_exceptions import asking

EXCEPTIONS = "/v1/term-exceptions"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Webhooks may point at loopback here (a rotation needs one); nothing leaves the machine."""
    return settings.model_copy(update={"webhook_allow_private": True})


def keyed(key: str, headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


def count(store: Store, model: Any) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_retried_request_answers_the_first_response_and_acts_once(
    client: TestClient, store: Store, make_key: KeyMaker
) -> None:
    sales = make_key("exceptions:request", name="sales")
    first = client.post(EXCEPTIONS, json=asking(), headers=keyed("k-1", sales))
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    again = client.post(EXCEPTIONS, json=asking(), headers=keyed("k-1", sales))
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert count(store, TermException) == 1

    other = client.post(EXCEPTIONS, json=asking(reason="another"), headers=keyed("k-1", sales))
    body = assert_problem(other, 409, "conflict")
    assert "Idempotency-Key 'k-1'" in body["detail"]
    # Without a key, or with a new one, a request acts as before.
    assert client.post(EXCEPTIONS, json=asking(), headers=sales).status_code == 201
    assert client.post(EXCEPTIONS, json=asking(), headers=keyed("k-2", sales)).status_code == 201
    assert count(store, TermException) == 3


def test_keys_belong_to_their_caller(client: TestClient, store: Store, make_key: KeyMaker) -> None:
    one = make_key("exceptions:request", name="sales-1")
    two = make_key("exceptions:request", name="sales-2")
    assert client.post(EXCEPTIONS, json=asking(), headers=keyed("same", one)).status_code == 201
    assert client.post(EXCEPTIONS, json=asking(), headers=keyed("same", two)).status_code == 201
    assert count(store, TermException) == 2


def test_a_decision_retried_with_its_key_is_a_replay_not_a_409(
    client: TestClient, store: Store, make_key: KeyMaker
) -> None:
    sales = make_key("exceptions:request", name="sales", owner="sam")
    finance = make_key("exceptions:approve", name="finance", owner="fay")
    created = client.post(EXCEPTIONS, json=asking(), headers=sales).json()
    path = f"{EXCEPTIONS}/{created['id']}/approve"
    first = client.post(path, json={"note": "ok"}, headers=keyed("a-1", finance))
    assert first.status_code == 200, first.text
    again = client.post(path, json={"note": "ok"}, headers=keyed("a-1", finance))
    assert (again.status_code, again.headers["idempotent-replayed"]) == (200, "true")
    assert again.json() == first.json()
    # The same decision without the key is the transition refused, as before.
    assert_problem(client.post(path, json={"note": "ok"}, headers=finance), 409, "conflict")


def test_a_rotation_retried_rotates_once_and_shows_the_same_secret(
    client: TestClient, make_key: KeyMaker
) -> None:
    ops = make_key("segments:write", name="ops")
    set_webhook(client, ops, "net_30")
    etag = client.get("/v1/workflows/net_30", headers=ops).headers["etag"]
    headers = keyed("rot-1", {**ops, "If-Match": etag})
    first = client.post("/v1/workflows/net_30/rotate-secret", headers=headers)
    assert first.status_code == 200, first.text
    again = client.post("/v1/workflows/net_30/rotate-secret", headers=headers)
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["secret"] == first.json()["secret"]
    assert again.headers["etag"] == first.headers["etag"]
    revision = client.get("/v1/workflows/net_30", headers=ops).json()["revision"]
    assert revision == first.json()["revision"]


def test_a_segmentation_run_retried_runs_once(
    client: TestClient, store: Store, make_key: KeyMaker
) -> None:
    ops = make_key("segments:write", name="ops")
    first = client.post("/v1/segmentation-runs", json={}, headers=keyed("run-1", ops))
    assert first.status_code == 201, first.text
    again = client.post("/v1/segmentation-runs", json={}, headers=keyed("run-1", ops))
    assert (again.status_code, again.headers["idempotent-replayed"]) == (201, "true")
    assert again.json()["id"] == first.json()["id"]
    assert count(store, SegmentationRun) == 1
    other = client.post(
        "/v1/segmentation-runs", json={"dry_run": False}, headers=keyed("run-1", ops)
    )
    assert_problem(other, 409, "conflict")


def test_a_key_must_be_1_to_255_printable_characters(
    client: TestClient, store: Store, make_key: KeyMaker
) -> None:
    sales = make_key("exceptions:request", name="sales")
    for bad in ("x" * 256, "tab\there", ""):
        answer = client.post(EXCEPTIONS, json=asking(), headers=keyed(bad, sales))
        assert_problem(answer, 422, "invalid")
    assert count(store, TermException) == 0


def test_kept_answers_are_forgotten_after_24_hours(
    client: TestClient, store: Store, make_key: KeyMaker
) -> None:
    sales = make_key("exceptions:request", name="sales")
    assert client.post(EXCEPTIONS, json=asking(), headers=keyed("k-1", sales)).status_code == 201
    assert idempotency.prune(store, Clock(shift=timedelta(hours=23))) == 0
    assert idempotency.prune(store, Clock(shift=timedelta(hours=24, seconds=1))) == 1
    assert count(store, IdempotentRequest) == 0
