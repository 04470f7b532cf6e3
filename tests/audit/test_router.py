"""GET /v1/audit-events: what a reporting key sees of every write, filtered and paged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem, error_locs
from tests.support.segments import net_45, place

EVENTS = "/v1/audit-events"


def events(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    answer = client.get(EVENTS, params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert body["next_cursor"] is None
    items: list[dict[str, Any]] = body["items"]
    return items


def write_history(client: TestClient, store: Store, clock: Clock, ops: dict[str, str]) -> None:
    """Three writes by ops a day apart: create net_45, update it, pin customer c-1."""
    clock.shift = timedelta(days=1)
    created = client.put(
        "/v1/segments/net_45", json=net_45(), headers={**ops, "X-Audit-Reason": "new tier"}
    )
    assert created.status_code == 201
    clock.shift = timedelta(days=2)
    updated = client.put(
        "/v1/segments/net_45",
        json=net_45(name="Net 45 (EU)"),
        headers={**ops, "If-Match": created.headers["etag"], "X-Audit-Reason": "rename"},
    )
    assert updated.status_code == 200
    clock.shift = timedelta(days=3)
    place(store, "c-1", "net_30")
    pinned = client.put(
        "/v1/customers/c-1/override",
        json={"segment": "net_15", "reason": "late twice"},
        headers=ops,
    )
    assert pinned.status_code == 200


def test_writes_through_the_api_are_listed_with_who_what_when_and_why(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str], make_key: KeyMaker
) -> None:
    auditor = make_key("reports:read", name="auditor")
    write_history(client, store, clock, ops)
    items = events(client, auditor, actor="ops")
    assert [(i["action"], i["entity_type"], i["entity_id"], i["reason"]) for i in items] == [
        ("segment.created", "segment", "net_45", "new tier"),
        ("segment.updated", "segment", "net_45", "rename"),
        ("override.set", "customer", "c-1", "late twice"),
    ]
    first, second, _ = items
    assert first["before"] is None
    assert first["after"]["name"] == "Net 45"
    assert second["before"]["name"] == "Net 45"
    assert second["after"]["name"] == "Net 45 (EU)"
    assert second["prev_hash"] == first["hash"]
    occurred = [datetime.fromisoformat(i["occurred_at"]) for i in items]
    assert all(at.utcoffset() == timedelta(0) for at in occurred)
    assert occurred == sorted(occurred)
    assert occurred[2] - occurred[0] > timedelta(days=1, hours=23)


def test_everything_is_listed_oldest_first_including_key_creation(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str], make_key: KeyMaker
) -> None:
    auditor = make_key("reports:read", name="auditor")
    write_history(client, store, clock, ops)
    items = events(client, auditor)
    assert [i["action"] for i in items] == [
        "apikey.created",
        "apikey.created",
        "segment.created",
        "segment.updated",
        "override.set",
    ]
    assert [i["id"] for i in items] == sorted(i["id"] for i in items)


def test_filter_by_entity_answers_only_that_entity(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str], make_key: KeyMaker
) -> None:
    auditor = make_key("reports:read", name="auditor")
    write_history(client, store, clock, ops)
    segment = events(client, auditor, entity_type="segment", entity_id="net_45")
    assert [i["action"] for i in segment] == ["segment.created", "segment.updated"]
    customer = events(client, auditor, entity_type="customer", entity_id="c-1")
    assert [i["action"] for i in customer] == ["override.set"]
    assert events(client, auditor, entity_type="segment", entity_id="c-1") == []
    assert [i["entity_id"] for i in events(client, auditor, entity_type="api_key")] == [
        "ops",
        "auditor",
    ]


def test_filter_by_actor_answers_only_that_key_s_writes(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str], make_key: KeyMaker
) -> None:
    auditor = make_key("reports:read", name="auditor")
    write_history(client, store, clock, ops)
    assert {i["actor"] for i in events(client, auditor, actor="ops")} == {"ops"}
    assert [i["action"] for i in events(client, auditor, actor="test")] == [
        "apikey.created",
        "apikey.created",
    ]
    assert events(client, auditor, actor="nobody") == []


def test_time_window_includes_its_start_and_excludes_its_end_in_any_offset(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str], make_key: KeyMaker
) -> None:
    auditor = make_key("reports:read", name="auditor")
    write_history(client, store, clock, ops)
    ours = events(client, auditor, actor="ops")
    updated_at = datetime.fromisoformat(ours[1]["occurred_at"])
    pinned_at = datetime.fromisoformat(ours[2]["occurred_at"])
    berlin = timezone(timedelta(hours=2))
    window = events(
        client,
        auditor,
        occurred_from=updated_at.astimezone(berlin).isoformat(),
        occurred_to=pinned_at.isoformat(),
    )
    assert [i["action"] for i in window] == ["segment.updated"]
    since = events(client, auditor, occurred_from=updated_at.isoformat())
    assert [i["action"] for i in since] == ["segment.updated", "override.set"]
    before_any = datetime.now(UTC) - timedelta(days=1)
    assert events(client, auditor, occurred_to=before_any.isoformat()) == []


def test_paging_with_limit_one_reaches_every_event_exactly_once(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str], make_key: KeyMaker
) -> None:
    auditor = make_key("reports:read", name="auditor")
    write_history(client, store, clock, ops)
    everything = [i["id"] for i in events(client, auditor)]
    seen: list[int] = []
    cursor: str | None = None
    for _ in range(len(everything) + 1):
        params: dict[str, str | int] = {"limit": 1}
        if cursor is not None:
            params["cursor"] = cursor
        body = client.get(EVENTS, params=params, headers=auditor).json()
        seen.extend(i["id"] for i in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything
    assert len(everything) == 5


def test_paging_keeps_the_filter(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str], make_key: KeyMaker
) -> None:
    auditor = make_key("reports:read", name="auditor")
    write_history(client, store, clock, ops)
    first = client.get(EVENTS, params={"actor": "ops", "limit": 2}, headers=auditor).json()
    assert [i["action"] for i in first["items"]] == ["segment.created", "segment.updated"]
    rest = client.get(
        EVENTS, params={"actor": "ops", "limit": 2, "cursor": first["next_cursor"]}, headers=auditor
    ).json()
    assert [i["action"] for i in rest["items"]] == ["override.set"]
    assert rest["next_cursor"] is None


def test_admin_may_read_the_log(client: TestClient, make_key: KeyMaker) -> None:
    assert client.get(EVENTS, headers=make_key("admin")).status_code == 200


def test_without_reports_read_is_403(client: TestClient, ops: dict[str, str]) -> None:
    assert_problem(client.get(EVENTS, headers=ops), 403, "forbidden")


def test_without_a_key_is_401(client: TestClient) -> None:
    answer = client.get(EVENTS)
    assert_problem(answer, 401, "unauthenticated")
    assert answer.headers["www-authenticate"] == "Bearer"


def test_a_cursor_not_handed_out_is_422(client: TestClient, make_key: KeyMaker) -> None:
    auditor = make_key("reports:read")
    for cursor in ("***", "bm90LWEtbnVtYmVy"):  # not base64; base64 of "not-a-number"
        answer = client.get(EVENTS, params={"cursor": cursor}, headers=auditor)
        assert error_locs(assert_problem(answer, 422, "invalid")) == [["query", "cursor"]]


def test_a_timestamp_without_offset_or_malformed_is_422(
    client: TestClient, make_key: KeyMaker
) -> None:
    auditor = make_key("reports:read")
    for value in ("2026-11-22T12:00:00", "yesterday", "2026-13-01T00:00:00Z"):
        answer = client.get(EVENTS, params={"occurred_from": value}, headers=auditor)
        assert error_locs(assert_problem(answer, 422, "invalid")) == [["query", "occurred_from"]]


def test_a_window_that_ends_before_it_starts_is_422(client: TestClient, make_key: KeyMaker) -> None:
    params = {"occurred_from": "2026-11-22T12:00:00Z", "occurred_to": "2026-11-21T12:00:00Z"}
    answer = client.get(EVENTS, params=params, headers=make_key("reports:read"))
    assert error_locs(assert_problem(answer, 422, "invalid")) == [["query", "occurred_from"]]


def test_limit_out_of_range_is_422(client: TestClient, make_key: KeyMaker) -> None:
    auditor = make_key("reports:read")
    for limit in (0, 1001):
        answer = client.get(EVENTS, params={"limit": limit}, headers=auditor)
        assert error_locs(assert_problem(answer, 422, "invalid")) == [["query", "limit"]]
