"""The segmentation policy as a typed document, parsed once where it leaves the store."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

from app.core.models import SegmentationPolicy
from app.core.vocabulary import Money


class PayerClassBounds(BaseModel):
    max_avg_days_late: float = Field(ge=0)
    max_late_share: float = Field(ge=0, le=1)
    # Absent in documents stored before it existed, and in those that set no bound: shown only
    # when set.
    max_broken_promises: int | None = Field(
        default=None,
        ge=0,
        exclude_if=lambda value: value is None,
        description="At most this many promises to pay broken in the lookback window; "
        "absent: no bound.",
    )


class ValueTierBounds(BaseModel):
    min_revenue: Money
    min_margin_pct: float | None = Field(default=None, ge=0, le=100)


class Policy(BaseModel):
    """One version of the policy: how customers are classified and which segment each
    (payer class, value tier) cell places them on."""

    model_config = ConfigDict(frozen=True)

    version: int
    lookback_days: int
    min_invoices: int
    currency: str
    new_customer_segment: str
    payer_classes: dict[str, PayerClassBounds]
    value_tiers: dict[str, ValueTierBounds]
    matrix: dict[str, dict[str, str]]
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, row: SegmentationPolicy) -> Self:
        return cls.model_validate(
            {
                **row.document,
                "version": row.version,
                "created_at": row.created_at,
                "created_by": row.created_by,
            }
        )

    def segments_named(self) -> set[str]:
        """Every segment key the policy refers to: its matrix cells and the new-customer one."""
        return {
            self.new_customer_segment,
            *(k for row in self.matrix.values() for k in row.values()),
        }
