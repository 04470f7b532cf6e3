"""PUT/DELETE /v1/customers/{id}/override: ops may tighten a customer's terms, never loosen them."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from app.terms.cache import TermsCache
from tests.support.audit import audit_trail
from tests.support.keys import KeyMaker
from tests.support.parts import cache_of
from tests.support.problems import assert_problem, error_locs
from tests.support.segments import place


def terms_of(client: TestClient, reader: dict[str, str], customer_id: str) -> dict[str, Any]:
    answer = client.get(f"/v1/customers/{customer_id}/terms", headers=reader)
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def pin(segment: str, **extra: Any) -> dict[str, Any]:
    return {"segment": segment, "reason": "late twice this quarter", **extra}


def test_tightening_override_is_200_and_decides_the_lookup_at_once(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    for customer_id, segment, net_days in (("c-1", "pay_on_order", 0), ("c-2", "net_15", 15)):
        place(store, customer_id, "net_30")
        answer = client.put(f"/v1/customers/{customer_id}/override", json=pin(segment), headers=ops)
        assert answer.status_code == 200
        body = answer.json()
        assert {k: body[k] for k in ("customer_id", "segment", "reason", "expires_on")} == {
            "customer_id": customer_id,
            "segment": segment,
            "reason": "late twice this quarter",
            "expires_on": None,
        }
        assert body["set_by"] == "ops"
        assert body["set_at"]
        looked_up = terms_of(client, reader, customer_id)
        assert (looked_up["segment"], looked_up["source"]) == (segment, "override")
        assert looked_up["terms"]["net_days"] == net_days


def test_override_with_equal_terms_is_allowed(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    twin = {"name": "Net 30 (collections)", "terms": {"type": "net", "net_days": 30}}
    twin["workflow"] = "net_30"
    assert client.put("/v1/segments/net_30_collections", json=twin, headers=ops).status_code == 201
    place(store, "c-1", "net_30")
    cases = [("c-1", "net_30_collections"), ("c-1", "net_30"), ("c-new", "pay_on_order")]
    for customer_id, segment in cases:
        answer = client.put(f"/v1/customers/{customer_id}/override", json=pin(segment), headers=ops)
        assert answer.status_code == 200, (customer_id, segment, answer.json())
        assert terms_of(client, reader, customer_id)["source"] == "override"
    assert terms_of(client, reader, "c-1")["segment"] == "net_30"


def test_looser_override_is_409_needing_a_term_exception_and_changes_nothing(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    place(store, "c-15", "net_15")
    for customer_id, segment in (("c-new", "net_30"), ("c-new", "net_15"), ("c-15", "net_30")):
        answer = client.put(f"/v1/customers/{customer_id}/override", json=pin(segment), headers=ops)
        body = assert_problem(answer, 409, "term-exception-required")
        assert body["title"] == "Term exception required"
        assert "term exception" in body["detail"]
    unknown = terms_of(client, reader, "c-new")
    assert (unknown["segment"], unknown["source"]) == ("pay_on_order", "default")
    placed = terms_of(client, reader, "c-15")
    assert (placed["segment"], placed["source"]) == ("net_15", "segment")
    assert audit_trail(store, "customer") == []


def test_a_higher_credit_limit_at_equal_days_is_looser(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    def net_30_with(limit: dict[str, Any] | None) -> dict[str, Any]:
        return {
            "name": "Net 30",
            "terms": {"type": "net", "net_days": 30},
            "workflow": "net_30",
        } | {"credit_limit": limit}

    small = net_30_with({"amount": 1_000_00, "currency": "USD"})
    large = net_30_with({"amount": 9_000_00, "currency": "USD"})
    assert client.put("/v1/segments/net_30_small", json=small, headers=ops).status_code == 201
    assert client.put("/v1/segments/net_30_large", json=large, headers=ops).status_code == 201
    place(store, "c-1", "net_30_small")
    answer = client.put("/v1/customers/c-1/override", json=pin("net_30_large"), headers=ops)
    assert_problem(answer, 409, "term-exception-required")
    answer = client.put("/v1/customers/c-1/override", json=pin("net_30"), headers=ops)
    assert_problem(answer, 409, "term-exception-required")
    assert terms_of(client, reader, "c-1")["source"] == "segment"


def test_override_is_checked_against_the_segment_not_an_earlier_override(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    assert client.put(
        "/v1/customers/c-1/override", json=pin("pay_on_order"), headers=ops
    ).is_success
    answer = client.put("/v1/customers/c-1/override", json=pin("net_15"), headers=ops)
    assert answer.status_code == 200
    assert terms_of(client, reader, "c-1")["segment"] == "net_15"


def test_an_override_a_segment_edit_makes_looser_stands_aside_until_it_tightens_again(
    client: TestClient,
    store: Store,
    ops: dict[str, str],
    reader: dict[str, str],
    make_key: KeyMaker,
) -> None:
    billing = make_key("invoices:write", name="billing")
    place(store, "c-1", "net_30")
    assert client.put("/v1/customers/c-1/override", json=pin("net_15"), headers=ops).is_success

    def edit_net_15(net_days: int) -> None:
        etag = client.get("/v1/segments/net_15", headers=ops).headers["etag"]
        body = {"name": "Net 15", "terms": {"type": "net", "net_days": net_days}}
        body["workflow"] = "net_15"
        answer = client.put("/v1/segments/net_15", json=body, headers={**ops, "If-Match": etag})
        assert answer.status_code == 200, answer.text

    def routed(invoice_id: str) -> tuple[str, str, int]:
        body = {"invoice_id": invoice_id, "customer_id": "c-1", "amount": 1000, "currency": "USD"}
        body["issued_on"] = "2026-11-20"
        answer = client.post("/v1/invoice-routes", json=body, headers=billing)
        assert answer.status_code == 201, answer.text
        route = answer.json()
        return route["segment"], route["source"], route["terms"]["net_days"]

    edit_net_15(60)  # the override now points at terms looser than c-1's own net_30
    looked_up = terms_of(client, reader, "c-1")
    assert (looked_up["segment"], looked_up["source"]) == ("net_30", "segment")
    assert looked_up["terms"]["net_days"] == 30
    assert routed("inv-looser") == ("net_30", "segment", 30)
    edit_net_15(10)  # tighter again: the override, still stored, decides again
    looked_up = terms_of(client, reader, "c-1")
    assert (looked_up["segment"], looked_up["source"], looked_up["terms"]["net_days"]) == (
        "net_15",
        "override",
        10,
    )
    assert routed("inv-tighter") == ("net_15", "override", 10)


def test_invalid_overrides_are_422_and_change_nothing(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str], clock: Clock
) -> None:
    place(store, "c-1", "net_30")
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    cases = [
        ("/v1/customers/c-1/override", pin("net_90"), ["body", "segment"]),
        ("/v1/customers/c-1/override", pin("net_15", expires_on=yesterday), ["body", "expires_on"]),
        (
            "/v1/customers/c-1/override",
            pin("net_15", expires_on="next week"),
            ["body", "expires_on"],
        ),
        ("/v1/customers/c-1/override", {"segment": "net_15"}, ["body", "reason"]),
        ("/v1/customers/c-1/override", pin("net_15", approved_by="cfo"), ["body", "approved_by"]),
        ("/v1/customers/bad%20id/override", pin("net_15"), ["path", "customer_id"]),
    ]
    for path, body, loc in cases:
        answer = client.put(path, json=body, headers=ops)
        assert loc in error_locs(assert_problem(answer, 422, "invalid")), (body, answer.json())
    looked_up = terms_of(client, reader, "c-1")
    assert (looked_up["segment"], looked_up["source"]) == ("net_30", "segment")
    assert audit_trail(store, "customer") == []


def test_delete_override_is_204_and_the_segment_decides_again(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    assert client.put("/v1/customers/c-1/override", json=pin("net_15"), headers=ops).is_success
    answer = client.delete(
        "/v1/customers/c-1/override", headers={**ops, "X-Audit-Reason": "paid up"}
    )
    assert answer.status_code == 204
    looked_up = terms_of(client, reader, "c-1")
    assert (looked_up["segment"], looked_up["source"]) == ("net_30", "segment")
    assert audit_trail(store, "customer") == [
        ("ops", "override.set", "c-1", "late twice this quarter"),
        ("ops", "override.removed", "c-1", "paid up"),
    ]


def test_delete_override_of_an_unplaced_customer_brings_back_the_default(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    assert client.put(
        "/v1/customers/c-new/override", json=pin("pay_on_order"), headers=ops
    ).is_success
    assert client.delete("/v1/customers/c-new/override", headers=ops).status_code == 204
    assert terms_of(client, reader, "c-new")["source"] == "default"


def test_delete_when_there_is_no_override_is_404(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    for customer_id in ("c-1", "c-unknown"):
        answer = client.delete(f"/v1/customers/{customer_id}/override", headers=ops)
        assert customer_id in assert_problem(answer, 404, "not-found")["detail"]
    assert audit_trail(store, "customer") == []


def test_override_writes_need_segments_write(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    path = "/v1/customers/c-1/override"
    assert_problem(client.put(path, json=pin("net_15"), headers=reader), 403, "forbidden")
    assert_problem(client.put(path, json=pin("net_15")), 401, "unauthenticated")
    assert client.put(path, json=pin("net_15"), headers=ops).is_success
    assert_problem(client.delete(path, headers=reader), 403, "forbidden")
    assert_problem(client.delete(path), 401, "unauthenticated")
    assert terms_of(client, reader, "c-1")["source"] == "override"
    assert [row[1] for row in audit_trail(store, "customer")] == ["override.set"]


def test_override_expiring_today_holds_today_and_lapses_tomorrow_without_a_write(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str], clock: Clock
) -> None:
    place(store, "c-1", "net_30")
    today = clock.today().isoformat()
    answer = client.put(
        "/v1/customers/c-1/override", json=pin("net_15", expires_on=today), headers=ops
    )
    assert answer.status_code == 200
    assert answer.json()["expires_on"] == today
    cache: TermsCache = cache_of(client.app)
    cache.catch_up()
    assert terms_of(client, reader, "c-1")["source"] == "override"

    clock.shift = timedelta(days=1)
    cache.catch_up()
    deadline = time.monotonic() + 2
    while terms_of(client, reader, "c-1")["source"] != "segment" and time.monotonic() < deadline:
        time.sleep(0.02)
    looked_up = terms_of(client, reader, "c-1")
    assert (looked_up["segment"], looked_up["source"]) == ("net_30", "segment")
    assert looked_up["terms"] == {"type": "net", "net_days": 30}
    assert [row[1] for row in audit_trail(store, "customer")] == ["override.set"]
