"""A route: the due date, the dated contact plan and the Stripe hint decided for one invoice.

`Route` is the typed document; `document()` is its JSON shape, the one the answer, the stored
snapshot on the invoice and the webhook event carry, and `Route.of` reads a stored one back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.invoices.schemas import InvoiceIn
from app.terms.service import SegmentTerms


@dataclass(frozen=True, slots=True)
class ContactStep:
    """One dated step of the contact plan."""

    on: date
    channel: str
    kind: str

    def document(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "channel": self.channel, "kind": self.kind}


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    invoice_id: str
    customer_id: str
    order_id: str | None
    amount: int
    currency: str
    segment: str
    workflow: str
    source: str
    terms_type: str
    net_days: int
    issued_on: date
    due_on: date
    contact_plan: tuple[ContactStep, ...]
    policy_version: int
    routed_at: datetime
    decision_id: str | None

    @property
    def terms(self) -> dict[str, Any]:
        return {"type": self.terms_type, "net_days": self.net_days}

    def stripe_hint(self) -> dict[str, Any]:
        if self.terms_type == "pay_on_order":
            return {"collection_method": "charge_automatically", "days_until_due": None}
        return {"collection_method": "send_invoice", "days_until_due": self.net_days}

    def document(self) -> dict[str, Any]:
        return {
            "invoice_id": self.invoice_id,
            "customer_id": self.customer_id,
            "order_id": self.order_id,
            "amount": self.amount,
            "currency": self.currency,
            "segment": self.segment,
            "workflow": self.workflow,
            "source": self.source,
            "terms": self.terms,
            "issued_on": self.issued_on.isoformat(),
            "due_on": self.due_on.isoformat(),
            "contact_plan": [step.document() for step in self.contact_plan],
            "stripe": self.stripe_hint(),
            "policy_version": self.policy_version,
            "routed_at": self.routed_at.isoformat().replace("+00:00", "Z"),
            "decision_id": self.decision_id,
        }

    @classmethod
    def of(cls, document: Mapping[str, Any]) -> Route:
        """A route as stored on its invoice."""
        terms = document["terms"]
        return cls(
            invoice_id=document["invoice_id"],
            customer_id=document["customer_id"],
            order_id=document["order_id"],
            amount=document["amount"],
            currency=document["currency"],
            segment=document["segment"],
            workflow=document["workflow"],
            source=document["source"],
            terms_type=terms["type"],
            net_days=terms["net_days"],
            issued_on=date.fromisoformat(document["issued_on"]),
            due_on=date.fromisoformat(document["due_on"]),
            contact_plan=tuple(
                ContactStep(date.fromisoformat(step["on"]), step["channel"], step["kind"])
                for step in document["contact_plan"]
            ),
            policy_version=document["policy_version"],
            routed_at=datetime.fromisoformat(document["routed_at"]),
            decision_id=document.get("decision_id"),
        )


def contact_plan(
    steps: Iterable[Mapping[str, Any]], issued_on: date, due_on: date
) -> tuple[ContactStep, ...]:
    """The segment's plan as dated steps, in date order."""
    dated = [
        ContactStep(
            (due_on if step["relative_to"] == "due" else issued_on)
            + timedelta(days=step["offset_days"]),
            step["channel"],
            step["kind"],
        )
        for step in steps
    ]
    dated.sort(key=lambda step: step.on)
    return tuple(dated)


def build(
    invoice: InvoiceIn,
    segment: SegmentTerms,
    *,
    source: str,
    policy_version: int,
    routed_at: datetime,
    decision_id: str | None = None,
) -> Route:
    """The route of an invoice on `segment`'s terms, workflow and contact plan."""
    due_on = invoice.issued_on + timedelta(days=segment.net_days)
    return Route(
        invoice_id=invoice.invoice_id,
        customer_id=invoice.customer_id,
        order_id=invoice.order_id,
        amount=invoice.amount,
        currency=invoice.currency,
        segment=segment.key,
        workflow=segment.workflow,
        source=source,
        terms_type=str(segment.terms["type"]),
        net_days=segment.net_days,
        issued_on=invoice.issued_on,
        due_on=due_on,
        contact_plan=contact_plan(segment.contact_plan, invoice.issued_on, due_on),
        policy_version=policy_version,
        routed_at=routed_at,
        decision_id=decision_id,
    )
