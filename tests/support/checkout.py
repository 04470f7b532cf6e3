"""Checkout's orders as a shop sends them."""

from __future__ import annotations

from typing import Any


def order(order_id: str = "o-1", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer_id": "c-1",
        "order_id": order_id,
        "amount": 50_000,
        "currency": "USD",
    }
    body.update(changes)
    return body
