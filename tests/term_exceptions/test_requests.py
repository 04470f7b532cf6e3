"""POST /v1/term-exceptions: sales asks finance for looser terms for one customer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from tests.support.audit import audit_trail
from tests.support.invoices import rfc3339
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem, error_locs
from tests.support.segments import place
from tests.support.term_exceptions import asking, decide, request_exception


def test_a_request_is_201_pending_and_records_who_asked(
    client: TestClient, store: Store, sales: dict[str, str], clock: Clock
) -> None:
    expires_on = (clock.today() + timedelta(days=90)).isoformat()
    limit = {"amount": 2_500_000, "currency": "USD"}
    asked_from = clock.now().replace(microsecond=0)  # the API shows whole seconds at least
    answer = client.post(
        "/v1/term-exceptions",
        json=asking("net_30", credit_limit=limit, expires_on=expires_on),
        headers=sales,
    )
    asked_until = clock.now()
    assert answer.status_code == 201
    body = answer.json()
    assert body["id"].startswith("tex_")
    assert {k: v for k, v in body.items() if k not in ("id", "requested_at")} == {
        "customer_id": "c-1",
        "segment": "net_30",
        "credit_limit": limit,
        "reason": "strategic account",
        "expires_on": expires_on,
        "status": "pending",
        "requested_by": "sales",
        "decided_by": None,
        "decided_at": None,
        "note": None,
    }
    assert asked_from <= rfc3339(body["requested_at"]) <= asked_until  # with its offset
    assert client.get(f"/v1/term-exceptions/{body['id']}", headers=sales).json() == body
    assert audit_trail(store, "term_exception") == [
        ("sales", "term_exception.requested", body["id"], "strategic account")
    ]


def test_a_request_changes_nothing_about_the_customers_terms(
    client: TestClient, sales: dict[str, str], reader: dict[str, str]
) -> None:
    request_exception(client, sales, "net_30")
    looked_up = client.get("/v1/customers/c-1/terms", headers=reader).json()
    assert (looked_up["segment"], looked_up["source"]) == ("pay_on_order", "default")


def test_unknown_fields_are_refused_in_every_body(
    client: TestClient, store: Store, sales: dict[str, str], finance: dict[str, str]
) -> None:
    for extra in ({"status": "approved"}, {"approved_by": "cfo"}, {"requested_by": "cfo"}):
        answer = client.post("/v1/term-exceptions", json=asking(**extra), headers=sales)
        [field] = extra
        assert ["body", field] in error_locs(assert_problem(answer, 422, "invalid"))
    pending = request_exception(client, sales)
    for decision in ("approve", "reject"):
        path = f"/v1/term-exceptions/{pending['id']}/{decision}"
        for extra in ({"status": "approved"}, {"approved_by": "cfo"}, {"note": "ok", "by": "x"}):
            answer = client.post(path, json=extra, headers=finance)
            body = assert_problem(answer, 422, "invalid")
            assert [loc[-1] for loc in error_locs(body)] == [next(k for k in extra if k != "note")]
    assert client.get(f"/v1/term-exceptions/{pending['id']}", headers=sales).json() == pending
    assert [row[1] for row in audit_trail(store, "term_exception")] == ["term_exception.requested"]


def test_invalid_requests_are_422_with_the_field_at_fault(
    client: TestClient, store: Store, sales: dict[str, str], clock: Clock
) -> None:
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], list[str]]] = [
        (asking("net_90"), ["body", "segment"]),
        (asking("Net 30"), ["body", "segment"]),
        (asking(expires_on=yesterday), ["body", "expires_on"]),
        (asking(expires_on="next week"), ["body", "expires_on"]),
        (asking(customer_id="bad id"), ["body", "customer_id"]),
        (asking(credit_limit=5000), ["body", "credit_limit"]),
        (
            asking(credit_limit={"amount": -1, "currency": "USD"}),
            ["body", "credit_limit", "amount"],
        ),
        (
            asking(credit_limit={"amount": 1, "currency": "XYZ"}),
            ["body", "credit_limit", "currency"],
        ),
        ({"customer_id": "c-1", "segment": "net_30"}, ["body", "reason"]),
        (asking(reason=""), ["body", "reason"]),
    ]
    for body, loc in cases:
        answer = client.post("/v1/term-exceptions", json=body, headers=sales)
        assert loc in error_locs(assert_problem(answer, 422, "invalid")), (body, answer.json())
    assert audit_trail(store, "term_exception") == []


def test_a_body_that_is_not_a_json_object_is_400(
    client: TestClient, sales: dict[str, str], finance: dict[str, str]
) -> None:
    for content in (b"[]", b"{", b'"x"'):
        answer = client.post(
            "/v1/term-exceptions",
            content=content,
            headers={**sales, "Content-Type": "application/json"},
        )
        assert_problem(answer, 400, "malformed")
    pending = request_exception(client, sales)
    answer = client.post(
        f"/v1/term-exceptions/{pending['id']}/approve",
        content=b"[1]",
        headers={**finance, "Content-Type": "application/json"},
    )
    assert_problem(answer, 400, "malformed")


def test_an_exception_must_loosen_the_terms_the_customer_has_today(
    client: TestClient, store: Store, ops: dict[str, str], sales: dict[str, str]
) -> None:
    place(store, "c-15", "net_15")
    place(store, "c-30", "net_30")
    refused = [("c-new", "pay_on_order"), ("c-15", "net_15"), ("c-15", "pay_on_order")]
    refused += [("c-30", "net_15"), ("c-30", "net_30")]
    for customer_id, segment in refused:
        answer = client.post(
            "/v1/term-exceptions", json=asking(segment, customer_id=customer_id), headers=sales
        )
        body = assert_problem(answer, 422, "invalid")
        assert ["body", "segment"] in error_locs(body)
        assert "override" in body["detail"], body
    for customer_id, segment in (("c-new", "net_15"), ("c-15", "net_30")):
        request_exception(client, sales, segment, customer_id=customer_id)


def test_a_higher_credit_limit_at_equal_days_is_an_exception_worth_asking_for(
    client: TestClient, store: Store, ops: dict[str, str], sales: dict[str, str]
) -> None:
    capped = {
        "name": "Net 30 capped",
        "terms": {"type": "net", "net_days": 30},
        "workflow": "net_30",
        "credit_limit": {"amount": 1_000_00, "currency": "USD"},
    }
    assert client.put("/v1/segments/net_30_capped", json=capped, headers=ops).status_code == 201
    place(store, "c-1", "net_30_capped")
    same = asking("net_30_capped", credit_limit={"amount": 1_000_00, "currency": "USD"})
    lower = asking("net_30_capped", credit_limit={"amount": 500_00, "currency": "USD"})
    for body in (asking("net_30_capped"), same, lower):
        assert_problem(client.post("/v1/term-exceptions", json=body, headers=sales), 422, "invalid")
    higher = {"amount": 5_000_00, "currency": "USD"}
    request_exception(client, sales, "net_30_capped", credit_limit=higher)
    request_exception(client, sales, "net_30")  # no limit at all is looser still


def test_an_exception_in_force_is_what_a_new_request_must_loosen(
    client: TestClient, sales: dict[str, str], finance: dict[str, str]
) -> None:
    first = request_exception(client, sales, "net_15")
    decide(client, finance, first["id"])
    for segment in ("net_15", "pay_on_order"):
        answer = client.post("/v1/term-exceptions", json=asking(segment), headers=sales)
        assert "'net_15'" in assert_problem(answer, 422, "invalid")["detail"]
    request_exception(client, sales, "net_30")


def test_requests_need_exceptions_request(
    client: TestClient, make_key: KeyMaker, finance: dict[str, str], ops: dict[str, str]
) -> None:
    for headers in (finance, ops, make_key("reports:read")):
        answer = client.post("/v1/term-exceptions", json=asking(), headers=headers)
        assert "exceptions:request" in assert_problem(answer, 403, "forbidden")["detail"]
    assert_problem(client.post("/v1/term-exceptions", json=asking()), 401, "unauthenticated")
    admin = make_key("admin", name="root")
    assert client.post("/v1/term-exceptions", json=asking(), headers=admin).status_code == 201
