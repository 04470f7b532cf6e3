"""Promises to pay: they hold the reminders up to their last day, payments that reach them in
time keep them at once, and the sweep breaks the rest exactly once."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.contacts import service as contacts
from app.core.clock import Clock
from app.core.config import Settings
from app.core.models import AuditEvent, ContactTask
from app.core.store import Store
from tests.support.contacts import routed, rows, statuses, tasks, touch
from tests.support.days import today
from tests.support.invoices import events, payment
from tests.support.metrics import sample

pytestmark = pytest.mark.usefixtures("watched")
# The watch plan's reminder falls on today + 13, its escalation on today + 25. The promises are
# to pay in 14 days, and kept until two days after that (the default grace).
PAY_IN = timedelta(days=14)
KEEP_FOR = PAY_IN + timedelta(days=2)


def promise_touch(touch_id: str = "t-1", amount: int = 50_000, **changes: Any) -> dict[str, Any]:
    promised = {"amount": amount, "currency": "USD", "pay_on": (today() + PAY_IN).isoformat()}
    return touch(touch_id, outcome="promise_to_pay", promise=promised, **changes)


def promise(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post("/v1/touches", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()["promise"]
    return made


def listed(client: TestClient, headers: dict[str, str], **query: Any) -> list[dict[str, Any]]:
    answer = client.get("/v1/promises", params=query, headers=headers)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def test_an_open_promise_holds_the_reminders_dated_up_to_its_last_day(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    made = promise(client, collector, promise_touch())
    assert made | {"id": "…"} == {
        "id": "…",
        "invoice_id": "inv-1",
        "customer_id": "c-1",
        "amount": 50_000,
        "currency": "USD",
        "pay_on": (today() + PAY_IN).isoformat(),
        "status": "open",
    }
    assert made["id"].startswith("prm_")
    # The reminder (today + 13) is held; the escalation (today + 25) and the service check not.
    assert statuses(client, collector) == {
        "service_check": "open",
        "reminder": "held",
        "escalation": "open",
    }
    assert listed(client, collector, status="open", customer_id="c-1") == [made]
    assert listed(client, collector, status="kept") == []


def test_payments_that_reach_the_promise_in_time_keep_it_at_once(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    promise(client, collector, promise_touch(amount=50_000))
    short = client.post("/v1/payments", json=payment(amount=30_000), headers=billing)
    assert short.status_code == 201, short.text
    assert [p["status"] for p in listed(client, collector)] == ["open"]

    rest = payment("pay-2", amount=20_000, paid_on=today().isoformat())
    assert client.post("/v1/payments", json=rest, headers=billing).status_code == 201
    assert [p["status"] for p in listed(client, collector)] == ["kept"]
    # Partly paid, so the reminder is back; nothing was broken or added.
    assert statuses(client, collector)["reminder"] == "open"
    assert len(tasks(client, collector)) == 3
    with store.reading() as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "promise")
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["promise.made", "promise.kept"]


def test_a_payment_recorded_before_the_promise_does_not_keep_it(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    assert (
        client.post("/v1/payments", json=payment(amount=60_000), headers=billing).status_code == 201
    )
    promise(client, collector, promise_touch(amount=50_000))
    assert [p["status"] for p in listed(client, collector)] == ["open"]


def test_the_sweep_breaks_a_promise_past_its_last_day_once(
    client: TestClient,
    store: Store,
    settings: Settings,
    billing: dict[str, str],
    collector: dict[str, str],
) -> None:
    routed(client, store, billing)
    promise(client, collector, promise_touch())
    before = len(events(store))
    on_last_day = Clock(shift=KEEP_FOR)
    assert contacts.sweep(store, settings, on_last_day).broken == 0

    day_after = Clock(shift=KEEP_FOR + timedelta(days=1))
    assert contacts.sweep(store, settings, day_after).broken == 1
    assert contacts.sweep(store, settings, day_after).broken == 0
    [broken] = listed(client, collector)
    assert broken["status"] == "broken"
    sent = events(store)[before:]
    assert [(e["event_type"], e["workflow_key"]) for e in sent] == [("promise.broken", "net_30")]
    assert sent[0]["body"]["data"] == broken
    # The reminder opens again, and an escalation is added for the next day.
    planned = tasks(client, collector, on=(today() + KEEP_FOR + timedelta(days=60)).isoformat())
    assert [(t["kind"], t["status"], t["on"]) for t in planned][1:] == [
        ("reminder", "open", (today() + timedelta(days=13)).isoformat()),
        ("escalation", "open", (today() + timedelta(days=25)).isoformat()),
        ("escalation", "open", (today() + KEEP_FOR + timedelta(days=2)).isoformat()),
    ]
    # A payment now keeps nothing: a broken promise stays broken.
    assert (
        client.post("/v1/payments", json=payment(amount=50_000), headers=billing).status_code == 201
    )
    assert [p["status"] for p in listed(client, collector)] == ["broken"]


def test_sweeps_running_at_once_break_each_promise_exactly_once(
    client: TestClient,
    store: Store,
    settings: Settings,
    billing: dict[str, str],
    collector: dict[str, str],
) -> None:
    count = 12
    for n in range(count):
        routed(client, store, billing, invoice_id=f"inv-{n}", customer_id=f"c-{n % 3}")
        body = promise_touch(f"t-{n}", invoice_id=f"inv-{n}")
        promise(client, collector, body)
    before = len(events(store))
    later = Clock(shift=KEEP_FOR + timedelta(days=1))
    others = [Store(settings) for _ in range(3)]
    broken: list[int] = []
    start = threading.Barrier(len(others))

    def sweep(own: Store) -> None:
        start.wait()
        broken.append(contacts.sweep(own, settings, later).broken)

    threads = [threading.Thread(target=sweep, args=(own,)) for own in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for own in others:
        own.dispose()
    assert sum(broken) == count
    sent = [e["event_type"] for e in events(store)[before:]]
    assert sent == ["promise.broken"] * count
    with store.reading() as session:
        added = session.scalars(
            select(ContactTask.id).where(ContactTask.origin == "promise_broken")
        ).all()
    assert len(added) == count
    assert sample(client, "termsgate_promises_total", status="broken") >= count


def test_a_promise_is_counted_when_made(
    client: TestClient, store: Store, billing: dict[str, str], collector: dict[str, str]
) -> None:
    routed(client, store, billing)
    made_before = sample(client, "termsgate_promises_total", status="open")
    promise(client, collector, promise_touch())
    assert sample(client, "termsgate_promises_total", status="open") == made_before + 1
    assert rows(store)["promises"] == 1
