"""What the contact loop tests share: a segment whose plan has every kind of step, a customer
placed in it, an invoice routed there, and touch bodies."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.core.models import ContactTask, Dispute, OutboxEvent, Promise, Touch
from app.core.store import Store
from tests.support.days import today
from tests.support.invoices import route
from tests.support.segments import place

# Routed 20 days ago with net 30, an invoice is due in 10 days (today + DUE_IN); the plan's
# steps fall on its due date -5, +3 and +15.
ISSUED_AGO = timedelta(days=20)
DUE_IN = timedelta(days=10)
WATCH_PLAN = [
    {"offset_days": -5, "relative_to": "due", "channel": "phone", "kind": "service_check"},
    {"offset_days": 3, "relative_to": "due", "channel": "email", "kind": "reminder"},
    {"offset_days": 15, "relative_to": "due", "channel": "phone", "kind": "escalation"},
]


def watch_segment(client: TestClient, ops: dict[str, str]) -> None:
    """A net 30 segment routed to the net_30 workflow, with a service check, a reminder and an
    escalation in its plan."""
    body = {
        "name": "Watch",
        "terms": {"type": "net", "net_days": 30},
        "workflow": "net_30",
        "contact_plan": WATCH_PLAN,
    }
    answer = client.put("/v1/segments/watch", json=body, headers=ops)
    assert answer.status_code == 201, answer.text


def routed(
    client: TestClient,
    store: Store,
    billing: dict[str, str],
    invoice_id: str = "inv-1",
    customer_id: str = "c-1",
    amount: int = 125_000,
    issued: date | None = None,
) -> dict[str, Any]:
    """An invoice of a customer in the watch segment, routed; issued 20 days ago unless said."""
    if customer_id not in placed(store):
        place(store, customer_id, "watch")
    body = {
        "invoice_id": invoice_id,
        "customer_id": customer_id,
        "amount": amount,
        "currency": "USD",
        "issued_on": (issued or today() - ISSUED_AGO).isoformat(),
    }
    return route(client, billing, body)


def placed(store: Store) -> set[str]:
    from app.core.models import Customer

    with store.reading() as session:
        return set(session.scalars(select(Customer.customer_id)))


def touch(touch_id: str = "t-1", **changes: Any) -> dict[str, Any]:
    """A valid POST /v1/touches body about inv-1, with `changes` applied."""
    body: dict[str, Any] = {
        "touch_id": touch_id,
        "invoice_id": "inv-1",
        "channel": "phone",
        "kind": "service_check",
        "occurred_at": f"{today().isoformat()}T09:30:00Z",
        "outcome": "no_issue",
    }
    body.update(changes)
    return body


def tasks(client: TestClient, headers: dict[str, str], **query: Any) -> list[dict[str, Any]]:
    """GET /v1/contact-tasks far enough ahead to see every planned step."""
    params = {"on": (today() + DUE_IN + timedelta(days=60)).isoformat(), **query}
    answer = client.get("/v1/contact-tasks", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def statuses(
    client: TestClient, headers: dict[str, str], invoice_id: str = "inv-1"
) -> dict[str, str]:
    """Each task's status by kind, for one invoice."""
    return {t["kind"]: t["status"] for t in tasks(client, headers, invoice_id=invoice_id)}


def rows(store: Store) -> dict[str, int]:
    """How many rows each contact table holds, and the outbox."""
    with store.reading() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (ContactTask, Touch, Promise, Dispute, OutboxEvent)
        }
