"""What callers send to start a run and get back about runs and their moves."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.models import SegmentationMove, SegmentationRun
from app.core.vocabulary import READ_DAY, Input

EARLIEST_AS_OF = date(1900, 1, 1)


class RunIn(Input):
    as_of: Annotated[date, Field(ge=EARLIEST_AS_OF), READ_DAY] | None = Field(
        default=None,
        description="Classify as of this day (default: today). Not after today.",
    )
    dry_run: bool = Field(
        default=True, description="true: preview, nothing about customers changes."
    )


class RunOut(BaseModel):
    id: str
    as_of: date
    dry_run: bool
    policy_version: int
    counts_before: dict[str, int] = Field(
        description="Classified customers by the segment that decides their terms before the run."
    )
    counts_after: dict[str, int] = Field(description="The same, with the run applied.")
    moved: int = Field(description="Customers whose assignment changes and whose terms follow.")
    held: int = Field(
        description="Customers whose assignment changes but whose terms an override or a term "
        "exception in force holds where they are."
    )
    classified: int = Field(description="Customers with invoices in the store.")
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, row: SegmentationRun) -> RunOut:
        return cls(
            id=row.id,
            as_of=row.as_of,
            dry_run=row.dry_run,
            policy_version=row.policy_version,
            counts_before=row.counts_before,
            counts_after=row.counts_after,
            moved=row.moved,
            held=row.held,
            classified=row.classified,
            created_at=row.created_at,
            created_by=row.created_by,
        )


class MoveOut(BaseModel):
    """A customer whose assignment the run changes (`from` is null where there was none)."""

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )

    customer_id: str
    from_segment: str | None = Field(alias="from")
    to_segment: str = Field(alias="to")
    payer_class: str | None
    value_tier: str
    metrics: dict[str, Any]
    held: bool

    @classmethod
    def of(cls, row: SegmentationMove) -> MoveOut:
        return cls(
            customer_id=row.customer_id,
            from_segment=row.from_segment,
            to_segment=row.to_segment,
            payer_class=row.payer_class,
            value_tier=row.value_tier,
            metrics=row.metrics,
            held=row.held,
        )
