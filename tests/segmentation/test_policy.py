"""/v1/segmentation-policy: what ops relies on when it reads and replaces the policy."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from tests.support.policies import DEFAULT, POLICY, policy, put, without
from tests.support.problems import assert_problem, error_locs
from tests.support.segments import net_45

# -- reading ----------------------------------------------------------------------------------


def test_get_answers_the_seeded_policy_with_its_version_as_etag(
    client: TestClient, reader: dict[str, str]
) -> None:
    answer = client.get(POLICY, headers=reader)
    assert answer.status_code == 200
    assert answer.headers["etag"] == '"1"'
    body = answer.json()
    assert body["version"] == 1
    assert body["created_by"] == "system"
    assert {key: body[key] for key in DEFAULT} == DEFAULT


def test_get_without_a_key_is_401(client: TestClient) -> None:
    assert_problem(client.get(POLICY), 401, "unauthenticated")


# -- replacing ---------------------------------------------------------------------------------


def test_put_without_if_match_is_428_and_changes_nothing(
    client: TestClient, ops: dict[str, str]
) -> None:
    answer = put(client, policy(min_invoices=5), ops, if_match=None)
    assert_problem(answer, 428, "precondition-required")
    assert client.get(POLICY, headers=ops).json()["min_invoices"] == 3


def test_put_with_a_stale_etag_is_412_and_changes_nothing(
    client: TestClient, ops: dict[str, str]
) -> None:
    assert put(client, policy(min_invoices=5), ops).status_code == 200
    answer = put(client, policy(min_invoices=7), ops, if_match='"1"')
    assert_problem(answer, 412, "precondition-failed")
    current = client.get(POLICY, headers=ops)
    assert (current.headers["etag"], current.json()["min_invoices"]) == ('"2"', 5)


def test_put_stores_the_next_version_and_answers_its_etag(
    client: TestClient, ops: dict[str, str]
) -> None:
    answer = put(client, policy(min_invoices=5, new_customer_segment="net_15"), ops)
    assert answer.status_code == 200
    assert answer.headers["etag"] == '"2"'
    body = answer.json()
    assert (body["version"], body["min_invoices"], body["created_by"]) == (2, 5, "ops")
    current = client.get(POLICY, headers=ops)
    assert current.headers["etag"] == '"2"'
    assert current.json() == body
    third = put(client, policy(min_invoices=6), ops, if_match='"2"')
    assert (third.status_code, third.headers["etag"]) == (200, '"3"')


def test_put_needs_segments_write(client: TestClient, reader: dict[str, str]) -> None:
    assert_problem(put(client, policy(), reader), 403, "forbidden")


def test_put_with_a_body_that_is_not_json_is_400(client: TestClient, ops: dict[str, str]) -> None:
    answer = client.put(
        POLICY,
        content=b"{not json",
        headers={**ops, "If-Match": '"1"', "Content-Type": "application/json"},
    )
    assert_problem(answer, 400, "malformed")


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (policy(**{"matrix.good.high": "net_99"}), ["body", "matrix", "good", "high"]),
        (policy(**{"matrix.poor.standard": "gone"}), ["body", "matrix", "poor", "standard"]),
        (without("matrix.average.standard"), ["body", "matrix", "average", "standard"]),
        (without("matrix.poor"), ["body", "matrix", "poor"]),
        (policy(**{"matrix.excellent": {"high": "net_30", "standard": "net_30"}}),
         ["body", "matrix", "excellent"]),
        (policy(**{"matrix.good.premium": "net_30"}), ["body", "matrix", "good", "premium"]),
        (policy(**{"matrix.good.high": "Net 30"}), ["body", "matrix", "good", "high"]),
        (policy(new_customer_segment="net_99"), ["body", "new_customer_segment"]),
        (policy(**{"payer_classes.average.max_avg_days_late": 1.5}),
         ["body", "payer_classes", "average", "max_avg_days_late"]),
        (policy(**{"payer_classes.average.max_late_share": 0.05}),
         ["body", "payer_classes", "average", "max_late_share"]),
        (policy(**{"payer_classes.good.max_late_share": 1.5}),
         ["body", "payer_classes", "good", "max_late_share"]),
        (policy(**{"payer_classes.good.max_avg_days_late": -1}),
         ["body", "payer_classes", "good", "max_avg_days_late"]),
        (without("payer_classes.average"), ["body", "payer_classes", "average"]),
        (policy(**{"payer_classes.poor": {"max_avg_days_late": 99, "max_late_share": 1}}),
         ["body", "payer_classes", "poor"]),
        (policy(lookback_days=0), ["body", "lookback_days"]),
        (policy(lookback_days=3651), ["body", "lookback_days"]),
        (policy(min_invoices=0), ["body", "min_invoices"]),
        (policy(currency="XYZ"), ["body", "currency"]),
        (policy(currency="usd"), ["body", "currency"]),
        (policy(**{"value_tiers.high.min_revenue": {"amount": 5, "currency": "EUR"}}),
         ["body", "value_tiers", "high", "min_revenue", "currency"]),
        (policy(**{"value_tiers.high.min_revenue.amount": -1}),
         ["body", "value_tiers", "high", "min_revenue", "amount"]),
        (policy(**{"value_tiers.high.min_margin_pct": 100.5}),
         ["body", "value_tiers", "high", "min_margin_pct"]),
        (policy(**{"value_tiers.high.min_margin_pct": -0.1}),
         ["body", "value_tiers", "high", "min_margin_pct"]),
        (policy(**{"value_tiers.standard": {"min_revenue": {"amount": 0, "currency": "USD"}}}),
         ["body", "value_tiers", "standard"]),
        (policy(version=2), ["body", "version"]),
        (policy(version=None), ["body", "version"]),
        (policy(notes="hello"), ["body", "notes"]),
    ],
)  # fmt: skip
def test_put_refuses_an_inconsistent_policy_with_the_field_at_fault(
    client: TestClient, ops: dict[str, str], body: dict[str, Any], loc: list[str]
) -> None:
    problem = assert_problem(put(client, body, ops), 422, "invalid")
    assert loc in error_locs(problem)
    assert client.get(POLICY, headers=ops).headers["etag"] == '"1"'


def test_put_reports_every_inconsistency_at_once(client: TestClient, ops: dict[str, str]) -> None:
    body = policy(
        new_customer_segment="net_99",
        **{
            "matrix.good.high": "net_98",
            "payer_classes.average.max_late_share": 0.01,
            "value_tiers.high.min_revenue.currency": "EUR",
        },
    )
    assert sorted(error_locs(assert_problem(put(client, body, ops), 422, "invalid"))) == sorted(
        [
            ["body", "matrix", "good", "high"],
            ["body", "new_customer_segment"],
            ["body", "payer_classes", "average", "max_late_share"],
            ["body", "value_tiers", "high", "min_revenue", "currency"],
        ]
    )


def test_equal_bounds_for_good_and_average_are_accepted(
    client: TestClient, ops: dict[str, str]
) -> None:
    bounds = {"max_avg_days_late": 5, "max_late_share": 0.2}
    body = policy(**{"payer_classes.good": bounds, "payer_classes.average": bounds})
    assert put(client, body, ops).status_code == 200


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
def test_put_with_a_number_json_cannot_hold_is_422_not_500(
    client: TestClient, ops: dict[str, str], number: bytes
) -> None:
    field = b'"max_avg_days_late":'
    raw = orjson.dumps(DEFAULT).replace(field + b"2.0", field + number)
    headers = {**ops, "If-Match": '"1"', "Content-Type": "application/json"}
    answer = client.put(POLICY, content=raw, headers=headers)
    assert ["body", "payer_classes", "good", "max_avg_days_late"] in error_locs(
        assert_problem(answer, 422, "invalid")
    )


def test_policy_may_name_a_segment_made_after_it(client: TestClient, ops: dict[str, str]) -> None:
    assert client.put("/v1/segments/net_45", json=net_45(), headers=ops).status_code == 201
    answer = put(client, policy(**{"matrix.good.high": "net_45"}), ops)
    assert answer.status_code == 200
    assert answer.json()["matrix"]["good"]["high"] == "net_45"
