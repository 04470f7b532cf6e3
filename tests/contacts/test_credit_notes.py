"""A credit note settles part of an invoice: the invoice shows it, and no KPI counts it as cash."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.contacts import ISSUED_AGO, routed, touch
from tests.support.days import today
from tests.support.invoices import payment
from tests.support.keys import KeyMaker

pytestmark = pytest.mark.usefixtures("watched")


@pytest.fixture
def reports(make_key: KeyMaker) -> dict[str, str]:
    return make_key("reports:read", name="finance-reports")


def credited(
    client: TestClient,
    store: Store,
    keys: tuple[dict[str, str], dict[str, str], dict[str, str]],
) -> str:
    """inv-1 (125,000) paid 25,000 in cash today, disputed for 40,000 and resolved today with a
    credit note of 30,000; the dispute's id."""
    billing, collector, finance = keys
    routed(client, store, billing)
    paid = client.post(
        "/v1/payments", json=payment(amount=25_000, paid_on=today().isoformat()), headers=billing
    )
    assert paid.status_code == 201, paid.text
    disputed = touch(outcome="dispute", dispute={"reason": "price", "amount": 40_000})
    opened = client.post("/v1/touches", json=disputed, headers=collector)
    assert opened.status_code == 201, opened.text
    dispute_id: str = opened.json()["dispute"]["id"]
    resolution = {"resolution": "credit_note", "credit_amount": 30_000}
    resolved = client.post(f"/v1/disputes/{dispute_id}/resolve", json=resolution, headers=finance)
    assert resolved.status_code == 200, resolved.text
    return dispute_id


def get(client: TestClient, path: str, headers: dict[str, str], **query: Any) -> dict[str, Any]:
    answer = client.get(path, params=query, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_an_invoice_shows_its_credit_notes_and_owes_less(
    client: TestClient,
    store: Store,
    billing: dict[str, str],
    collector: dict[str, str],
    finance: dict[str, str],
) -> None:
    dispute_id = credited(client, store, (billing, collector, finance))

    shown = get(client, "/v1/invoices/inv-1", billing)
    listed = get(client, "/v1/customers/c-1/invoices", billing)["items"]

    assert shown["outstanding"] == 125_000 - 25_000 - 30_000
    assert shown["status"] == "open"
    assert shown["credited_amount"] == 30_000
    assert [p["amount"] for p in shown["payments"]] == [25_000]
    [note] = shown["credit_notes"]
    assert note["dispute_id"] == dispute_id
    assert note["amount"] == 30_000
    assert date.fromisoformat(note["issued_at"][:10]) == today()
    assert listed == [shown]


def test_an_invoice_without_credit_notes_shows_none(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    routed(client, store, billing)

    shown = get(client, "/v1/invoices/inv-1", billing)

    assert (shown["credited_amount"], shown["credit_notes"]) == (0, [])


def test_cei_counts_only_cash_as_collected(
    client: TestClient,
    store: Store,
    billing: dict[str, str],
    collector: dict[str, str],
    finance: dict[str, str],
    reports: dict[str, str],
) -> None:
    credited(client, store, (billing, collector, finance))
    issued = today() - ISSUED_AGO

    body = get(client, "/v1/kpis/cei", reports, currency="USD", **{"from": issued, "to": today()})

    assert body["receivables_start"]["amount"] == 0
    assert body["credit_sales"]["amount"] == 125_000
    assert body["credit_notes"]["amount"] == 30_000
    assert body["receivables_end"]["amount"] == 70_000
    # Only the 25,000 of cash: the credit note lowered what is owed without being collected.
    assert body["collected"]["amount"] == 25_000
    # Nothing is past due at the end: all there was to collect (the 25,000 paid) came in.
    assert body["current_receivables_end"]["amount"] == 70_000
    assert body["cei"] == 100.0


def test_before_its_day_a_credit_note_still_leaves_the_invoice_owed(
    client: TestClient,
    store: Store,
    billing: dict[str, str],
    collector: dict[str, str],
    finance: dict[str, str],
    reports: dict[str, str],
) -> None:
    credited(client, store, (billing, collector, finance))
    issued, yesterday = today() - ISSUED_AGO, today() - timedelta(days=1)

    cei = get(client, "/v1/kpis/cei", reports, currency="USD", **{"from": issued, "to": yesterday})
    dso = get(client, "/v1/kpis/dso", reports, currency="USD", **{"from": issued, "to": yesterday})
    then = get(client, "/v1/kpis/ageing", reports, currency="USD", as_of=yesterday)
    now = get(client, "/v1/kpis/ageing", reports, currency="USD", as_of=today())

    assert cei["receivables_end"]["amount"] == 125_000
    assert (cei["credit_notes"]["amount"], cei["collected"]["amount"]) == (0, 0)
    assert dso["receivables_end"]["amount"] == 125_000
    assert then["total"] == {"count": 1, "sum": {"amount": 125_000, "currency": "USD"}}
    assert now["total"] == {"count": 1, "sum": {"amount": 70_000, "currency": "USD"}}
