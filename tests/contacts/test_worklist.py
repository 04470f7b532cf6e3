"""The worklist: one entry per customer with open tasks due, money at risk first, the reasons
in words, held-only customers left off, and pages that add up to the whole list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.contacts import routed, tasks, touch
from tests.support.problems import assert_problem

pytestmark = pytest.mark.usefixtures("watched")
TODAY = date.today()
# Issued 40 days ago on net 30: due 10 days ago; the service check (due - 5) and the reminder
# (due + 3) are due, the escalation (due + 15) is not yet.
LATE = TODAY - timedelta(days=40)


def worklist(client: TestClient, headers: dict[str, str], **query: Any) -> dict[str, Any]:
    answer = client.get("/v1/worklist", params=query, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_more_overdue_money_ranks_first_and_says_why(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing, "inv-1", "c-small", amount=25_000, issued=LATE)
    routed(client, store, billing, "inv-2", "c-big", amount=2_500_000, issued=LATE)
    listed = worklist(client, collector)
    assert listed["on"] == TODAY.isoformat()
    assert [item["customer_id"] for item in listed["items"]] == ["c-big", "c-small"]
    big, small = listed["items"]
    assert big["priority"] > small["priority"]
    assert big["why"][0] == "USD 25000.00 overdue"
    assert "10 days past due" in big["why"]
    assert "never contacted" in big["why"]
    assert "not yet classified by a segmentation run" in big["why"]
    assert big["overdue"] == big["open_receivables"] == [{"amount": 2_500_000, "currency": "USD"}]
    assert [(t["invoice_id"], t["kind"]) for t in big["tasks"]] == [
        ("inv-2", "service_check"),
        ("inv-2", "reminder"),
    ]
    assert big["segment"] == small["segment"] == "watch"


def test_a_touch_today_lowers_the_priority_and_done_tasks_leave_the_list(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing, "inv-1", "c-1", issued=LATE)
    [first] = worklist(client, collector)["items"]
    check, reminder = first["tasks"]
    done = touch("t-1", task_id=check["id"], kind="service_check", outcome="no_answer")
    assert client.post("/v1/touches", json=done, headers=collector).status_code == 201
    [second] = worklist(client, collector)["items"]
    assert [t["id"] for t in second["tasks"]] == [reminder["id"]]
    assert "never contacted" not in second["why"]
    assert second["priority"] < first["priority"]
    last = touch("t-2", task_id=reminder["id"], kind="reminder", outcome="payment_sent")
    assert client.post("/v1/touches", json=last, headers=collector).status_code == 201
    assert worklist(client, collector)["items"] == []


def test_a_customer_whose_due_tasks_are_all_held_is_not_on_the_list(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing, "inv-1", "c-1", issued=LATE)
    routed(client, store, billing, "inv-2", "c-2", issued=LATE)
    check = tasks(client, collector, invoice_id="inv-1")[0]
    promised = {"amount": 125_000, "currency": "USD", "pay_on": TODAY.isoformat()}
    body = touch(task_id=check["id"], outcome="promise_to_pay", promise=promised)
    assert client.post("/v1/touches", json=body, headers=collector).status_code == 201
    assert [i["customer_id"] for i in worklist(client, collector)["items"]] == ["c-2"]


def test_pages_add_up_to_the_whole_list(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    for n in range(7):
        routed(client, store, billing, f"inv-{n}", f"c-{n}", amount=10_000 * (n + 1), issued=LATE)
    whole = [i["customer_id"] for i in worklist(client, collector, limit=100)["items"]]
    assert whole == [f"c-{n}" for n in reversed(range(7))]
    paged: list[str] = []
    cursor = None
    while True:
        query = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = worklist(client, collector, **query)
        paged += [i["customer_id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == whole
    assert_problem(
        client.get("/v1/worklist", params={"cursor": "bm9wZQ"}, headers=collector), 422, "invalid"
    )


def test_the_list_of_another_day(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing, "inv-1", "c-1")  # issued 20 days ago: its check is in 5 days
    assert worklist(client, collector)["items"] == []
    ahead = (TODAY + timedelta(days=5)).isoformat()
    [item] = worklist(client, collector, on=ahead)["items"]
    assert [t["kind"] for t in item["tasks"]] == ["service_check"]
    assert "pre-due service check" in item["why"]
    assert item["overdue"] == []
