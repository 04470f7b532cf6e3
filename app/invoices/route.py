"""Deciding a route: due date, dated contact plan and the Stripe hint, from a segment's terms."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from app.invoices.schemas import InvoiceIn
from app.terms.service import SegmentTerms


def contact_plan(
    steps: tuple[Any, ...] | list[Any], issued_on: date, due_on: date
) -> list[dict[str, Any]]:
    """The segment's plan as dated steps, in date order."""
    dated = [
        {
            "on": (due_on if step["relative_to"] == "due" else issued_on)
            + timedelta(days=step["offset_days"]),
            "channel": step["channel"],
            "kind": step["kind"],
        }
        for step in steps
    ]
    dated.sort(key=lambda step: step["on"])
    return [{**step, "on": step["on"].isoformat()} for step in dated]


def stripe_hint(terms: dict[str, Any]) -> dict[str, Any]:
    if terms["type"] == "pay_on_order":
        return {"collection_method": "charge_automatically", "days_until_due": None}
    return {"collection_method": "send_invoice", "days_until_due": terms["net_days"]}


def build(
    invoice: InvoiceIn,
    segment: SegmentTerms,
    source: str,
    policy_version: int,
    routed_at: datetime,
    decision_id: str | None = None,
) -> dict[str, Any]:
    """The route document: what the answer, the stored snapshot and the webhook event carry."""
    terms = dict(segment.terms)
    due_on = invoice.issued_on + timedelta(days=int(terms["net_days"]))
    return {
        "invoice_id": invoice.invoice_id,
        "customer_id": invoice.customer_id,
        "order_id": invoice.order_id,
        "amount": invoice.amount,
        "currency": invoice.currency,
        "segment": segment.key,
        "workflow": segment.workflow,
        "source": source,
        "terms": terms,
        "issued_on": invoice.issued_on.isoformat(),
        "due_on": due_on.isoformat(),
        "contact_plan": contact_plan(segment.contact_plan, invoice.issued_on, due_on),
        "stripe": stripe_hint(terms),
        "policy_version": policy_version,
        "routed_at": routed_at.isoformat().replace("+00:00", "Z"),
        "decision_id": decision_id,
    }
