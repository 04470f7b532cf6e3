"""What a terms lookup answers."""

from __future__ import annotations

# What a process that never loaded a snapshot answers for customer c-1.
NEVER_LOADED_ANSWER = {
    "customer_id": "c-1",
    "segment": "pay_on_order",
    "terms": {"type": "pay_on_order", "net_days": 0},
    "credit_limit": None,
    "source": "default",
    "policy_version": None,
    "stale": True,
}
