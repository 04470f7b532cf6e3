"""The console's forms do what the API does: a touch submitted twice is recorded once, and a
segment edited from a page drawn before someone else's change is refused (412)."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from app.demo import service as demo
from tests.support.console import sign_in
from tests.support.keys import KeyMaker


def field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]* value="([^"]*)"', html) or re.search(
        rf'name="{name}">\s*<option value="([^"]*)"', html
    )
    assert found is not None, name
    return found.group(1)


def test_a_touch_submitted_twice_is_recorded_once(
    client: TestClient, make_key: KeyMaker, store: Store, clock: Clock
) -> None:
    demo.generate(store, customers=20, seed=7, clock=clock)
    csrf = sign_in(client, make_key("collections:write", "reports:read"))
    page = client.get("/console/worklist").text
    currency = re.search(r'name="currency">\s*<option>([A-Z]{3})', page)
    assert currency is not None
    form = {
        "csrf": csrf,
        "touch_id": field(page, "touch_id"),
        "occurred_at": field(page, "occurred_at"),
        "task": field(page, "task"),
        "channel": "phone",
        "kind": "reminder",
        "outcome": "no_answer",
        "currency": currency.group(1),
        "back": "/console/worklist",
    }
    first = client.post("/console/touches", data=form, follow_redirects=False)
    again = client.post("/console/touches", data=form, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert unquote_plus(first.headers["location"]).endswith(" recorded")
    assert unquote_plus(again.headers["location"]).endswith("was already recorded")


def test_a_segment_edited_from_a_stale_page_is_refused(
    client: TestClient, make_key: KeyMaker
) -> None:
    csrf = sign_in(client, make_key("segments:write"))
    page = client.get("/console/segments/net_30").text
    form = {
        "csrf": csrf,
        "revision": field(page, "revision"),
        "name": "Net 30",
        "terms_type": "net",
        "net_days": "30",
        "credit_limit": "",
        "currency": "EUR",
        "workflow": "net_30",
        "contact_plan": "3 due email reminder",
        "reason": "Tidy the name",
    }
    saved = client.post("/console/segments/net_30", data=form, follow_redirects=False)
    assert saved.status_code == 303
    stale = client.post("/console/segments/net_30", data=form)
    assert stale.status_code == 412


def test_finance_resolves_a_dispute_and_sales_asks_for_an_exception_from_the_pages(
    client: TestClient, make_key: KeyMaker, store: Store, clock: Clock
) -> None:
    demo.generate(store, customers=20, seed=7, clock=clock)
    csrf = sign_in(client, make_key("exceptions:approve", "reports:read", owner="fay"))
    waiting = re.findall(
        r'action="/console/disputes/([^"]+)"', client.get("/console/approvals").text
    )
    assert waiting
    resolved = client.post(
        f"/console/disputes/{waiting[0]}",
        data={"csrf": csrf, "resolution": "invoice_stands", "currency": "USD", "note": "Stands."},
        follow_redirects=False,
    )
    assert resolved.status_code == 303
    assert waiting[0] not in client.get("/console/approvals").text
    client.cookies.clear()
    csrf = sign_in(client, make_key("exceptions:request", "reports:read", owner="sam"))
    page = client.get("/console/customers/demo-00003")
    assert 'action="/console/customers/demo-00003/exception"' in page.text
    assert 'action="/console/customers/demo-00003/override"' not in page.text  # segments:write
    asked = client.post(
        "/console/customers/demo-00003/exception",
        data={"csrf": csrf, "segment": "net_30", "reason": "New framework contract."},
        follow_redirects=False,
    )
    assert asked.status_code == 303, asked.text
    listed = client.get(
        "/v1/term-exceptions",
        params={"customer_id": "demo-00003", "status": "pending"},
        headers=make_key("reports:read"),
    ).json()["items"]
    assert [row["segment"] for row in listed] == ["net_30"]
