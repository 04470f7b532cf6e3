"""Routes and payments are audited in their own transaction: one row per new route or payment."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.audit import service as audit
from app.core.models import AuditEvent
from app.core.store import Store
from tests.support.invoices import invoice, payment


def audited(store: Store, action: str) -> list[AuditEvent]:
    with store.reading() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows


def test_each_new_route_and_payment_has_one_audit_row_and_the_chain_holds(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    batch = {"invoices": [invoice(f"inv-{n}") for n in range(1, 301)] + [{"bad": 1}]}
    assert client.post("/v1/invoice-routes/batch", json=batch, headers=billing).status_code == 200
    # Replays and refusals write nothing, so they audit nothing.
    assert (
        client.post("/v1/invoice-routes", json=invoice("inv-1"), headers=billing).status_code == 200
    )
    assert (
        client.post(
            "/v1/invoice-routes", json=invoice("inv-1", amount=1), headers=billing
        ).status_code
        == 409
    )
    assert client.post("/v1/payments", json=payment(), headers=billing).status_code == 201
    assert client.post("/v1/payments", json=payment(), headers=billing).status_code == 200

    routes = audited(store, "invoice.routed")
    assert [row.entity_id for row in routes] == [f"inv-{n}" for n in range(1, 301)]
    first = routes[0]
    assert (first.actor, first.entity_type) == ("billing", "invoice")
    assert first.after is not None
    assert first.after["terms"] == {"type": "pay_on_order", "net_days": 0}
    assert first.after["amount"] == 125_000
    payments = audited(store, "payment.recorded")
    assert [(row.entity_id, row.actor) for row in payments] == [("pay-1", "billing")]
    assert payments[0].after is not None
    assert payments[0].after["outstanding"] == 75_000
    with store.reading() as session:
        check = audit.verify(session)
    assert check.intact, check
