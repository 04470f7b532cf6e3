"""Policy bodies and requests the segmentation tests share."""

from __future__ import annotations

import copy
from typing import Any

import httpx
from fastapi.testclient import TestClient

POLICY = "/v1/segmentation-policy"
VERSIONS = "/v1/segmentation-policy/versions"
DEFAULT: dict[str, Any] = {
    "lookback_days": 365,
    "min_invoices": 3,
    "currency": "USD",
    "new_customer_segment": "pay_on_order",
    "payer_classes": {
        "good": {"max_avg_days_late": 2.0, "max_late_share": 0.1},
        "average": {"max_avg_days_late": 10.0, "max_late_share": 0.5},
    },
    "value_tiers": {
        "high": {"min_revenue": {"amount": 10_000_000, "currency": "USD"}, "min_margin_pct": None}
    },
    "matrix": {
        "good": {"high": "net_30", "standard": "net_30"},
        "average": {"high": "net_30", "standard": "net_15"},
        "poor": {"high": "net_15", "standard": "pay_on_order"},
    },
}


def policy(**changes: Any) -> dict[str, Any]:
    """The default policy as a PUT body; a change at "a.b.c" replaces that nested field."""
    body = copy.deepcopy(DEFAULT)
    for path, value in changes.items():
        *parents, leaf = path.split(".")
        node = body
        for name in parents:
            node = node[name]
        node[leaf] = value
    return body


def without(path: str) -> dict[str, Any]:
    """The default policy with the field at dotted `path` left out."""
    body = copy.deepcopy(DEFAULT)
    *parents, leaf = path.split(".")
    node = body
    for name in parents:
        node = node[name]
    del node[leaf]
    return body


def put(
    client: TestClient, body: Any, headers: dict[str, str], if_match: str | None = '"1"'
) -> httpx.Response:
    """PUT the policy, under If-Match `if_match` unless it is None."""
    sent = {**headers, **({"If-Match": if_match} if if_match is not None else {})}
    answer: httpx.Response = client.put(POLICY, json=body, headers=sent)
    return answer
