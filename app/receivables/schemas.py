"""What the receivables reports answer."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.customers.schemas import Sum

BUCKETS = ("current", "1_30", "31_60", "61_90", "over_90")
Bucket = Literal["current", "1_30", "31_60", "61_90", "over_90"]
Interval = Literal["month", "quarter"]


class Tally(BaseModel):
    """Open invoices and what is still owed on them."""

    count: int
    sum: Sum


class AgeingBuckets(BaseModel):
    """Owed at `as_of` by days past due (as_of - due_on)."""

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )

    current: Tally = Field(description="Not yet due: days past due <= 0.")
    days_1_30: Tally = Field(alias="1_30")
    days_31_60: Tally = Field(alias="31_60")
    days_61_90: Tally = Field(alias="61_90")
    over_90: Tally


class SegmentAgeing(BaseModel):
    segment: str | None = Field(
        description="The segment stamped on the invoices when they were routed; null for "
        "imported history, which has none."
    )
    total: Tally
    buckets: AgeingBuckets


class AgeingOut(BaseModel):
    """Open receivables at `as_of`, overall and per segment."""

    as_of: date
    currency: str
    total: Tally
    buckets: AgeingBuckets
    segments: list[SegmentAgeing] = Field(
        description="Each segment with something owed at as_of, by key; null (unrouted) last."
    )


class OwnerPeriod(BaseModel):
    """One sales owner's invoices of one period, and what was paid by their due dates."""

    owner: str
    period_from: date
    period_to: date
    invoiced: Sum = Field(description="Amounts of the counted invoices.")
    collected_by_due: Sum = Field(
        description="Payments on the counted invoices made on or before each one's due date."
    )
    share: float | None = Field(
        description="collected_by_due / invoiced, rounded to 4 decimals; null when nothing "
        "was invoiced."
    )
    invoices: int = Field(description="Counted invoices: issued in the period, due before today.")
    not_yet_due: int = Field(
        description="Invoices issued in the period but due today or later: not counted yet."
    )


class CollectionsOut(BaseModel):
    """Cash collected by the due date, per sales owner and period."""

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )

    from_on: date = Field(alias="from")
    to_on: date = Field(alias="to")
    currency: str
    interval: Interval
    as_of: date = Field(description="Today, by the service's clock: invoices due before it count.")
    items: list[OwnerPeriod] = Field(description="By period, then owner.")
