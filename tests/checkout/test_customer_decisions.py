"""GET /v1/customers/{id}/decisions: a customer's checkout decisions, newest first."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.checkout import order
from tests.support.keys import KeyMaker
from tests.support.parts import recorder_of
from tests.support.problems import assert_problem


def test_a_customers_decisions_page_newest_first(
    client: TestClient, reader: dict[str, str], make_key: KeyMaker
) -> None:
    made = []
    for n in range(3):
        answer = client.post("/v1/checkout/decisions", json=order(f"o-{n}"), headers=reader)
        made.append(answer.json())
    client.post("/v1/checkout/decisions", json=order("o-x", customer_id="c-2"), headers=reader)
    recorder_of(client.app).flush()
    reports = make_key("reports:read")
    first = client.get("/v1/customers/c-1/decisions?limit=2", headers=reports).json()
    assert first["items"] == [made[2], made[1]]
    rest = client.get(
        f"/v1/customers/c-1/decisions?cursor={first['next_cursor']}", headers=reader
    ).json()
    assert (rest["items"], rest["next_cursor"]) == ([made[0]], None)


def test_decisions_need_terms_read_or_reports_read(client: TestClient, make_key: KeyMaker) -> None:
    refused = client.get("/v1/customers/c-1/decisions", headers=make_key("invoices:read"))
    assert_problem(refused, 403, "forbidden")
