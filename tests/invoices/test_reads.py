"""GET /v1/invoices/{id} and GET /v1/customers/{id}/invoices: any invoice, routed or imported."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from app.core.store import Store
from app.history.importer import import_file
from tests.support.invoices import invoice, payment, route
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem

HISTORY = """customer_id,invoice_id,currency,amount,issued_on,due_on,paid_on,sales_owner
c-1,old-1,USD,100.00,2026-01-05,2026-02-04,2026-02-10,ana
c-1,old-2,USD,50.00,2026-03-01,2026-03-31,,ana
"""


def imported(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(HISTORY)
    import_file(store, path, "test")


def test_a_routed_invoice_reads_with_its_route_and_payments(
    client: TestClient, billing: dict[str, str]
) -> None:
    routed = route(client, billing, invoice(amount=125_000))
    paid = client.post("/v1/payments", json=payment(amount=25_000), headers=billing)
    assert paid.status_code == 201, paid.text
    found = client.get("/v1/invoices/inv-1", headers=billing)
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["route"] == routed
    assert (body["status"], body["outstanding"], body["segment"]) == (
        "open",
        100_000,
        routed["segment"],
    )
    assert [(p["payment_id"], p["amount"]) for p in body["payments"]] == [("pay-1", 25_000)]


def test_an_imported_invoice_reads_without_a_route(
    client: TestClient, store: Store, make_key: KeyMaker, tmp_path: Path
) -> None:
    imported(store, tmp_path)
    reports = make_key("reports:read")
    body = client.get("/v1/invoices/old-1", headers=reports).json()
    assert (body["route"], body["segment"], body["status"], body["outstanding"]) == (
        None,
        None,
        "paid",
        0,
    )
    assert (body["amount"], body["due_on"]) == (10_000, "2026-02-04")
    assert [p["paid_on"] for p in body["payments"]] == ["2026-02-10"]


def test_a_customers_invoices_page_by_id_and_filter_by_status(
    client: TestClient, store: Store, billing: dict[str, str], tmp_path: Path
) -> None:
    imported(store, tmp_path)
    route(client, billing, invoice("inv-1"))
    route(client, billing, invoice("inv-2", customer_id="c-2"))
    listed = client.get("/v1/customers/c-1/invoices?limit=2", headers=billing).json()
    assert [i["invoice_id"] for i in listed["items"]] == ["inv-1", "old-1"]
    rest = client.get(
        f"/v1/customers/c-1/invoices?limit=2&cursor={listed['next_cursor']}", headers=billing
    ).json()
    assert ([i["invoice_id"] for i in rest["items"]], rest["next_cursor"]) == (["old-2"], None)
    open_ = client.get("/v1/customers/c-1/invoices?status=open", headers=billing).json()
    assert [i["invoice_id"] for i in open_["items"]] == ["inv-1", "old-2"]
    paid = client.get("/v1/customers/c-1/invoices?status=paid", headers=billing).json()
    assert [i["invoice_id"] for i in paid["items"]] == ["old-1"]
    none = client.get("/v1/customers/nobody/invoices", headers=billing).json()
    assert none == {"items": [], "next_cursor": None}


def test_invoice_reads_need_invoices_read_or_reports_read(
    client: TestClient, billing: dict[str, str], make_key: KeyMaker
) -> None:
    route(client, billing, invoice())
    checkout = make_key("terms:read")
    assert_problem(client.get("/v1/invoices/inv-1", headers=checkout), 403, "forbidden")
    assert_problem(client.get("/v1/invoices/nope", headers=billing), 404, "not-found")
    assert_problem(
        client.get("/v1/customers/c-1/invoices?status=due", headers=billing), 422, "invalid"
    )
