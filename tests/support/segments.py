"""Segments as ops writes them, and customers placed in one as a segmentation run places them."""

from __future__ import annotations

from typing import Any

from app.core.models import Customer
from app.core.store import Store, written_version


def net_45(**changes: Any) -> dict[str, Any]:
    """A valid segment body, with `changes` applied."""
    body: dict[str, Any] = {
        "name": "Net 45",
        "terms": {"type": "net", "net_days": 45},
        "credit_limit": {"amount": 5_000_000, "currency": "USD"},
        "workflow": "net_30",
        "contact_plan": [
            {"offset_days": 3, "relative_to": "due", "channel": "email", "kind": "reminder"}
        ],
    }
    body.update(changes)
    return body


def place(store: Store, customer_id: str, segment: str) -> None:
    """Assign a customer to a segment, as a segmentation run would."""
    with store.writing() as session:
        session.add(
            Customer(
                customer_id=customer_id,
                segment_key=segment,
                assigned_by="test",
                changed_version=written_version(session),
            )
        )
