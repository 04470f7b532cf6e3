"""Single routes and payments written in one group (app/core/grouping.py): each call answered
as it would be alone, its audit row naming its own caller and request, and a refused call
leaving nothing behind."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.errors import Invalid
from app.core.grouping import Caller
from app.core.models import AuditEvent
from app.core.store import Store
from app.invoices import payments, service
from app.invoices.schemas import InvoiceIn, PaymentIn
from tests.support.invoices import counts, invoice, payment, route
from tests.support.keys import KeyMaker

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def group_sizes(client: TestClient, kind: str) -> tuple[float, float]:
    """termsgate_write_group_size{write=kind}: (its _count, its _sum) as /metrics shows them."""
    found = {"count": 0.0, "sum": 0.0}
    for line in client.get("/metrics").text.splitlines():
        for part in found:
            if line.startswith(f'termsgate_write_group_size_{part}{{write="{kind}"}}'):
                found[part] = float(line.rsplit(" ", 1)[1])
    return found["count"], found["sum"]


def audit_rows(store: Store, action: str) -> list[tuple[str, str, str | None]]:
    """(entity_id, actor, request_id) of each audit row of `action`, oldest first."""
    with store.reading() as session:
        rows = session.execute(
            select(AuditEvent.entity_id, AuditEvent.actor, AuditEvent.request_id)
            .where(AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
        return [(entity_id, actor, rid) for entity_id, actor, rid in rows]


def test_routes_written_together_are_each_answered_and_audited_as_their_own(
    client: TestClient, store: Store
) -> None:
    calls = [
        service.Call(InvoiceIn.model_validate(invoice("inv-1")), Caller("erp", "req-a"), NOW),
        service.Call(InvoiceIn.model_validate(invoice("inv-2")), Caller("shop", "req-b"), NOW),
        service.Call(InvoiceIn.model_validate(invoice("inv-1")), Caller("erp", "req-c"), NOW),
        service.Call(
            InvoiceIn.model_validate(invoice("inv-2", amount=1)), Caller("shop", "req-d"), NOW
        ),
    ]
    with store.ledger() as session:
        outcomes = service.route_calls(session, calls)

    assert [outcome.status for outcome in outcomes] == [201, 201, 200, 409]
    assert outcomes[2].route == outcomes[0].route
    assert outcomes[3].error is not None
    assert "another body" in outcomes[3].error["detail"]
    assert audit_rows(store, "invoice.routed") == [
        ("inv-1", "erp", "req-a"),
        ("inv-2", "shop", "req-b"),
    ]
    assert counts(store)[0] == 2


def test_payments_written_together_refuse_one_and_record_the_rest(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    route(client, billing, invoice("inv-1"))
    route(client, billing, invoice("inv-2"))

    def call(body: dict[str, Any], rid: str) -> payments.Call:
        return payments.Call(PaymentIn.model_validate(body), Caller("bank", rid), NOW)

    calls = [
        call(payment("pay-1", invoice_id="inv-2", amount=25_000), "req-a"),
        call(payment("pay-2", amount=999_999), "req-b"),  # more than inv-1 owes
        call(payment("pay-3", amount=50_000), "req-c"),
        call(payment("pay-1", invoice_id="inv-2", amount=25_000), "req-d"),  # a replay
        call(payment("pay-4", invoice_id="inv-9"), "req-e"),  # no such invoice
    ]
    with store.ledger() as session:
        answers = payments.pay_calls(session, calls)

    recorded, refused, paid, replayed, unknown = answers
    assert isinstance(refused, Invalid)
    assert "exceeds what is outstanding" in refused.detail
    assert isinstance(unknown, Invalid)
    assert not isinstance(recorded, Exception)
    assert not isinstance(paid, Exception)
    assert replayed == (recorded[0], True)
    assert (recorded[0]["invoice_id"], recorded[0]["outstanding"], recorded[1]) == (
        "inv-2",
        100_000,
        False,
    )
    assert (paid[0]["outstanding"], paid[1]) == (75_000, False)
    assert audit_rows(store, "payment.recorded") == [
        ("pay-1", "bank", "req-a"),
        ("pay-3", "bank", "req-c"),
    ]
    assert counts(store)[1] == 2


@pytest.mark.parametrize("path", ["/v1/invoice-routes", "/v1/payments"])
def test_concurrent_calls_through_http_each_get_their_own_answer_and_request_id(
    client: TestClient, store: Store, make_key: KeyMaker, path: str
) -> None:
    keys = [make_key("invoices:write", name=f"billing-{n}") for n in range(4)]
    if path == "/v1/payments":
        for n in range(40):
            route(client, keys[0], invoice(f"inv-{n}"))
        bodies = [payment(f"pay-{n}", invoice_id=f"inv-{n}", amount=n + 1) for n in range(40)]
        action = "payment.recorded"
    else:
        bodies = [invoice(f"inv-{n}", amount=n + 1) for n in range(40)]
        action = "invoice.routed"

    def send(n: int) -> tuple[str, str, str]:
        answer = client.post(path, json=bodies[n], headers=keys[n % 4])
        assert answer.status_code == 201, answer.text
        entity = answer.json()["payment_id" if path == "/v1/payments" else "invoice_id"]
        return entity, f"billing-{n % 4}", answer.headers["x-request-id"]

    kind = "payments" if path == "/v1/payments" else "routes"
    before = group_sizes(client, kind)
    with ThreadPoolExecutor(8) as pool:
        answered = list(pool.map(send, range(40)))

    assert sorted(audit_rows(store, action)) == sorted(answered)
    transactions, calls = group_sizes(client, kind)
    assert calls - before[1] == 40  # each call in exactly one group
    assert 1 <= transactions - before[0] <= 40
