"""What callers send and get back for segments."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.core.models import Segment
from app.core.vocabulary import Input, Key, Money, Name, Terms


class ContactStep(Input):
    """One step of a contact plan, dated against the invoice's due or issue date."""

    offset_days: int = Field(ge=-365, le=365)
    relative_to: Literal["due", "issue"]
    channel: Literal["email", "phone", "portal", "letter"]
    kind: Literal["service_check", "reminder", "escalation", "statement"]


class SegmentIn(Input):
    key: Key | None = Field(default=None, description="If given, must equal the key in the path.")
    name: Name
    terms: Terms
    credit_limit: Money | None = None
    workflow: Key
    contact_plan: list[ContactStep] = Field(default_factory=list, max_length=20)


class SegmentOut(BaseModel):
    key: str
    name: str
    terms: Terms
    credit_limit: Money | None
    workflow: str
    contact_plan: list[ContactStep]
    revision: int

    @classmethod
    def of(cls, row: Segment) -> SegmentOut:
        limit = None
        if row.credit_limit_amount is not None and row.credit_limit_currency is not None:
            limit = Money(amount=row.credit_limit_amount, currency=row.credit_limit_currency)
        return cls(
            key=row.key,
            name=row.name,
            terms=Terms.model_validate({"type": row.terms_type, "net_days": row.net_days}),
            credit_limit=limit,
            workflow=row.workflow_key,
            contact_plan=[ContactStep.model_validate(step) for step in row.contact_plan],
            revision=row.revision,
        )
