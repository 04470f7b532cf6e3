"""A policy may bound the promises to pay a payer class may break: a customer who pays on time
but breaks its promises is not a good payer under such a bound."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.contacts import service as contacts
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from tests.support.days import today
from tests.support.keys import KeyMaker
from tests.support.payment_history import DAY, bill, classify, record, start_run
from tests.support.policies import POLICY, policy, put

SHIFT = timedelta(days=5)


@pytest.fixture
def collector(make_key: KeyMaker) -> dict[str, str]:
    return make_key("collections:write", name="collector")


def promised(client: TestClient, collector: dict[str, str], touch_id: str, invoice_id: str) -> None:
    """A promise to pay 5,000 of the invoice today."""
    body = {
        "touch_id": touch_id,
        "invoice_id": invoice_id,
        "channel": "phone",
        "kind": "reminder",
        "occurred_at": f"{today().isoformat()}T09:30:00Z",
        "outcome": "promise_to_pay",
        "promise": {"amount": 5_000, "currency": "USD", "pay_on": today().isoformat()},
    }
    answer = client.post("/v1/touches", json=body, headers=collector)
    assert answer.status_code == 201, answer.text


def on_time_with_broken_promises(
    client: TestClient,
    store: Store,
    settings: Settings,
    clock: Clock,
    collector: dict[str, str],
    broken: int,
) -> None:
    """c-1 paid four invoices on time and has two open ones, not due for a month; `broken`
    promises to pay on them are broken by the sweep, five days on (the clock moves there)."""
    paid = [
        bill("c-1", f"c-1-{number}", due_on=today() - (20 + 10 * number) * DAY, paid_on=None)
        for number in range(4)
    ]
    paid = [item._replace(payments=((item.due_on, item.amount),)) for item in paid]
    owed = [bill("c-1", f"c-1-open-{number}", due_on=today() + 30 * DAY) for number in range(2)]
    record(store, [*paid, *owed])
    for number in range(broken):
        promised(client, collector, f"t-{number}", f"c-1-open-{number}")
    clock.shift = SHIFT
    assert contacts.sweep(store, settings, clock).broken == broken


def put_policy(client: TestClient, ops: dict[str, str], body: dict[str, Any]) -> None:
    """Replace the policy in force with `body`."""
    answer = put(client, body, ops, client.get(POLICY, headers=ops).headers["ETag"])
    assert answer.status_code in (200, 201), answer.text


def test_broken_promises_cost_a_good_payer_its_class_only_under_a_bound(
    client: TestClient,
    store: Store,
    settings: Settings,
    clock: Clock,
    ops: dict[str, str],
    collector: dict[str, str],
) -> None:
    on_time_with_broken_promises(client, store, settings, clock, collector, broken=2)
    as_of = today() + SHIFT

    unbounded = classify(client, ops, as_of)["c-1"]
    put_policy(client, ops, policy(**{"payer_classes.good.max_broken_promises": 1}))
    bounded = classify(client, ops, as_of)["c-1"]

    assert unbounded["metrics"]["broken_promises"] == 2
    assert unbounded["metrics"]["late_share"] == 0
    assert (unbounded["payer_class"], unbounded["to"]) == ("good", "net_30")
    assert bounded["metrics"] == unbounded["metrics"]
    assert (bounded["payer_class"], bounded["to"]) == ("average", "net_15")


def test_a_bound_holds_inclusive_and_average_may_have_its_own(
    client: TestClient,
    store: Store,
    settings: Settings,
    clock: Clock,
    ops: dict[str, str],
    collector: dict[str, str],
) -> None:
    on_time_with_broken_promises(client, store, settings, clock, collector, broken=2)
    as_of = today() + SHIFT
    two = {"payer_classes.good.max_broken_promises": 2}

    put_policy(client, ops, policy(**two))
    within = classify(client, ops, as_of)["c-1"]
    put_policy(
        client,
        ops,
        policy(
            **{
                "payer_classes.good.max_broken_promises": 0,
                "payer_classes.average.max_broken_promises": 1,
            }
        ),
    )
    poor = classify(client, ops, as_of)["c-1"]

    assert within["payer_class"] == "good"
    assert (poor["payer_class"], poor["to"]) == ("poor", "pay_on_order")


def test_promises_broken_after_the_as_of_date_do_not_count(
    client: TestClient,
    store: Store,
    settings: Settings,
    clock: Clock,
    ops: dict[str, str],
    collector: dict[str, str],
) -> None:
    on_time_with_broken_promises(client, store, settings, clock, collector, broken=2)
    put_policy(client, ops, policy(**{"payer_classes.good.max_broken_promises": 0}))

    # Their last day (today + the 2 grace days) had not passed as of today.
    found = classify(client, ops, today())["c-1"]

    assert found["metrics"]["broken_promises"] == 0
    assert found["payer_class"] == "good"


def test_a_policy_shows_the_bound_only_where_it_is_set(
    client: TestClient, ops: dict[str, str]
) -> None:
    body = policy(**{"payer_classes.good.max_broken_promises": 1})

    put_policy(client, ops, body)
    shown = client.get(POLICY, headers=ops).json()

    assert shown["payer_classes"]["good"]["max_broken_promises"] == 1
    assert "max_broken_promises" not in shown["payer_classes"]["average"]


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        (
            {"payer_classes.good.max_broken_promises": -1},
            ["body", "payer_classes", "good", "max_broken_promises"],
        ),
        (
            {"payer_classes.good.max_broken_promises": 1.5},
            ["body", "payer_classes", "good", "max_broken_promises"],
        ),
        (
            {"payer_classes.average.max_broken_promises": 3},
            ["body", "payer_classes", "average", "max_broken_promises"],
        ),
        (
            {
                "payer_classes.good.max_broken_promises": 3,
                "payer_classes.average.max_broken_promises": 2,
            },
            ["body", "payer_classes", "average", "max_broken_promises"],
        ),
    ],
)
def test_a_bound_on_broken_promises_is_a_count_and_average_no_stricter_than_good(
    client: TestClient, ops: dict[str, str], changes: dict[str, Any], loc: list[str]
) -> None:
    answer = put(client, policy(**changes), ops)

    assert answer.status_code == 422, answer.text
    assert loc in [error["loc"] for error in answer.json()["errors"]]


def test_an_applied_run_shows_broken_promises_on_the_profile_and_why(
    client: TestClient,
    store: Store,
    settings: Settings,
    clock: Clock,
    ops: dict[str, str],
    collector: dict[str, str],
    make_key: KeyMaker,
) -> None:
    on_time_with_broken_promises(client, store, settings, clock, collector, broken=2)
    put_policy(client, ops, policy(**{"payer_classes.good.max_broken_promises": 1}))
    start_run(client, ops, as_of=today() + SHIFT, dry_run=False)

    answer = client.get("/v1/customers/c-1", headers=make_key("reports:read"))

    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["payer_class"], found["segment"]) == ("average", "net_15")
    assert found["metrics"]["broken_promises"] == 2
    assert found["promises"]["broken"] == 2
    assert found["why"][0] == (
        "An average payer: 2 promises to pay broken, over the 1 allowed for good payers; "
        "within the 10 days and 50% allowed for average payers."
    )
