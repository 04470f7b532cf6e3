"""The console follows the API's rules: scopes decide what is shown and allowed, four-eyes
compares key owners, and the decisions land in the same audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.core.clock import Clock
from tests.support.console import sign_in
from tests.support.keys import KeyMaker

APPROVE_FORM = 'action="/console/approvals/'


def asked(client: TestClient, sales: dict[str, str]) -> dict[str, Any]:
    answer = client.post(
        "/v1/term-exceptions",
        json={"customer_id": "acme", "segment": "net_30", "reason": "A large first order."},
        headers=sales,
    )
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


def test_a_key_without_exceptions_approve_sees_no_approve_form_and_a_forged_post_is_403(
    client: TestClient, make_key: KeyMaker
) -> None:
    pending = asked(client, make_key("exceptions:request", owner="sam"))
    csrf = sign_in(client, make_key("reports:read", "exceptions:request", owner="cfo"))
    page = client.get("/console/approvals")
    assert page.status_code == 200
    assert "acme" in page.text
    assert APPROVE_FORM not in page.text
    forged = client.post(
        f"/console/approvals/{pending['id']}", data={"csrf": csrf, "decision": "approve"}
    )
    assert forged.status_code == 403
    assert "exceptions:approve" in forged.text
    still = client.get(f"/v1/term-exceptions/{pending['id']}", headers=make_key("reports:read"))
    assert still.json()["status"] == "pending"


def test_pages_beyond_the_keys_scopes_are_not_in_its_nav_and_answer_403(
    client: TestClient, make_key: KeyMaker
) -> None:
    sign_in(client, make_key("collections:write"))
    nav = client.get("/console/worklist").text
    assert 'href="/console/worklist"' in nav
    assert 'href="/console/receivables"' not in nav
    assert client.get("/console/receivables").status_code == 403
    assert client.get("/console/customers/acme").status_code == 403


def test_four_eyes_the_requesters_own_key_is_refused_and_another_person_approves(
    client: TestClient, make_key: KeyMaker
) -> None:
    pending = asked(client, make_key("exceptions:request", name="sam-sales", owner="sam"))
    # Another key of the same person, with the approve scope: still one pair of eyes.
    csrf = sign_in(client, make_key("exceptions:approve", name="sam-finance", owner="sam"))
    assert APPROVE_FORM in client.get("/console/approvals").text
    refused = client.post(
        f"/console/approvals/{pending['id']}",
        data={"csrf": csrf, "decision": "approve", "note": "mine"},
    )
    assert refused.status_code == 403
    client.cookies.clear()
    csrf = sign_in(client, make_key("exceptions:approve", "reports:read", name="fay", owner="fay"))
    approved = client.post(
        f"/console/approvals/{pending['id']}",
        data={"csrf": csrf, "decision": "approve", "note": "Good payer elsewhere."},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    assert "approved" in approved.headers["location"]
    shown = client.get(f"/v1/term-exceptions/{pending['id']}", headers=make_key("reports:read"))
    assert shown.json()["decided_by"] == "fay"
    assert shown.json()["note"] == "Good payer elsewhere."
    events = client.get(
        "/v1/audit-events", params={"entity_id": pending["id"]}, headers=make_key("reports:read")
    )
    assert "fay" in {event["actor"] for event in events.json()["items"]}


def test_an_admin_key_opens_every_page_on_an_empty_store(
    client: TestClient, make_key: KeyMaker
) -> None:
    sign_in(client, make_key("admin"))
    for path in (
        "/console/approvals",
        "/console/worklist",
        "/console/customers",
        "/console/segments",
        "/console/segments/net_30",
        "/console/runs",
        "/console/receivables",
        "/console/receivables/ageing.csv",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/console/customers/nobody").status_code == 404


def test_escalated_exceptions_come_first_and_are_marked(
    client: TestClient, make_key: KeyMaker, clock: Clock
) -> None:
    sales = make_key("exceptions:request", owner="sam")
    for customer_id in ("first-asked", "then-asked"):
        answer = client.post(
            "/v1/term-exceptions",
            json={"customer_id": customer_id, "segment": "net_30", "reason": "A big order."},
            headers=sales,
        )
        assert answer.status_code == 201
        clock.shift += timedelta(hours=20)
    sign_in(client, make_key("exceptions:approve", owner="fay"))
    page = client.get("/console/approvals").text
    assert page.index("first-asked") < page.index("then-asked")
    assert page.count('class="tag bad">escalated') == 1  # 40 hours waiting; the other 20
