"""How a run tells high value from standard: revenue in the policy currency, margin share."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.payment_history import (
    AS_OF,
    DAY,
    WINDOW_START,
    bill,
    classify,
    payer,
    record,
    replace_policy,
    shown,
    sized,
)


def test_revenue_counts_only_the_policy_currency_inside_the_window(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    before_window = WINDOW_START - DAY
    record(
        store,
        [
            *sized("exactly", [5_000_000, 4_000_000, 1_000_000]),  # 10,000,000: high, inclusive
            *sized("one-short", [5_000_000, 4_000_000, 999_999]),
            *sized("euros", [5_000_000, 4_000_000, 999_999]),
            bill(
                "euros",
                "euros-eur",
                due_on=AS_OF - 90 * DAY,
                paid_on=AS_OF - 90 * DAY,
                amount=50_000_000,
                currency="EUR",
            ),
            *sized("old-money", [5_000_000, 4_000_000, 999_999]),
            bill(
                "old-money",
                "old-money-old",
                issued_on=before_window,
                due_on=before_window,
                paid_on=before_window,
                amount=1_000_000,
            ),
        ],
    )
    found = classify(client, ops)
    assert {customer: shown(move) for customer, move in found.items()} == {
        "exactly": ("average", "high", "net_30"),
        "one-short": ("average", "standard", "net_15"),
        "euros": ("average", "standard", "net_15"),
        "old-money": ("average", "standard", "net_15"),
    }
    assert found["euros"]["metrics"]["revenue"] == {"amount": 9_999_999, "currency": "USD"}
    # The EUR invoice still counts towards how the customer pays: 1 late of 4.
    assert found["euros"]["metrics"]["invoices_counted"] == 4


def test_each_cell_of_the_matrix_decides_the_segment(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    record(
        store,
        [
            *payer("good-high", [0, 0, 0], amount=4_000_000),
            *payer("poor-high", [30, 30, 30], amount=4_000_000),
            *payer("poor-standard", [30, 30, 30]),
        ],
    )
    found = classify(client, ops)
    assert shown(found["good-high"]) == ("good", "high", "net_30")
    assert shown(found["poor-high"]) == ("poor", "high", "net_15")
    assert shown(found["poor-standard"]) == ("poor", "standard", "pay_on_order")


def test_margin_share_decides_high_only_where_the_policy_sets_one_and_invoices_carry_margins(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    high = {"min_revenue": {"amount": 10_000_000, "currency": "USD"}, "min_margin_pct": 25}
    version = replace_policy(store, value_tiers={"high": high})
    amounts = [4_000_000] * 3
    thin = sized("thin", amounts, gross_margin=1_000_000)
    thin[0] = thin[0]._replace(gross_margin=999_999)
    mixed = sized("mixed", amounts)
    mixed[0] = mixed[0]._replace(gross_margin=2_000_000)
    record(
        store,
        [
            *sized("fat", amounts, gross_margin=1_000_000),  # 25%: high, inclusive
            *thin,  # 24.99999%
            *sized("unmargined", amounts),
            *mixed,  # only the invoice with a margin counts: 50%
        ],
    )
    run_found = classify(client, ops)
    assert {customer: shown(move)[1] for customer, move in run_found.items()} == {
        "fat": "high",
        "thin": "standard",
        "unmargined": "high",
        "mixed": "high",
    }
    assert run_found["fat"]["metrics"]["margin_share"] == 0.25
    assert run_found["mixed"]["metrics"]["margin_share"] == 0.5
    assert run_found["unmargined"]["metrics"]["margin_share"] is None
    runs = client.get("/v1/segmentation-runs", headers=ops).json()["items"]
    assert runs[0]["policy_version"] == version
