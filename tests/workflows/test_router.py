"""/v1/workflows: where invoices go, and the signing secret shown once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.config import Settings
from app.core.models import AuditEvent
from app.core.store import Store
from app.main import create_app
from tests.support.audit import audit_trail
from tests.support.parts import served, store_of
from tests.support.problems import assert_problem, error_locs

HOOK = "https://hooks.example.com/termsgate"
LOCAL_OR_PLAIN = {
    "http://hooks.example.com/termsgate",
    "https://127.0.0.1/x",
    "https://localhost/x",
}
REFUSED_BY_DEFAULT = [
    "http://hooks.example.com/termsgate",
    "https://127.0.0.1/x",
    "https://localhost/x",
    "https://[::1]/",
    "https://10.0.0.5/",
    "https://192.168.1.1/",
    "https://169.254.169.254/",
    "https://localhost./x",
    "https://127.1/",
    "https://2130706433/",
    "https://0x7f000001/",
    "https://user:pass@hooks.example.com/x",
    "ftp://hooks.example.com/x",
    "not a url",
    "https://hooks.example.com/a\x00b",  # PostgreSQL refuses a NUL in text
    "https://hooks.exa\x00mple.com/",
    "https://hooks.example.com/a\nb",
]


def collections(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Collections agency", "webhook_url": HOOK}
    body.update(changes)
    return body


def test_fresh_store_has_one_workflow_per_default_segment_and_finance_approvals(
    client: TestClient, reader: dict[str, str]
) -> None:
    answer = client.get("/v1/workflows", headers=reader)
    assert answer.status_code == 200
    body = answer.json()
    assert [item["key"] for item in body["items"]] == [
        "finance_approvals",
        "net_15",
        "net_30",
        "pay_on_order",
    ]
    assert all(item["webhook_url"] is None for item in body["items"])
    assert all(item["secret"] is None for item in body["items"])
    assert body["next_cursor"] is None


def test_get_answers_the_workflow_with_its_etag(client: TestClient, reader: dict[str, str]) -> None:
    answer = client.get("/v1/workflows/net_30", headers=reader)
    assert answer.status_code == 200
    assert answer.headers["etag"] == '"1"'
    assert answer.json()["webhook_url"] is None
    assert_problem(client.get("/v1/workflows/nope", headers=reader), 404, "not-found")


def test_put_creating_a_workflow_with_a_webhook_shows_its_secret_once(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    answer = client.put("/v1/workflows/collections", json=collections(), headers=ops)
    assert answer.status_code == 201
    assert answer.headers["etag"] == '"1"'
    created = answer.json()
    assert (created["key"], created["webhook_url"]) == ("collections", HOOK)
    assert created["secret"].startswith("whsec_")
    assert len(created["secret"]) > 30

    fetched = client.get("/v1/workflows/collections", headers=reader).json()
    assert (fetched["webhook_url"], fetched["secret"]) == (HOOK, None)
    listed = client.get("/v1/workflows", headers=reader).json()["items"]
    assert all(item["secret"] is None for item in listed)
    assert created["secret"] not in client.get("/v1/workflows", headers=reader).text


def test_put_existing_workflow_without_if_match_is_428(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    answer = client.put("/v1/workflows/net_30", json=collections(), headers=ops)
    assert_problem(answer, 428, "precondition-required")
    stale = client.put(
        "/v1/workflows/net_30", json=collections(), headers={**ops, "If-Match": '"7"'}
    )
    assert_problem(stale, 412, "precondition-failed")
    assert client.get("/v1/workflows/net_30", headers=reader).json()["webhook_url"] is None


def test_put_keeping_the_same_url_shows_no_secret_and_changing_it_shows_a_new_one(
    client: TestClient, ops: dict[str, str]
) -> None:
    first = client.put("/v1/workflows/collections", json=collections(), headers=ops).json()

    renamed = client.put(
        "/v1/workflows/collections",
        json=collections(name="Collections (EU)"),
        headers={**ops, "If-Match": '"1"'},
    )
    assert renamed.status_code == 200
    assert renamed.headers["etag"] == '"2"'
    assert renamed.json()["secret"] is None
    assert renamed.json()["name"] == "Collections (EU)"

    moved = client.put(
        "/v1/workflows/collections",
        json=collections(webhook_url="https://hooks.example.org/v2"),
        headers={**ops, "If-Match": '"2"'},
    )
    assert moved.status_code == 200
    secret = moved.json()["secret"]
    assert secret.startswith("whsec_")
    assert secret != first["secret"]


def test_setting_a_webhook_on_a_default_workflow_shows_its_secret(
    client: TestClient, ops: dict[str, str]
) -> None:
    answer = client.put(
        "/v1/workflows/net_30",
        json={"name": "Net 30", "webhook_url": HOOK},
        headers={**ops, "If-Match": '"1"'},
    )
    assert answer.status_code == 200
    assert answer.json()["secret"].startswith("whsec_")


def test_internal_or_plain_http_webhook_urls_are_422_by_default(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    for url in REFUSED_BY_DEFAULT:
        answer = client.put(
            "/v1/workflows/collections", json=collections(webhook_url=url), headers=ops
        )
        body = assert_problem(answer, 422, "invalid")
        assert error_locs(body) == [["body", "webhook_url"]], url
        if url in LOCAL_OR_PLAIN:  # a newcomer's receiver: the refusal says how to admit it
            assert "TERMSGATE_WEBHOOK_ALLOW_PRIVATE=true" in body["detail"], url
        headers = {**ops, "If-Match": '"1"'}
        update = client.put(
            "/v1/workflows/net_30", json=collections(webhook_url=url), headers=headers
        )
        assert_problem(update, 422, "invalid")
    assert_problem(client.get("/v1/workflows/collections", headers=reader), 404, "not-found")
    assert client.get("/v1/workflows/net_30", headers=reader).json()["webhook_url"] is None
    assert audit_trail(store, "workflow") == []


def test_writes_need_segments_write(
    client: TestClient, store: Store, reader: dict[str, str]
) -> None:
    answer = client.put("/v1/workflows/collections", json=collections(), headers=reader)
    assert_problem(answer, 403, "forbidden")
    assert_problem(
        client.put("/v1/workflows/collections", json=collections()), 401, "unauthenticated"
    )
    assert_problem(client.get("/v1/workflows/collections", headers=reader), 404, "not-found")
    assert audit_trail(store, "workflow") == []


def test_bad_key_unknown_field_or_mismatched_key_is_422(
    client: TestClient, ops: dict[str, str]
) -> None:
    cases = [
        ("/v1/workflows/Collections", collections(), ["path", "key"]),
        ("/v1/workflows/collections", collections(secret="whsec_mine"), ["body", "secret"]),
        ("/v1/workflows/collections", collections(key="other"), ["body", "key"]),
    ]
    for path, body, loc in cases:
        answer = client.put(path, json=body, headers=ops)
        assert error_locs(assert_problem(answer, 422, "invalid")) == [loc]


def test_every_write_is_audited_and_the_secret_never_is(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    created = client.put(
        "/v1/workflows/collections",
        json=collections(),
        headers={**ops, "X-Audit-Reason": "new agency"},
    ).json()
    moved = client.put(
        "/v1/workflows/collections",
        json=collections(webhook_url="https://hooks.example.org/v2"),
        headers={**ops, "If-Match": '"1"'},
    ).json()
    assert audit_trail(store, "workflow") == [
        ("ops", "workflow.created", "collections", "new agency"),
        ("ops", "workflow.updated", "collections", None),
    ]
    with store.reading() as session:
        rows = session.execute(select(AuditEvent.reason, AuditEvent.before, AuditEvent.after))
        recorded = orjson.dumps([list(row) for row in rows]).decode()
    assert "https://hooks.example.org/v2" in recorded
    for secret in (created["secret"], moved["secret"]):
        assert secret not in recorded


# -- TERMSGATE_WEBHOOK_ALLOW_PRIVATE ------------------------------------------------------------


@pytest.fixture
def private_client(database_url: str, clock: Clock) -> Iterator[TestClient]:
    """The app with webhook_allow_private=True, for local receivers."""
    settings = Settings(
        database_url=database_url, webhook_allow_private=True, sync_interval_seconds=0.05
    )
    with served(create_app(settings, clock)) as test_client:
        yield test_client


@pytest.fixture
def private_ops(private_client: TestClient, clock: Clock) -> dict[str, str]:
    store: Store = store_of(private_client.app)
    with store.writing() as session:
        token = apikeys.create(session, "ops", scopes=["segments:write"], actor="test", clock=clock)
    return {"Authorization": f"Bearer {token}"}


def test_allow_private_admits_a_local_http_receiver(
    private_client: TestClient, private_ops: dict[str, str]
) -> None:
    local = "http://127.0.0.1:9/hook"
    answer = private_client.put(
        "/v1/workflows/local", json=collections(webhook_url=local), headers=private_ops
    )
    assert answer.status_code == 201
    assert answer.json()["webhook_url"] == local
    assert answer.json()["secret"].startswith("whsec_")
    for url in ("https://10.0.0.5/", "https://localhost/x"):
        again = private_client.put(
            "/v1/workflows/local",
            json=collections(webhook_url=url),
            headers={**private_ops, "If-Match": answer.headers["etag"]},
        )
        assert again.status_code == 200, url
        answer = again
    refused = private_client.put(
        "/v1/workflows/other", json=collections(webhook_url="ftp://10.0.0.5/"), headers=private_ops
    )
    assert_problem(refused, 422, "invalid")
