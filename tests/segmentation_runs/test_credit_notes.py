"""A run reads credit notes as settling, never as cash: an invoice settled by a credit note
stops being late on the credit note's day and adds nothing to the days to pay."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from tests.support.days import today
from tests.support.keys import KeyMaker
from tests.support.payment_history import DAY, bill, classify, record


def test_an_invoice_settled_by_a_credit_note_is_late_until_then_and_never_paid(
    client: TestClient, store: Store, clock: Clock, ops: dict[str, str], make_key: KeyMaker
) -> None:
    on_time = [
        bill("c-1", f"c-1-{n}", due_on=today() - (20 + n) * DAY, paid_on=today() - (20 + n) * DAY)
        for n in range(3)
    ]
    record(store, [*on_time, bill("c-1", "c-1-credited", due_on=today() - 10 * DAY)])
    disputed = {
        "touch_id": "t-1",
        "invoice_id": "c-1-credited",
        "channel": "phone",
        "kind": "reminder",
        "occurred_at": f"{today().isoformat()}T09:30:00Z",
        "outcome": "dispute",
        "dispute": {"reason": "quality"},
    }
    answer = client.post(
        "/v1/touches", json=disputed, headers=make_key("collections:write", name="collector")
    )
    assert answer.status_code == 201, answer.text
    resolved = client.post(
        f"/v1/disputes/{answer.json()['dispute']['id']}/resolve",
        json={"resolution": "credit_note", "credit_amount": 10_000},
        headers=make_key("exceptions:approve", name="finance"),
    )
    assert resolved.status_code == 200, resolved.text
    clock.shift = timedelta(days=5)

    metrics = classify(client, ops, today() + timedelta(days=5))["c-1"]["metrics"]

    assert (metrics["invoices_counted"], metrics["invoices_late"]) == (4, 1)
    # 10 days late on the day it was credited, not 15 on the run's day.
    assert metrics["avg_days_late"] == 2.5
    assert (metrics["invoices_paid"], metrics["avg_days_to_pay"]) == (3, 30.0)
