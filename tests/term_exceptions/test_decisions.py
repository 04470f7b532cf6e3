"""Approve and reject: finance decides, never the key that asked, and only once."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import update

from app.core.clock import Clock
from app.core.models import TermException
from app.core.store import Store
from tests.support.audit import audit_trail
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem
from tests.support.segments import place
from tests.support.term_exceptions import decide, request_exception, terms_of

ISSUED_ON = date(2026, 11, 2)


def test_approval_puts_the_exception_in_force_for_lookups_at_once(
    client: TestClient,
    store: Store,
    sales: dict[str, str],
    finance: dict[str, str],
    reader: dict[str, str],
) -> None:
    place(store, "c-1", "net_15")
    limit = {"amount": 7_500_000, "currency": "USD"}
    pending = request_exception(client, sales, "net_30", credit_limit=limit)

    approved = decide(client, finance, pending["id"], note="board approved")

    assert approved == pending | {
        "status": "approved",
        "decided_by": "finance",
        "decided_at": approved["decided_at"],
        "note": "board approved",
    }
    assert approved["decided_at"] >= pending["requested_at"]
    looked_up = terms_of(client, reader, "c-1")
    assert {k: looked_up[k] for k in ("segment", "source", "terms", "credit_limit")} == {
        "segment": "net_30",
        "source": "exception",
        "terms": {"type": "net", "net_days": 30},
        "credit_limit": limit,
    }
    assert audit_trail(store, "term_exception") == [
        ("sales", "term_exception.requested", pending["id"], "strategic account"),
        ("finance", "term_exception.approved", pending["id"], "board approved"),
    ]


def test_without_a_credit_limit_the_segment_keeps_its_own(
    client: TestClient, sales: dict[str, str], finance: dict[str, str], reader: dict[str, str]
) -> None:
    decide(client, finance, request_exception(client, sales, "net_15")["id"])
    looked_up = terms_of(client, reader, "c-1")
    assert (looked_up["segment"], looked_up["source"]) == ("net_15", "exception")
    assert looked_up["credit_limit"] is None


def test_an_exception_takes_precedence_over_an_override(
    client: TestClient,
    store: Store,
    ops: dict[str, str],
    sales: dict[str, str],
    finance: dict[str, str],
    reader: dict[str, str],
) -> None:
    place(store, "c-1", "net_30")
    pinned = {"segment": "pay_on_order", "reason": "paid late"}
    assert client.put("/v1/customers/c-1/override", json=pinned, headers=ops).status_code == 200
    decide(client, finance, request_exception(client, sales, "net_15")["id"])
    looked_up = terms_of(client, reader, "c-1")
    assert (looked_up["segment"], looked_up["source"]) == ("net_15", "exception")


def test_a_routed_invoice_gets_the_exception_segments_terms_workflow_and_contact_plan(
    client: TestClient, sales: dict[str, str], finance: dict[str, str], billing: dict[str, str]
) -> None:
    decide(client, finance, request_exception(client, sales, "net_15")["id"])
    invoice = {
        "invoice_id": "inv-1",
        "customer_id": "c-1",
        "amount": 125_000,
        "currency": "USD",
        "issued_on": ISSUED_ON.isoformat(),
    }

    answer = client.post("/v1/invoice-routes", json=invoice, headers=billing)

    assert answer.status_code == 201, answer.text
    routed = answer.json()
    assert {k: routed[k] for k in ("segment", "workflow", "source", "terms", "due_on")} == {
        "segment": "net_15",
        "workflow": "net_15",
        "source": "exception",
        "terms": {"type": "net", "net_days": 15},
        "due_on": "2026-11-17",
    }
    assert routed["contact_plan"] == [
        {"on": "2026-11-12", "channel": "phone", "kind": "service_check"},
        {"on": "2026-11-20", "channel": "email", "kind": "reminder"},
    ]


def test_rejection_records_the_note_and_changes_no_terms(
    client: TestClient,
    store: Store,
    sales: dict[str, str],
    finance: dict[str, str],
    reader: dict[str, str],
) -> None:
    pending = request_exception(client, sales, "net_30")

    rejected = decide(client, finance, pending["id"], "reject", note="margin too thin")

    assert (rejected["status"], rejected["decided_by"], rejected["note"]) == (
        "rejected",
        "finance",
        "margin too thin",
    )
    assert terms_of(client, reader, "c-1")["source"] == "default"
    assert [row[1:] for row in audit_trail(store, "term_exception")][-1] == (
        "term_exception.rejected",
        pending["id"],
        "margin too thin",
    )


def test_a_decision_needs_no_body(
    client: TestClient, sales: dict[str, str], finance: dict[str, str]
) -> None:
    for decision, status in (("approve", "approved"), ("reject", "rejected")):
        pending = request_exception(client, sales, "net_30", customer_id=f"c-{decision}")
        path = f"/v1/term-exceptions/{pending['id']}/{decision}"
        answer = client.post(path, headers=finance)
        assert answer.status_code == 200, answer.text
        assert (answer.json()["status"], answer.json()["note"]) == (status, None)
    pending = request_exception(client, sales, "net_30", customer_id="c-empty")
    answer = client.post(f"/v1/term-exceptions/{pending['id']}/reject", json={}, headers=finance)
    assert answer.json()["status"] == "rejected"


def test_the_key_that_asked_cannot_decide_even_with_the_scope(
    client: TestClient, store: Store, make_key: KeyMaker, reader: dict[str, str]
) -> None:
    both = make_key("exceptions:request", "exceptions:approve", name="sales-lead")
    pending = request_exception(client, both, "net_30")
    for decision in ("approve", "reject"):
        answer = client.post(f"/v1/term-exceptions/{pending['id']}/{decision}", headers=both)
        body = assert_problem(answer, 403, "forbidden")
        assert "sales-lead" in body["detail"]
        assert "another person" in body["detail"]
    assert client.get(f"/v1/term-exceptions/{pending['id']}", headers=both).json() == pending
    assert terms_of(client, reader, "c-1")["source"] == "default"
    assert [row[1] for row in audit_trail(store, "term_exception")] == ["term_exception.requested"]


def test_deciding_an_exception_that_is_not_pending_is_409(
    client: TestClient, store: Store, sales: dict[str, str], finance: dict[str, str]
) -> None:
    approved = decide(client, finance, request_exception(client, sales, "net_30")["id"])
    rejected = request_exception(client, sales, "net_15", customer_id="c-2")
    decide(client, finance, rejected["id"], "reject")
    for exception_id, status in ((approved["id"], "approved"), (rejected["id"], "rejected")):
        for decision in ("approve", "reject"):
            answer = client.post(f"/v1/term-exceptions/{exception_id}/{decision}", headers=finance)
            assert f"is {status}" in assert_problem(answer, 409, "conflict")["detail"]
    assert len(audit_trail(store, "term_exception")) == 4


def test_a_pending_request_past_its_expires_on_is_expired_and_cannot_be_decided(
    client: TestClient, sales: dict[str, str], finance: dict[str, str], clock: Clock
) -> None:
    pending = request_exception(client, sales, "net_30", expires_on=clock.today().isoformat())
    clock.shift = timedelta(days=1)
    shown = client.get(f"/v1/term-exceptions/{pending['id']}", headers=finance).json()
    assert shown["status"] == "expired"
    answer = client.post(f"/v1/term-exceptions/{pending['id']}/approve", headers=finance)
    assert "expires_on has passed" in assert_problem(answer, 409, "conflict")["detail"]


def test_unknown_exceptions_are_404(
    client: TestClient, finance: dict[str, str], sales: dict[str, str]
) -> None:
    for path in ("/v1/term-exceptions/tex_nope/approve", "/v1/term-exceptions/tex_nope/reject"):
        assert_problem(client.post(path, headers=finance), 404, "not-found")
    assert_problem(client.get("/v1/term-exceptions/tex_nope", headers=sales), 404, "not-found")


def test_decisions_need_exceptions_approve(
    client: TestClient,
    make_key: KeyMaker,
    sales: dict[str, str],
    ops: dict[str, str],
) -> None:
    pending = request_exception(client, sales, "net_30")
    path = f"/v1/term-exceptions/{pending['id']}/approve"
    for headers in (ops, make_key("reports:read"), make_key("exceptions:request")):
        answer = client.post(path, headers=headers)
        assert "exceptions:approve" in assert_problem(answer, 403, "forbidden")["detail"]
    assert_problem(client.post(path), 401, "unauthenticated")
    assert decide(client, make_key("admin", name="root"), pending["id"])["decided_by"] == "root"


def test_approving_another_exception_expires_the_one_in_force(
    client: TestClient,
    store: Store,
    sales: dict[str, str],
    finance: dict[str, str],
    reader: dict[str, str],
) -> None:
    first = decide(client, finance, request_exception(client, sales, "net_15")["id"], note="ok")
    second = decide(client, finance, request_exception(client, sales, "net_30")["id"])

    replaced = client.get(f"/v1/term-exceptions/{first['id']}", headers=finance).json()
    assert replaced["status"] == "expired"
    assert replaced["note"].startswith("ok\n")
    assert second["id"] in replaced["note"]
    assert terms_of(client, reader, "c-1")["segment"] == "net_30"
    assert [row[1:3] for row in audit_trail(store, "term_exception")][-2:] == [
        ("term_exception.approved", second["id"]),
        ("term_exception.expired", first["id"]),
    ]


def race(
    client: TestClient, exception_id: str, contenders: dict[str, dict[str, str]]
) -> dict[str, httpx.Response]:
    """Send each decision from its own thread, all released at once; the answers by decision."""
    answers: dict[str, httpx.Response] = {}
    start = threading.Barrier(len(contenders))

    def attempt(decision: str, headers: dict[str, str]) -> None:
        start.wait(5)
        path = f"/v1/term-exceptions/{exception_id}/{decision}"
        answers[decision] = client.post(path, headers=headers)

    threads = [
        threading.Thread(target=attempt, args=(decision, headers))
        for decision, headers in contenders.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_concurrent_approve_and_reject_of_one_exception_exactly_one_wins(
    client: TestClient,
    store: Store,
    make_key: KeyMaker,
    sales: dict[str, str],
    reader: dict[str, str],
) -> None:
    approver = make_key("exceptions:approve", name="finance-a")
    rejecter = make_key("exceptions:approve", name="finance-b")
    for round_number in range(4):
        customer_id = f"c-{round_number}"
        pending = request_exception(client, sales, "net_30", customer_id=customer_id)
        answers = race(client, pending["id"], {"approve": approver, "reject": rejecter})

        assert sorted(answer.status_code for answer in answers.values()) == [200, 409]
        [winner] = [decision for decision, answer in answers.items() if answer.status_code == 200]
        final = client.get(f"/v1/term-exceptions/{pending['id']}", headers=sales).json()
        assert final["status"] == {"approve": "approved", "reject": "rejected"}[winner]
        expected_source = "exception" if winner == "approve" else "default"
        assert terms_of(client, reader, customer_id)["source"] == expected_source
        decisions = [
            row[1] for row in audit_trail(store, "term_exception") if row[2] == pending["id"]
        ]
        assert decisions == ["term_exception.requested", f"term_exception.{final['status']}"]


def test_a_segment_an_exception_names_cannot_be_deleted(
    client: TestClient, ops: dict[str, str], sales: dict[str, str], finance: dict[str, str]
) -> None:
    segment: dict[str, Any] = {
        "name": "Net 45",
        "terms": {"type": "net", "net_days": 45},
        "workflow": "net_30",
    }
    assert client.put("/v1/segments/net_45", json=segment, headers=ops).status_code == 201
    pending = request_exception(client, sales, "net_45")
    answer = client.delete("/v1/segments/net_45", headers=ops)
    assert "term exceptions" in assert_problem(answer, 409, "conflict")["detail"]
    decide(client, finance, pending["id"])
    assert_problem(client.delete("/v1/segments/net_45", headers=ops), 409, "conflict")
    assert client.get("/v1/segments/net_45", headers=ops).status_code == 200


def test_one_person_cannot_approve_their_own_request_through_a_second_key(
    client: TestClient, store: Store, make_key: KeyMaker, reader: dict[str, str]
) -> None:
    asks = make_key("exceptions:request", name="ann-sales", owner="ann")
    second = make_key("exceptions:approve", name="ann-finance", owner="ann")
    colleague = make_key("exceptions:approve", name="bob-finance", owner="bob")
    pending = request_exception(client, asks, "net_30")
    for decision in ("approve", "reject"):
        answer = client.post(
            f"/v1/term-exceptions/{pending['id']}/{decision}", json={}, headers=second
        )
        body = assert_problem(answer, 403, "forbidden")
        assert "'ann'" in body["detail"]
    assert terms_of(client, reader, "c-1")["source"] == "default"
    approved = decide(client, colleague, pending["id"], note="checked by a second person")
    assert (approved["status"], approved["decided_by"]) == ("approved", "bob-finance")


def test_a_request_from_before_owners_is_still_kept_from_its_own_key(
    client: TestClient, store: Store, make_key: KeyMaker, finance: dict[str, str]
) -> None:
    """A row without requested_owner (written before the column): the requesting key's name
    stands in for its owner, so that key still cannot decide it, and another person can."""
    both = make_key("exceptions:request", "exceptions:approve", name="old-lead", owner="carol")
    pending = request_exception(client, both, "net_30")
    with store.writing() as session:
        session.execute(
            update(TermException)
            .where(TermException.id == pending["id"])
            .values(requested_owner=None)
        )
    answer = client.post(f"/v1/term-exceptions/{pending['id']}/approve", json={}, headers=both)
    assert "'old-lead'" in assert_problem(answer, 403, "forbidden")["detail"]
    assert decide(client, finance, pending["id"], note="another person")["status"] == "approved"
