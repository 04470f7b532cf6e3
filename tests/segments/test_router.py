"""/v1/segments: what ops relies on when it reads and changes segments."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.audit import audit_trail
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem, error_locs
from tests.support.segments import net_45, place

NET_15 = {
    "key": "net_15",
    "name": "Net 15",
    "terms": {"type": "net", "net_days": 15},
    "credit_limit": None,
    "workflow": "net_15",
    "contact_plan": [
        {"offset_days": -5, "relative_to": "due", "channel": "phone", "kind": "service_check"},
        {"offset_days": 3, "relative_to": "due", "channel": "email", "kind": "reminder"},
    ],
    "revision": 1,
}


# -- reading ----------------------------------------------------------------------------------


def test_list_answers_the_default_segments_by_key(
    client: TestClient, reader: dict[str, str]
) -> None:
    answer = client.get("/v1/segments", headers=reader)
    assert answer.status_code == 200
    body = answer.json()
    assert [item["key"] for item in body["items"]] == ["net_15", "net_30", "pay_on_order"]
    assert body["items"][0] == NET_15
    assert body["next_cursor"] is None


def test_list_pages_through_with_limit_and_next_cursor(
    client: TestClient, reader: dict[str, str]
) -> None:
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(3):
        params: dict[str, str | int] = {"limit": 1}
        if cursor is not None:
            params["cursor"] = cursor
        body = client.get("/v1/segments", params=params, headers=reader).json()
        assert len(body["items"]) == 1
        seen.append(body["items"][0]["key"])
        cursor = body["next_cursor"]
    assert seen == ["net_15", "net_30", "pay_on_order"]
    assert cursor is None


def test_list_with_a_cursor_cut_short_is_422(client: TestClient, reader: dict[str, str]) -> None:
    cursor = client.get("/v1/segments?limit=1", headers=reader).json()["next_cursor"]
    answer = client.get("/v1/segments", params={"cursor": cursor[:-3]}, headers=reader)
    body = assert_problem(answer, 422, "invalid")
    assert error_locs(body) == [["query", "cursor"]]


def test_list_with_limit_out_of_range_is_422(client: TestClient, reader: dict[str, str]) -> None:
    for limit in (0, 1001):
        answer = client.get("/v1/segments", params={"limit": limit}, headers=reader)
        assert error_locs(assert_problem(answer, 422, "invalid")) == [["query", "limit"]]


def test_get_answers_the_segment_with_its_etag(client: TestClient, reader: dict[str, str]) -> None:
    answer = client.get("/v1/segments/net_15", headers=reader)
    assert answer.status_code == 200
    assert answer.headers["etag"] == '"1"'
    assert answer.json() == NET_15


def test_get_unknown_segment_is_404(client: TestClient, reader: dict[str, str]) -> None:
    answer = client.get("/v1/segments/net_90", headers=reader)
    assert "net_90" in assert_problem(answer, 404, "not-found")["detail"]


def test_reading_needs_a_key(client: TestClient) -> None:
    assert_problem(client.get("/v1/segments"), 401, "unauthenticated")
    assert_problem(client.get("/v1/segments/net_30"), 401, "unauthenticated")


# -- creating and replacing -------------------------------------------------------------------


def test_put_new_key_creates_the_segment_with_201_and_etag(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    answer = client.put("/v1/segments/net_45", json=net_45(), headers=ops)
    assert answer.status_code == 201
    assert answer.headers["etag"] == '"1"'
    created = answer.json()
    assert created == {"key": "net_45", **net_45(), "revision": 1}
    fetched = client.get("/v1/segments/net_45", headers=reader)
    assert fetched.json() == created
    assert fetched.headers["etag"] == '"1"'
    named = client.put("/v1/segments/net_60", json=net_45(key="net_60"), headers=ops)
    assert named.status_code == 201


def test_put_existing_segment_without_if_match_is_428(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    answer = client.put("/v1/segments/net_30", json=net_45(name="Net 30 again"), headers=ops)
    assert_problem(answer, 428, "precondition-required")
    unchanged = client.get("/v1/segments/net_30", headers=reader).json()
    assert (unchanged["name"], unchanged["revision"]) == ("Net 30", 1)


def test_put_existing_segment_with_stale_if_match_is_412(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    first = client.put("/v1/segments/net_30", json=net_45(), headers={**ops, "If-Match": '"1"'})
    assert first.status_code == 200
    again = client.put(
        "/v1/segments/net_30", json=net_45(name="Lost update"), headers={**ops, "If-Match": '"1"'}
    )
    assert_problem(again, 412, "precondition-failed")
    current = client.get("/v1/segments/net_30", headers=reader)
    assert current.json()["name"] == "Net 45"
    assert current.headers["etag"] == '"2"'


def test_put_existing_segment_with_current_if_match_replaces_it_and_bumps_revision(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    etag = client.get("/v1/segments/net_30", headers=reader).headers["etag"]
    answer = client.put("/v1/segments/net_30", json=net_45(), headers={**ops, "If-Match": etag})
    assert answer.status_code == 200
    assert answer.headers["etag"] == '"2"'
    assert answer.json() == {"key": "net_30", **net_45(), "revision": 2}
    assert client.get("/v1/segments/net_30", headers=reader).json() == answer.json()


def test_put_with_body_key_other_than_path_is_422(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    answer = client.put("/v1/segments/net_45", json=net_45(key="net_60"), headers=ops)
    assert error_locs(assert_problem(answer, 422, "invalid")) == [["body", "key"]]
    assert client.get("/v1/segments/net_45", headers=reader).status_code == 404
    assert client.get("/v1/segments/net_60", headers=reader).status_code == 404


INVALID_FIELDS: list[tuple[dict[str, Any], list[str | int]]] = [
    ({"terms": {"type": "pay_on_order", "net_days": 5}}, ["body", "terms"]),
    ({"terms": {"type": "net", "net_days": 0}}, ["body", "terms"]),
    ({"terms": {"type": "net", "net_days": 366}}, ["body", "terms", "net_days"]),
    ({"terms": {"type": "eom", "net_days": 30}}, ["body", "terms", "type"]),
    ({"credit_limit": {"amount": 100, "currency": "XYZ"}}, ["body", "credit_limit", "currency"]),
    ({"credit_limit": {"amount": -1, "currency": "USD"}}, ["body", "credit_limit", "amount"]),
    (
        {
            "contact_plan": [
                {"offset_days": 3, "relative_to": "due", "channel": "sms", "kind": "reminder"}
            ]
        },
        ["body", "contact_plan", 0, "channel"],
    ),
    (
        {
            "contact_plan": [
                {"offset_days": 3, "relative_to": "paid", "channel": "email", "kind": "reminder"}
            ]
        },
        ["body", "contact_plan", 0, "relative_to"],
    ),
    ({"workflow": "no_such_flow"}, ["body", "workflow"]),
    ({"status": "active"}, ["body", "status"]),
    ({"name": ""}, ["body", "name"]),
]


def test_put_with_an_invalid_field_is_422_naming_it_and_creates_nothing(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    for changes, loc in INVALID_FIELDS:
        answer = client.put("/v1/segments/net_45", json=net_45(**changes), headers=ops)
        body = assert_problem(answer, 422, "invalid")
        assert loc in error_locs(body), (changes, body)
        assert all(error["msg"] for error in body["errors"])
    assert client.get("/v1/segments/net_45", headers=reader).status_code == 404
    assert audit_trail(store, "segment") == []


def test_put_with_an_invalid_field_leaves_an_existing_segment_as_it_was(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    bad = net_45(terms={"type": "net", "net_days": 366})
    answer = client.put("/v1/segments/net_30", json=bad, headers={**ops, "If-Match": '"1"'})
    assert_problem(answer, 422, "invalid")
    current = client.get("/v1/segments/net_30", headers=reader).json()
    assert (current["terms"], current["revision"]) == ({"type": "net", "net_days": 30}, 1)


def test_bad_key_in_path_is_422(client: TestClient, ops: dict[str, str]) -> None:
    for key in ["Net_45", "net-45", "x" * 65]:
        answer = client.put(f"/v1/segments/{key}", json=net_45(), headers=ops)
        assert error_locs(assert_problem(answer, 422, "invalid")) == [["path", "key"]], key


# -- deleting ---------------------------------------------------------------------------------


def test_delete_unused_segment_is_204_and_then_it_is_gone(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    assert client.put("/v1/segments/net_45", json=net_45(), headers=ops).status_code == 201
    answer = client.delete("/v1/segments/net_45", headers={**ops, "If-Match": '"1"'})
    assert answer.status_code == 204
    assert answer.content == b""
    assert_problem(client.get("/v1/segments/net_45", headers=reader), 404, "not-found")
    keys = [item["key"] for item in client.get("/v1/segments", headers=reader).json()["items"]]
    assert "net_45" not in keys


def test_delete_unknown_segment_is_404(client: TestClient, ops: dict[str, str]) -> None:
    assert_problem(client.delete("/v1/segments/net_45", headers=ops), 404, "not-found")


def test_delete_segment_named_by_the_policy_is_409(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    for key in ("net_30", "pay_on_order"):
        answer = client.delete(f"/v1/segments/{key}", headers=ops)
        assert "policy" in assert_problem(answer, 409, "conflict")["detail"]
        assert client.get(f"/v1/segments/{key}", headers=reader).status_code == 200


def test_delete_segment_a_customer_is_placed_on_is_409(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    assert client.put("/v1/segments/net_45", json=net_45(), headers=ops).status_code == 201
    place(store, "c-1", "net_45")
    assert_problem(client.delete("/v1/segments/net_45", headers=ops), 409, "conflict")
    assert client.get("/v1/segments/net_45", headers=reader).status_code == 200
    assert client.get("/v1/customers/c-1/terms", headers=reader).json()["segment"] == "net_45"


def test_delete_segment_a_customer_is_pinned_to_is_409(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    net_7 = net_45(name="Net 7", terms={"type": "net", "net_days": 7}, credit_limit=None)
    assert client.put("/v1/segments/net_7", json=net_7, headers=ops).status_code == 201
    place(store, "c-1", "net_30")
    pin = {"segment": "net_7", "reason": "slow payer"}
    assert client.put("/v1/customers/c-1/override", json=pin, headers=ops).status_code == 200
    assert_problem(client.delete("/v1/segments/net_7", headers=ops), 409, "conflict")
    assert client.get("/v1/segments/net_7", headers=reader).status_code == 200


def test_delete_with_stale_if_match_is_412(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    assert client.put("/v1/segments/net_45", json=net_45(), headers=ops).status_code == 201
    replaced = client.put("/v1/segments/net_45", json=net_45(), headers={**ops, "If-Match": '"1"'})
    assert replaced.status_code == 200
    answer = client.delete("/v1/segments/net_45", headers={**ops, "If-Match": '"1"'})
    assert_problem(answer, 412, "precondition-failed")
    assert client.get("/v1/segments/net_45", headers=reader).status_code == 200


# -- who may write ----------------------------------------------------------------------------


def test_writes_need_segments_write(
    client: TestClient, store: Store, reader: dict[str, str], make_key: KeyMaker
) -> None:
    path = "/v1/segments/pay_on_order"
    billing = make_key("invoices:write", "invoices:read")
    for method, body in (("PUT", net_45()), ("DELETE", None)):
        for headers in (reader, billing):
            answer = client.request(method, path, json=body, headers={**headers, "If-Match": '"1"'})
            assert "segments:write" in assert_problem(answer, 403, "forbidden")["detail"]
        anonymous = client.request(method, path, json=body, headers={"If-Match": '"1"'})
        assert_problem(anonymous, 401, "unauthenticated")
        assert anonymous.headers["www-authenticate"] == "Bearer"
    current = client.get(path, headers=reader)
    assert (current.json()["name"], current.headers["etag"]) == ("Pay on order", '"1"')
    assert audit_trail(store, "segment") == []
    admin = make_key("admin")
    assert client.put("/v1/segments/net_45", json=net_45(), headers=admin).status_code == 201


# -- the audit log ----------------------------------------------------------------------------


def test_every_successful_write_adds_exactly_one_audit_row(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    def with_reason(reason: str, **extra: str) -> dict[str, str]:
        return {**ops, "X-Audit-Reason": reason, **extra}

    created = client.put("/v1/segments/net_45", json=net_45(), headers=with_reason("new tier"))
    assert created.status_code == 201
    assert audit_trail(store, "segment") == [("ops", "segment.created", "net_45", "new tier")]

    updated = client.put(
        "/v1/segments/net_45",
        json=net_45(name="Net 45 (EU)"),
        headers=with_reason("rename", **{"If-Match": '"1"'}),
    )
    assert updated.status_code == 200
    deleted = client.delete("/v1/segments/net_45", headers=with_reason("retired"))
    assert deleted.status_code == 204
    assert audit_trail(store, "segment") == [
        ("ops", "segment.created", "net_45", "new tier"),
        ("ops", "segment.updated", "net_45", "rename"),
        ("ops", "segment.deleted", "net_45", "retired"),
    ]


def test_audit_row_without_a_reason_header_records_none(
    client: TestClient, store: Store, make_key: KeyMaker
) -> None:
    pricing = make_key("segments:write", name="pricing-team")
    assert client.put("/v1/segments/net_45", json=net_45(), headers=pricing).status_code == 201
    assert audit_trail(store, "segment") == [("pricing-team", "segment.created", "net_45", None)]


def test_refused_writes_add_no_audit_row(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    refused = [
        client.put("/v1/segments/net_30", json=net_45(), headers=ops),  # 428
        client.put("/v1/segments/net_30", json=net_45(), headers={**ops, "If-Match": '"9"'}),
        client.put("/v1/segments/net_45", json=net_45(workflow="nope"), headers=ops),
        client.put("/v1/segments/net_45", json=net_45(), headers=reader),
        client.delete("/v1/segments/net_30", headers=ops),
        client.delete("/v1/segments/net_30", headers={**ops, "If-Match": '"9"'}),
        client.delete("/v1/segments/net_45", headers=ops),
    ]
    assert [answer.status_code for answer in refused] == [428, 412, 422, 403, 409, 412, 404]
    assert audit_trail(store, "segment") == []


# -- what checkout sees -----------------------------------------------------------------------


def test_segment_put_changes_the_terms_lookup_at_once(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    before = client.get("/v1/customers/c-1/terms", headers=reader).json()
    assert before["terms"] == {"type": "net", "net_days": 30}
    answer = client.put("/v1/segments/net_30", json=net_45(), headers={**ops, "If-Match": '"1"'})
    assert answer.status_code == 200
    after = client.get("/v1/customers/c-1/terms", headers=reader).json()
    assert (after["segment"], after["source"]) == ("net_30", "segment")
    assert after["terms"] == {"type": "net", "net_days": 45}
    assert after["credit_limit"] == {"amount": 5_000_000, "currency": "USD"}
    other = client.get("/v1/customers/c-2/terms", headers=reader).json()
    assert other["terms"] == {"type": "pay_on_order", "net_days": 0}


def test_new_customer_segment_change_reaches_unknown_customers_at_once(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    limit = {"amount": 0, "currency": "EUR"}
    body = net_45(name="Pay first", terms={"type": "pay_on_order", "net_days": 0})
    body["credit_limit"] = limit
    headers = {**ops, "If-Match": '"1"'}
    assert client.put("/v1/segments/pay_on_order", json=body, headers=headers).status_code == 200
    answer = client.get("/v1/customers/c-new/terms", headers=reader).json()
    assert (answer["segment"], answer["source"]) == ("pay_on_order", "default")
    assert answer["credit_limit"] == limit
