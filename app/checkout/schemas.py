"""What checkout sends and gets back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.core.vocabulary import CallerId, Currency, Input, Money, Terms

Outcome = Literal["net_terms", "pay_on_order"]
Reason = Literal[
    "segment_pay_on_order",
    "new_customer",
    "requested_terms_exceed_allowed",
    "credit_limit_exceeded",
    "exception_applied",
    "store_unavailable",
]
Amount = Annotated[int, Field(ge=0, le=10**15, description="Minor units.")]


class DecisionIn(Input):
    customer_id: CallerId
    order_id: CallerId
    amount: Amount
    currency: Currency
    requested_terms: Terms | None = None


class DecisionOut(BaseModel):
    decision_id: str
    customer_id: str
    order_id: str
    outcome: Outcome
    terms: Terms = Field(description="The terms granted.")
    reasons: list[Reason]
    segment: str
    source: Literal["segment", "override", "exception", "default"]
    policy_version: int | None
    amount: int
    currency: str
    requested_terms: Terms | None
    credit_limit: Money | None = Field(description="The limit the credit check used, if any.")
    open_receivables: int = Field(
        description="The customer's open receivables in the order's currency before this order."
    )
    exposure: Money | None = Field(
        None,
        description="What the credit check counted before this order, in the order's currency: "
        "open receivables plus open orders (net terms granted, not yet invoiced, released or "
        "expired). None on decisions recorded before exposure was answered.",
    )
    stale: bool = Field(description="Answered from a snapshot the store could not confirm.")
    decided_at: datetime


class ReleaseOut(BaseModel):
    decision_id: str
    customer_id: str
    order_id: str
    amount: int
    currency: str
    released_at: datetime = Field(description="When the order stopped holding credit.")
