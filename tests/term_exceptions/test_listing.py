"""GET /v1/term-exceptions: filtered by the status callers see today, paged, oldest first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.core.clock import Clock
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem, error_locs
from tests.support.term_exceptions import decide, request_exception


def ids(answer: dict[str, Any]) -> list[str]:
    return [item["id"] for item in answer["items"]]


def listed(client: TestClient, headers: dict[str, str], query: str = "") -> dict[str, Any]:
    answer = client.get(f"/v1/term-exceptions{query}", headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_the_list_filters_by_status_as_seen_today_and_by_customer(
    client: TestClient, sales: dict[str, str], finance: dict[str, str], clock: Clock
) -> None:
    today = clock.today().isoformat()
    pending = request_exception(client, sales, "net_15", customer_id="c-1")
    approved = request_exception(client, sales, "net_30", customer_id="c-2")
    rejected = request_exception(client, sales, "net_30", customer_id="c-3")
    lapsing = request_exception(client, sales, "net_30", customer_id="c-4", expires_on=today)
    unanswered = request_exception(client, sales, "net_15", customer_id="c-5", expires_on=today)
    decide(client, finance, approved["id"])
    decide(client, finance, rejected["id"], "reject")
    decide(client, finance, lapsing["id"])

    everything = [pending, approved, rejected, lapsing, unanswered]
    assert ids(listed(client, finance)) == [item["id"] for item in everything]
    assert ids(listed(client, finance, "?status=pending")) == [pending["id"], unanswered["id"]]
    assert ids(listed(client, finance, "?status=approved")) == [approved["id"], lapsing["id"]]
    assert ids(listed(client, finance, "?status=rejected")) == [rejected["id"]]
    assert ids(listed(client, finance, "?status=expired")) == []
    assert ids(listed(client, finance, "?customer_id=c-2")) == [approved["id"]]
    assert ids(listed(client, finance, "?customer_id=c-2&status=pending")) == []

    clock.shift = timedelta(days=1)
    assert ids(listed(client, finance, "?status=pending")) == [pending["id"]]
    assert ids(listed(client, finance, "?status=approved")) == [approved["id"]]
    expired = listed(client, finance, "?status=expired")
    assert ids(expired) == [lapsing["id"], unanswered["id"]]
    assert {item["status"] for item in expired["items"]} == {"expired"}


def test_the_list_pages_with_a_cursor(
    client: TestClient, sales: dict[str, str], finance: dict[str, str]
) -> None:
    made = [
        request_exception(client, sales, "net_30", customer_id=f"c-{n}")["id"] for n in range(5)
    ]
    seen: list[str] = []
    query = "?status=pending&limit=2"
    while True:
        page = listed(client, finance, query)
        assert len(page["items"]) <= 2
        seen += ids(page)
        if page["next_cursor"] is None:
            break
        query = f"?status=pending&limit=2&cursor={page['next_cursor']}"
    assert seen == made
    assert listed(client, finance, "?limit=5")["next_cursor"] is None


def test_bad_list_queries_are_422(client: TestClient, finance: dict[str, str]) -> None:
    cases = [
        ("?status=open", ["query", "status"]),
        ("?limit=0", ["query", "limit"]),
        ("?limit=1001", ["query", "limit"]),
        ("?cursor=not-a-cursor", ["query", "cursor"]),
        ("?cursor=MDAwMS0wMS0wMVQwMDowMDowMCswNTowMHx4", ["query", "cursor"]),
        ("?customer_id=bad%20id", ["query", "customer_id"]),
    ]
    for query, loc in cases:
        answer = client.get(f"/v1/term-exceptions{query}", headers=finance)
        assert loc in error_locs(assert_problem(answer, 422, "invalid")), query


def test_sales_finance_and_reports_may_read_others_may_not(
    client: TestClient, make_key: KeyMaker, sales: dict[str, str], ops: dict[str, str]
) -> None:
    made = request_exception(client, sales, "net_30")
    for scope in ("exceptions:request", "exceptions:approve", "reports:read", "admin"):
        headers = make_key(scope)
        assert ids(listed(client, headers)) == [made["id"]]
        shown = client.get(f"/v1/term-exceptions/{made['id']}", headers=headers)
        assert shown.json() == made
    for headers in (ops, make_key("terms:read")):
        assert_problem(client.get("/v1/term-exceptions", headers=headers), 403, "forbidden")
        path = f"/v1/term-exceptions/{made['id']}"
        assert_problem(client.get(path, headers=headers), 403, "forbidden")
    assert_problem(client.get("/v1/term-exceptions"), 401, "unauthenticated")
