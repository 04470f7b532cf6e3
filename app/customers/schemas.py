"""What callers send and get back for overrides."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.core.vocabulary import Day, Input, Key, Reason

HISTORY_SHOWN = 100


class OverrideIn(Input):
    segment: Key
    reason: Reason
    expires_on: Day | None = None


class OverrideOut(BaseModel):
    customer_id: str
    segment: str
    reason: str
    expires_on: date | None
    set_by: str
    set_at: datetime


class Sum(BaseModel):
    """A money object as stored (not checked against today's currency list)."""

    amount: int
    currency: str


class CustomerMetrics(BaseModel):
    """The numbers behind a classification, as of the run that made it."""

    invoices_counted: int = Field(
        description="Invoices issued in the lookback window and paid by the run's as_of date "
        "or due before it."
    )
    invoices_late: int
    invoices_paid: int = Field(description="Counting invoices paid by the as_of date.")
    avg_days_late: float | None
    late_share: float | None
    avg_days_to_pay: float | None = Field(description="Issue to payment, over those paid.")
    revenue: Sum = Field(description="Invoiced in the policy's currency in the window.")
    margin_share: float | None = Field(
        description="Gross margin over amount, of the revenue invoices that carry a margin."
    )
    broken_promises: int | None = Field(
        default=None,
        description="Promises to pay broken in the lookback window (their last day fell in it); "
        "null for a run made before promises were counted.",
    )


class PromisesRecord(BaseModel):
    """The customer's promises to pay, all time, live."""

    made: int
    kept: int
    broken: int
    open: int
    kept_rate: float | None = Field(description="kept / (kept + broken); null when none closed.")


class HistoryItem(BaseModel):
    """One change of where the customer stands, and who or what made it."""

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )

    at: datetime
    kind: str = Field(description="run, override, override_removed or exception.")
    from_segment: str | None = Field(alias="from")
    to_segment: str | None = Field(alias="to")
    run_id: str | None
    by: str = Field(description="`run:<id>` or the name of the key that made the change.")


class ProfileOut(BaseModel):
    """Why a customer has the terms it has."""

    customer_id: str
    segment: str
    source: str = Field(description="segment, override, exception or default, as the lookup says.")
    payer_class: str | None
    value_tier: str | None
    metrics: CustomerMetrics | None = Field(description="As of the last applied run.")
    classified_by_run: str | None
    classified_as_of: date | None
    open_receivables: list[Sum] = Field(description="Still owed, per currency, live.")
    promises: PromisesRecord
    disputes_open: int = Field(description="Disputes not yet resolved, live.")
    credited: list[Sum] = Field(
        description="Credit notes (disputes resolved with a credit), all time, per currency."
    )
    history: list[HistoryItem] = Field(description=f"The latest {HISTORY_SHOWN}, oldest first.")
    why: list[str] = Field(
        description="The classification in words, with its figures against the bounds of the "
        "policy version that made it; then what overrides or exceptions change."
    )
