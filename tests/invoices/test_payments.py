"""POST /v1/payments: partial payments add up, each recorded once, never past what is owed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.invoices import counts, invoice, payment, route, store_version
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem, error_locs

PAYMENTS = "/v1/payments"
AMOUNT = 125_000  # what invoice() bills


def state(client: TestClient, billing: dict[str, str]) -> tuple[str, int]:
    """(status, outstanding) of inv-1 as billing reads it."""
    body = client.get("/v1/invoice-routes/inv-1", headers=billing).json()
    return body["status"], body["outstanding"]


def pay(client: TestClient, billing: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(PAYMENTS, json=body, headers=billing)
    assert answer.status_code == 201, answer.text
    assert "idempotent-replayed" not in answer.headers
    recorded: dict[str, Any] = answer.json()
    return recorded


def test_partial_payments_add_up_until_the_invoice_is_paid(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    route(client, billing, invoice())
    assert state(client, billing) == ("open", AMOUNT)

    first = pay(client, billing, payment("pay-1", amount=50_000, paid_on="2026-11-10"))
    assert first == {
        "payment_id": "pay-1",
        "invoice_id": "inv-1",
        "amount": 50_000,
        "currency": "USD",
        "paid_on": "2026-11-10",
        "invoice_status": "open",
        "outstanding": 75_000,
    }
    assert state(client, billing) == ("open", 75_000)

    second = pay(client, billing, payment("pay-2", amount=74_999))
    assert (second["invoice_status"], second["outstanding"]) == ("open", 1)
    last = pay(client, billing, payment("pay-3", amount=1))
    assert (last["invoice_status"], last["outstanding"]) == ("paid", 0)
    assert state(client, billing) == ("paid", 0)
    assert counts(store) == (1, 3, 0)


def test_replay_of_the_same_payment_is_200_and_counted_once(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    route(client, billing, invoice())
    first = pay(client, billing, payment())

    for body in (payment(), dict(reversed(list(payment().items())))):
        again = client.post(PAYMENTS, json=body, headers=billing)
        assert again.status_code == 200
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == first
    assert state(client, billing) == ("open", AMOUNT - payment()["amount"])
    assert counts(store) == (1, 1, 0)


def test_same_payment_id_with_another_body_is_409_and_changes_nothing(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    route(client, billing, invoice())
    route(client, billing, invoice("inv-2"))
    pay(client, billing, payment())
    version = store_version(store)

    for other in (
        payment(amount=50_001),
        payment(invoice_id="inv-2"),
        payment(paid_on="2026-11-11"),
    ):
        answer = client.post(PAYMENTS, json=other, headers=billing)
        assert "pay-1" in assert_problem(answer, 409, "conflict")["detail"]

    assert state(client, billing) == ("open", AMOUNT - payment()["amount"])
    inv_2 = client.get("/v1/invoice-routes/inv-2", headers=billing).json()
    assert (inv_2["status"], inv_2["outstanding"]) == ("open", AMOUNT)
    assert counts(store) == (2, 1, 0)
    assert store_version(store) == version


def test_a_payment_against_an_unknown_invoice_is_422(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    answer = client.post(PAYMENTS, json=payment(invoice_id="inv-nope"), headers=billing)
    assert error_locs(assert_problem(answer, 422, "invalid")) == [["body", "invoice_id"]]
    assert counts(store) == (0, 0, 0)


def test_a_payment_in_another_currency_is_422(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    route(client, billing, invoice())
    answer = client.post(PAYMENTS, json=payment(currency="EUR"), headers=billing)
    body = assert_problem(answer, 422, "invalid")
    assert error_locs(body) == [["body", "currency"]]
    assert "USD" in body["detail"]
    assert state(client, billing) == ("open", AMOUNT)
    assert counts(store) == (1, 0, 0)


def test_overpayment_is_422_and_outstanding_never_goes_negative(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    route(client, billing, invoice())
    too_much = client.post(PAYMENTS, json=payment(amount=AMOUNT + 1), headers=billing)
    assert error_locs(assert_problem(too_much, 422, "invalid")) == [["body", "amount"]]
    assert state(client, billing) == ("open", AMOUNT)

    pay(client, billing, payment("pay-1", amount=AMOUNT - 10))
    over_the_rest = client.post(PAYMENTS, json=payment("pay-2", amount=11), headers=billing)
    assert_problem(over_the_rest, 422, "invalid")
    pay(client, billing, payment("pay-2", amount=10))  # a refused payment_id is not used up
    after_paid = client.post(PAYMENTS, json=payment("pay-3", amount=1), headers=billing)
    assert_problem(after_paid, 422, "invalid")

    assert state(client, billing) == ("paid", 0)
    assert counts(store) == (1, 2, 0)


def test_invalid_payment_fields_are_422(
    client: TestClient, store: Store, billing: dict[str, str]
) -> None:
    route(client, billing, invoice())
    without_paid_on = payment()
    del without_paid_on["paid_on"]
    cases = [
        (payment(amount=0), ["body", "amount"]),
        (payment(amount=-5), ["body", "amount"]),
        (payment(currency="usd"), ["body", "currency"]),
        (payment("pay 1"), ["body", "payment_id"]),
        (payment(status="settled"), ["body", "status"]),
        (without_paid_on, ["body", "paid_on"]),
    ]
    for body, loc in cases:
        answer = client.post(PAYMENTS, json=body, headers=billing)
        assert error_locs(assert_problem(answer, 422, "invalid")) == [loc], body
    assert state(client, billing) == ("open", AMOUNT)
    assert counts(store) == (1, 0, 0)


def test_payments_need_invoices_write(
    client: TestClient, store: Store, make_key: KeyMaker, billing: dict[str, str]
) -> None:
    route(client, billing, invoice())
    assert_problem(client.post(PAYMENTS, json=payment()), 401, "unauthenticated")
    for scopes in (("terms:read",), ("invoices:read",)):
        answer = client.post(PAYMENTS, json=payment(), headers=make_key(*scopes))
        assert_problem(answer, 403, "forbidden")
    assert counts(store) == (1, 0, 0)
    writer = make_key("invoices:write")
    assert client.post(PAYMENTS, json=payment(), headers=writer).status_code == 201
