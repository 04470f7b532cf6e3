"""What the invoice tests share: a billing key, bodies, webhooks and the rows behind them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import httpx
import orjson
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from app.core.models import Invoice, LedgerChange, OutboxEvent, Payment, StoreVersion
from app.core.store import Store
from tests.support.postgres import free_port

ISSUED_ON = date(2026, 11, 2)
ROUTED = "termsgate_invoices_routed_total"


def invoice(invoice_id: str = "inv-1", **changes: Any) -> dict[str, Any]:
    """A valid POST /v1/invoice-routes body, with `changes` applied."""
    body: dict[str, Any] = {
        "invoice_id": invoice_id,
        "customer_id": "c-1",
        "amount": 125_000,
        "currency": "USD",
        "issued_on": ISSUED_ON.isoformat(),
    }
    body.update(changes)
    return body


def payment(payment_id: str = "pay-1", **changes: Any) -> dict[str, Any]:
    """A valid POST /v1/payments body against inv-1, with `changes` applied."""
    body: dict[str, Any] = {
        "payment_id": payment_id,
        "invoice_id": "inv-1",
        "amount": 50_000,
        "currency": "USD",
        "paid_on": "2026-11-10",
    }
    body.update(changes)
    return body


def rfc3339(stamp: str) -> datetime:
    """A timestamp with an offset (RFC 3339), as a timezone-aware datetime."""
    parsed = datetime.fromisoformat(stamp)
    assert parsed.utcoffset() is not None, stamp
    return parsed


def loopback_hook() -> str:
    """A receiver URL on loopback that nothing listens on: events stay in the outbox."""
    return f"http://127.0.0.1:{free_port()}/hooks"


def set_webhook(client: httpx.Client, ops: dict[str, str], workflow: str) -> None:
    """Give a default workflow (revision 1 in a fresh store) a webhook."""
    answer = client.put(
        f"/v1/workflows/{workflow}",
        json={"name": workflow, "webhook_url": loopback_hook()},
        headers={**ops, "If-Match": '"1"'},
    )
    assert answer.status_code == 200, answer.text


def route(client: TestClient, billing: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    """POST a new invoice route; it must be created."""
    answer = client.post("/v1/invoice-routes", json=body, headers=billing)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def events(store: Store) -> list[dict[str, Any]]:
    """The outbox, oldest first: each row's columns plus its parsed body."""
    with store.reading() as session:
        rows = session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)).all()
        return [
            {
                "event_id": row.event_id,
                "event_type": row.event_type,
                "workflow_key": row.workflow_key,
                "status": row.status,
                "body": orjson.loads(row.body),
            }
            for row in rows
        ]


def counts(store: Store) -> tuple[int, int, int]:
    """(invoices, payments, outbox events) in the store."""
    with store.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(Invoice)) or 0,
            session.scalar(select(func.count()).select_from(Payment)) or 0,
            session.scalar(select(func.count()).select_from(OutboxEvent)) or 0,
        )


def feed(store: Store) -> list[LedgerChange]:
    """The change feed of credit exposure, in order."""
    with store.reading() as session:
        return list(session.scalars(select(LedgerChange).order_by(LedgerChange.seq)))


def store_version(store: Store) -> int:
    with store.reading() as session:
        return session.execute(select(StoreVersion.version)).scalar_one()


def routed_total(client: httpx.Client, segment: str, workflow: str) -> float:
    """termsgate_invoices_routed_total{segment, workflow} as GET /metrics shows it."""
    labels = {"segment": segment, "workflow": workflow}
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            if sample.name == ROUTED and sample.labels == labels:
                return sample.value
    return 0.0
