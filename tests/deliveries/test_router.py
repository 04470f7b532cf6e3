"""GET /v1/deliveries and POST /v1/deliveries/{id}/retry: what ops see and resend."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import update

from app.core.clock import Clock
from app.core.models import OutboxEvent
from app.core.store import Store
from tests.support.deliveries import emit
from tests.support.problems import assert_problem, error_locs


def set_status(store: Store, event_id: str, status: str) -> None:
    with store.writing() as session:
        session.execute(
            update(OutboxEvent).where(OutboxEvent.event_id == event_id).values(status=status)
        )


def test_deliveries_are_listed_newest_first_in_pages(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str]
) -> None:
    event_ids = emit(store, clock, count=5)
    seen: list[str] = []
    cursor = None
    for _ in range(3):
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/deliveries", params=params, headers=ops).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
    assert seen == event_ids[::-1]
    assert cursor is None
    item = client.get("/v1/deliveries", headers=ops).json()["items"][0]
    assert set(item) == {
        "id", "type", "workflow", "status", "attempts", "created_at", "next_attempt_at",
        "last_status", "last_error", "delivered_at",
    }  # fmt: skip
    assert (item["type"], item["workflow"], item["status"]) == (
        "invoice.routed",
        "net_30",
        "pending",
    )


def test_deliveries_filter_by_status_and_workflow(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str]
) -> None:
    dead, delivered = emit(store, clock, count=2)
    [other] = emit(store, clock, workflow="net_15")
    set_status(store, dead, "dead")
    set_status(store, delivered, "delivered")

    def ids(**params: str) -> list[str]:
        answer = client.get("/v1/deliveries", params=params, headers=ops)
        assert answer.status_code == 200, answer.text
        return [item["id"] for item in answer.json()["items"]]

    assert ids(status="dead") == [dead]
    assert ids(status="delivered") == [delivered]
    assert ids(status="pending") == [other]
    assert ids(workflow="net_30") == [delivered, dead]


def test_listing_refuses_bad_filters_and_keys_without_the_ops_scope(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    bad_status = client.get("/v1/deliveries", params={"status": "lost"}, headers=ops)
    assert error_locs(assert_problem(bad_status, 422, "invalid")) == [["query", "status"]]
    bad_cursor = client.get("/v1/deliveries", params={"cursor": "bm9wZQ"}, headers=ops)
    assert error_locs(assert_problem(bad_cursor, 422, "invalid")) == [["query", "cursor"]]
    assert_problem(client.get("/v1/deliveries", headers=reader), 403, "forbidden")
    assert_problem(client.get("/v1/deliveries"), 401, "unauthenticated")


def test_retry_answers_404_for_an_unknown_event_and_leaves_a_pending_one_as_it_is(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str], reader: dict[str, str]
) -> None:
    unknown = client.post("/v1/deliveries/evt_0123456789abcdef/retry", headers=ops)
    assert_problem(unknown, 404, "not-found")
    assert_problem(client.post("/v1/deliveries/nope/retry", headers=ops), 422, "invalid")
    [pending] = emit(store, clock)
    answer = client.post(f"/v1/deliveries/{pending}/retry", headers=ops)
    assert (answer.status_code, answer.json()["status"]) == (200, "pending")
    assert_problem(client.post(f"/v1/deliveries/{pending}/retry", headers=reader), 403, "forbidden")
