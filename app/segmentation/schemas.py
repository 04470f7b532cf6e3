"""The segmentation policy as callers see it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.vocabulary import Money


class PayerClassBounds(BaseModel):
    max_avg_days_late: float = Field(ge=0)
    max_late_share: float = Field(ge=0, le=1)


class ValueTierBounds(BaseModel):
    min_revenue: Money
    min_margin_pct: float | None = Field(default=None, ge=0, le=100)


class PolicyOut(BaseModel):
    version: int
    lookback_days: int
    min_invoices: int
    currency: str
    new_customer_segment: str
    payer_classes: dict[str, PayerClassBounds]
    value_tiers: dict[str, ValueTierBounds]
    matrix: dict[str, dict[str, str]]
