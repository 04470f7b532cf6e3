"""The worklist: one entry per customer with open tasks due, money at risk first, the reasons
in words, held-only customers left off, and pages that add up to the whole list."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from random import Random
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.contacts import worklist as ranked
from app.core.models import ContactTask, Customer, Invoice, Promise, Touch
from app.core.store import Store, written_version
from tests.support.contacts import routed, tasks, touch
from tests.support.days import today
from tests.support.problems import assert_problem

pytestmark = pytest.mark.usefixtures("watched")
# Issued 40 days ago on net 30: due 10 days ago; the service check (due - 5) and the reminder
# (due + 3) are due, the escalation (due + 15) is not yet.
LATE_BY = timedelta(days=40)


def worklist(client: TestClient, headers: dict[str, str], **query: Any) -> dict[str, Any]:
    answer = client.get("/v1/worklist", params=query, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_more_overdue_money_ranks_first_and_says_why(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing, "inv-1", "c-small", amount=25_000, issued=today() - LATE_BY)
    routed(client, store, billing, "inv-2", "c-big", amount=2_500_000, issued=today() - LATE_BY)
    listed = worklist(client, collector)
    assert listed["on"] == today().isoformat()
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
    routed(client, store, billing, "inv-1", "c-1", issued=today() - LATE_BY)
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
    routed(client, store, billing, "inv-1", "c-1", issued=today() - LATE_BY)
    routed(client, store, billing, "inv-2", "c-2", issued=today() - LATE_BY)
    check = tasks(client, collector, invoice_id="inv-1")[0]
    promised = {"amount": 125_000, "currency": "USD", "pay_on": today().isoformat()}
    body = touch(task_id=check["id"], outcome="promise_to_pay", promise=promised)
    assert client.post("/v1/touches", json=body, headers=collector).status_code == 201
    assert [i["customer_id"] for i in worklist(client, collector)["items"]] == ["c-2"]


def test_pages_add_up_to_the_whole_list(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    for n in range(7):
        routed(
            client,
            store,
            billing,
            f"inv-{n}",
            f"c-{n}",
            amount=10_000 * (n + 1),
            issued=today() - LATE_BY,
        )
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
    ahead = (today() + timedelta(days=5)).isoformat()
    [item] = worklist(client, collector, on=ahead)["items"]
    assert [t["kind"] for t in item["tasks"]] == ["service_check"]
    assert "pre-due service check" in item["why"]
    assert item["overdue"] == []


# Customer ids that sort differently by code point than in most locales' collations.
ID_FORMS = ("c-{:03d}", "C-{:03d}", "c_{:03d}", "c.{:03d}", "cz{:03d}", "c{:03d}", "Ä{:03d}")
CURRENCIES = ("USD", "EUR", "JPY", "KWD", "CLF", "GBP")


def varied(store: Store, seed: int, on: date) -> None:
    """Customers due on `on` in every combination the priority knows: owing in up to four
    currencies of exponents 0 to 4 (partly paid, past due or not), classified or not (or not
    a customer at all), touched before, on or after the day, promises broken within the year
    and before it, pre-due service checks, held and future tasks; and clones that differ only in
    their ids, whose priorities tie."""
    rng = Random(seed)
    with store.writing() as session:
        version = written_version(session)
        for n in range(140):
            clones = 3 if n % 10 == 0 else 1
            kinds = rng.choice(("service_check", "reminder", "escalation"))
            payer = rng.choice(("poor", "average", "good", None, "unheard-of"))
            tier = rng.choice(("low", "high", None))
            known = rng.random() < 0.9
            bills = [
                (
                    rng.choice(CURRENCIES),
                    rng.choice((1, 99, 12_345, 5_000_000, 987_654_321)),
                    on + timedelta(days=rng.randint(-120, 20)),
                    rng.random() < 0.3,
                )
                for _ in range(rng.randint(1, 5))
            ]
            touched = [on + timedelta(days=rng.randint(-90, 2)) for _ in range(rng.randint(0, 3))]
            broken = [on - timedelta(days=rng.randint(1, 500)) for _ in range(rng.randint(0, 4))]
            for clone in range(clones):
                customer_id = ID_FORMS[(n + clone) % len(ID_FORMS)].format(n)
                if known:
                    session.add(
                        Customer(
                            customer_id=customer_id,
                            payer_class=payer,
                            value_tier=tier,
                            changed_version=version,
                        )
                    )
                for b, (currency, amount, due_on, part) in enumerate(bills):
                    invoice_id = f"{customer_id}/{b}"
                    session.add(
                        Invoice(
                            invoice_id=invoice_id,
                            customer_id=customer_id,
                            amount=amount,
                            currency=currency,
                            issued_on=due_on - timedelta(days=30),
                            due_on=due_on,
                            terms_type="net",
                            net_days=30,
                            origin="route",
                            paid_amount=amount // 3 if part else 0,
                            changed_version=version,
                        )
                    )
                    session.flush()
                    for t, status in enumerate(("open", "held", "open")):
                        scheduled = due_on + timedelta(days=rng.randint(-8, 8) + 4 * t)
                        session.add(
                            ContactTask(
                                invoice_id=invoice_id,
                                customer_id=customer_id,
                                scheduled_on=scheduled,
                                channel="phone",
                                kind="service_check" if t == 0 else kinds,
                                status=status,
                                origin="plan",
                            )
                        )
                for t, day in enumerate(touched):
                    at = datetime.combine(day, time(23, 59, 59, 999_999), UTC)
                    session.add(
                        Touch(
                            touch_id=f"{customer_id}/t{t}",
                            invoice_id=f"{customer_id}/0",
                            customer_id=customer_id,
                            channel="phone",
                            kind="reminder",
                            occurred_at=at,
                            outcome="no_answer",
                            before_due=False,
                            outstanding=0,
                            currency="USD",
                            recorded_at=at,
                            recorded_by="test",
                            request_sha256="0" * 64,
                            answer={},
                        )
                    )
                for p, keep_by in enumerate(broken):
                    session.add(
                        Promise(
                            id=f"{customer_id}/p{p}",
                            invoice_id=f"{customer_id}/0",
                            customer_id=customer_id,
                            touch_id="-",
                            amount=1,
                            currency="USD",
                            pay_on=keep_by,
                            keep_by=keep_by,
                            status=rng.choice(("broken", "broken", "kept")),
                            made_at=datetime.combine(keep_by, time(), UTC),
                        )
                    )


@pytest.mark.parametrize("days", [0, 9])
def test_the_stores_ranking_is_pythons(store: Store, days: int) -> None:
    """PostgreSQL ranks in SQL (app/contacts/priorities.py), SQLite in Python: page after page,
    the same customers in the same order with the same priorities and words as Python's
    ranking of the whole list."""
    on = today() + timedelta(days=days)
    varied(store, 18 + days, on)
    with store.reading() as session:
        whole = ranked.ranking(session, on, after=None, limit=None)
    assert len(whole) > 100
    assert len({c.priority for c in whole}) < len(whole)  # ties, broken by customer id
    paged: list[tuple[str, float, list[str]]] = []
    cursor = None
    while True:
        with store.reading() as session:
            page = ranked.day_list(session, on, cursor=cursor, limit=17)
        paged += [(i.customer_id, i.priority, i.why) for i in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert [(c, p) for c, p, _ in paged] == [(c.customer_id, c.priority) for c in whole]
    words = {c.customer_id: c for c in whole}
    for customer_id, _, why in paged:
        candidate = words[customer_id]
        factors = ranked._factors(candidate, on, words=True)
        assert why == [w for _, w in sorted(factors, key=lambda f: -f[0])]
