"""What has not happened yet is refused as the history import refuses it: a payment, or an
invoice's issue, dated after tomorrow (UTC). And a batch item's refusal names its index."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from tests.support.invoices import counts, invoice, payment, route
from tests.support.problems import assert_problem, error_locs

BATCH = "/v1/invoice-routes/batch"


def test_a_payment_dated_after_tomorrow_is_422_at_paid_on(
    client: TestClient, store: Store, billing: dict[str, str], clock: Clock
) -> None:
    route(client, billing, invoice())
    tomorrow = clock.today() + timedelta(days=1)
    for paid_on in ("2999-01-01", (tomorrow + timedelta(days=1)).isoformat()):
        answer = client.post("/v1/payments", json=payment(paid_on=paid_on), headers=billing)
        body = assert_problem(answer, 422, "invalid")
        assert error_locs(body) == [["body", "paid_on"]]
        assert "future" in body["detail"]
    assert counts(store)[1] == 0
    answer = client.post(
        "/v1/payments", json=payment(paid_on=tomorrow.isoformat()), headers=billing
    )
    assert answer.status_code == 201, answer.text


def test_an_invoice_issued_after_tomorrow_is_422_at_issued_on_alone_and_in_a_batch(
    client: TestClient, store: Store, billing: dict[str, str], clock: Clock
) -> None:
    tomorrow = clock.today() + timedelta(days=1)
    for issued_on in ("2999-06-01", (tomorrow + timedelta(days=1)).isoformat()):
        body = invoice("inv-late", issued_on=issued_on)
        answer = client.post("/v1/invoice-routes", json=body, headers=billing)
        assert error_locs(assert_problem(answer, 422, "invalid")) == [["body", "issued_on"]]
    items = [invoice("inv-1"), invoice("inv-late", issued_on="2999-06-01")]
    answered = client.post(BATCH, json={"invoices": items}, headers=billing).json()["results"]
    assert [r["status"] for r in answered] == [201, 422]
    assert error_locs(answered[1]["error"]) == [["body", "invoices", 1, "issued_on"]]
    assert counts(store)[0] == 1
    answer = client.post(
        "/v1/invoice-routes", json=invoice("inv-2", issued_on=tomorrow.isoformat()), headers=billing
    )
    assert answer.status_code == 201, answer.text


def test_a_batch_items_refusal_names_its_index_in_the_location_and_the_detail(
    client: TestClient, billing: dict[str, str]
) -> None:
    route(client, billing, invoice("inv-taken"))
    items = [
        invoice("inv-1"),
        invoice("inv-2"),
        invoice("inv-taken", amount=1),
        invoice("inv-3", amount=True),
        "not an invoice",
    ]
    answered = client.post(BATCH, json={"invoices": items}, headers=billing).json()["results"]
    assert [r["status"] for r in answered] == [201, 201, 409, 422, 422]
    taken, bad, not_one = (r["error"] for r in answered[2:])
    assert taken["type"] == "urn:termsgate:problem:conflict"
    assert "Invoice 2 of the batch" in taken["detail"]
    assert error_locs(taken) == [["body", "invoices", 2, "invoice_id"]]
    assert error_locs(bad) == [["body", "invoices", 3, "amount"]]
    assert "Invoice 3 of the batch" in bad["detail"]
    assert "amount" in bad["detail"]
    assert error_locs(not_one) == [["body", "invoices", 4]]
    assert "Invoice 4 of the batch" in not_one["detail"]
