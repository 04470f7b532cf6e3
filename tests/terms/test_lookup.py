"""GET /v1/customers/{id}/terms: what checkout relies on."""

from __future__ import annotations

import secrets

import orjson
from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from app.terms.cache import TermsCache
from app.terms.lookup import TermsLookup
from tests.support.keys import KeyMaker
from tests.support.segments import place
from tests.support.terms import NEVER_LOADED_ANSWER


def test_unknown_customer_gets_the_new_customer_segment(
    client: TestClient, reader: dict[str, str]
) -> None:
    answer = client.get("/v1/customers/c-unknown/terms", headers=reader)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {
        "customer_id": "c-unknown",
        "segment": "pay_on_order",
        "terms": {"type": "pay_on_order", "net_days": 0},
        "credit_limit": None,
        "source": "default",
        "policy_version": 1,
        "stale": False,
    }


def test_assigned_customer_gets_its_segment_at_once(
    client: TestClient, store: Store, reader: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    body = client.get("/v1/customers/c-1/terms", headers=reader).json()
    assert (body["segment"], body["source"]) == ("net_30", "segment")
    assert body["terms"] == {"type": "net", "net_days": 30}


def test_lookup_without_a_key_is_401_problem(client: TestClient) -> None:
    answer = client.get("/v1/customers/c-1/terms")
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == 401


def test_lookup_with_an_unknown_token_is_401(client: TestClient) -> None:
    answer = client.get("/v1/customers/c-1/terms", headers={"Authorization": "Bearer tgk_nope"})
    assert answer.status_code == 401


def test_lookup_with_a_malformed_header_is_401(client: TestClient) -> None:
    answer = client.get("/v1/customers/c-1/terms", headers={"Authorization": "Basic abc"})
    assert answer.status_code == 401


def test_lookup_needs_terms_read(client: TestClient, make_key: KeyMaker) -> None:
    billing = make_key("invoices:write")
    assert client.get("/v1/customers/c-1/terms", headers=billing).status_code == 403
    admin = make_key("admin")
    assert client.get("/v1/customers/c-1/terms", headers=admin).status_code == 200


def test_invalid_customer_id_is_422(client: TestClient, reader: dict[str, str]) -> None:
    answer = client.get("/v1/customers/" + "x" * 129 + "/terms", headers=reader)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["path", "customer_id"]
    assert client.get("/v1/customers/bad%20id/terms", headers=reader).status_code == 422


def test_revoked_key_is_refused_at_once(
    client: TestClient, store: Store, make_key: KeyMaker, clock: Clock
) -> None:
    from app.apikeys import service

    headers = make_key("terms:read", name="to-revoke")
    assert client.get("/v1/customers/c-1/terms", headers=headers).status_code == 200
    with store.writing() as session:
        service.revoke(session, "to-revoke", actor="test", clock=clock)
    assert client.get("/v1/customers/c-1/terms", headers=headers).status_code == 401


def new_id() -> bytes:
    return b"test-1"


def test_before_any_snapshot_a_key_shaped_token_gets_pay_on_order_stale() -> None:
    """No key is known before the first load; the store being down must not fail checkout."""
    cache = TermsCache(Clock(), stale_after_seconds=2.0)
    token = b"tgk_" + secrets.token_urlsafe(32).encode()
    status, _headers, body = TermsLookup(cache).answer(
        [(b"authorization", b"Bearer " + token)], "GET", "/v1/customers/c-1/terms", b"", new_id
    )
    assert status == 200
    assert orjson.loads(body) == NEVER_LOADED_ANSWER


def test_before_any_snapshot_a_missing_or_malformed_key_is_still_401() -> None:
    cache = TermsCache(Clock(), stale_after_seconds=2.0)
    for header in ([], [(b"authorization", b"Bearer tgk_nope")], [(b"authorization", b"Basic a")]):
        status, _headers, _body = TermsLookup(cache).answer(
            header, "GET", "/v1/customers/c-1/terms", b"", new_id
        )
        assert status == 401
