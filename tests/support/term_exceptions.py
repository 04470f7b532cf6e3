"""What the term exception tests share: sales, finance and reader keys, bodies, and the outbox."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.models import OutboxEvent
from app.core.store import Store


def asking(segment: str = "net_30", customer_id: str = "c-1", **extra: Any) -> dict[str, Any]:
    """A valid POST /v1/term-exceptions body, with `extra` fields added."""
    return {"customer_id": customer_id, "segment": segment, "reason": "strategic account", **extra}


def request_exception(
    client: TestClient, sales: dict[str, str], segment: str = "net_30", **extra: Any
) -> dict[str, Any]:
    """Request an exception; it must be created, pending. Returns it as the API shows it."""
    answer = client.post("/v1/term-exceptions", json=asking(segment, **extra), headers=sales)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    assert body["status"] == "pending"
    return body


def decide(
    client: TestClient,
    headers: dict[str, str],
    exception_id: str,
    decision: str = "approve",
    **body: Any,
) -> dict[str, Any]:
    """Approve or reject; it must succeed. Returns the exception as the API shows it."""
    path = f"/v1/term-exceptions/{exception_id}/{decision}"
    answer = client.post(path, json=body or None, headers=headers)
    assert answer.status_code == 200, answer.text
    decided: dict[str, Any] = answer.json()
    return decided


def terms_of(client: TestClient, headers: dict[str, str], customer_id: str) -> dict[str, Any]:
    answer = client.get(f"/v1/customers/{customer_id}/terms", headers=headers)
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def hook_finance(client: TestClient, ops: dict[str, str], url: str) -> str:
    """Point the finance_approvals workflow at `url`; returns its signing secret."""
    revision = client.get("/v1/workflows/finance_approvals", headers=ops).headers["etag"]
    answer = client.put(
        "/v1/workflows/finance_approvals",
        json={"name": "Finance approvals", "webhook_url": url},
        headers={**ops, "If-Match": revision},
    )
    assert answer.status_code == 200, answer.text
    secret: str = answer.json()["secret"]
    return secret


def finance_events(store: Store) -> list[dict[str, Any]]:
    """The bodies of the events queued for finance_approvals, oldest first."""
    with store.reading() as session:
        rows = session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.workflow_key == "finance_approvals")
            .order_by(OutboxEvent.id)
        )
        return [orjson.loads(row.body) for row in rows]
