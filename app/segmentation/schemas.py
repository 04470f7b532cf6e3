"""The segmentation policy as callers send it and see it."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.core.vocabulary import Currency, Input, Key, Money
from app.terms.service import Policy


class PolicyOut(Policy):
    """The policy as callers see it."""


# -- what a PUT sends: every class, tier and cell by name, so a missing one is a 422 ----------


class PayerClassBoundsIn(Input):
    """A payer class holds when all its bounds hold (inclusive)."""

    max_avg_days_late: float = Field(ge=0, le=3650, allow_inf_nan=False)
    max_late_share: float = Field(ge=0, le=1, allow_inf_nan=False)
    # Stored only when set, so a policy without it keeps the document it always had.
    max_broken_promises: int | None = Field(
        default=None,
        ge=0,
        le=1_000_000,
        exclude_if=lambda value: value is None,
        description="At most this many promises to pay broken in the lookback window (promises "
        "whose last day fell in it); absent: no bound.",
    )


class PayerClassesIn(Input):
    """Bounds for `good` and `average`; `poor` is every customer neither holds for."""

    good: PayerClassBoundsIn
    average: PayerClassBoundsIn


class ValueTierIn(Input):
    min_revenue: Money
    min_margin_pct: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)


class ValueTiersIn(Input):
    """Bounds for `high`; `standard` is every customer below them."""

    high: ValueTierIn


class MatrixRowIn(Input):
    high: Key
    standard: Key


class MatrixIn(Input):
    """The segment of each (payer class, value tier) cell: all six are required."""

    good: MatrixRowIn
    average: MatrixRowIn
    poor: MatrixRowIn


class PolicyIn(Input):
    """A new policy; the server gives it the next version."""

    # Assigned by the server: a body that sends it is refused, so the schema does not offer it.
    version: SkipJsonSchema[None] = None
    lookback_days: int = Field(ge=1, le=3650)
    min_invoices: int = Field(ge=1, le=1_000_000)
    currency: Currency
    new_customer_segment: Key
    payer_classes: PayerClassesIn
    value_tiers: ValueTiersIn
    matrix: MatrixIn

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_the_servers(cls, value: Any) -> None:
        raise ValueError("the version is assigned by the server; leave it out")

    def document(self) -> dict[str, Any]:
        """The policy as stored: everything but the version."""
        return self.model_dump(mode="json", exclude={"version"})
