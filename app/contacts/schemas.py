"""What collectors and finance send and get back in the contact loop."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from app.core.models import ContactTask, Dispute, Promise
from app.core.vocabulary import CallerId, Currency, Day, Input, Instant, Reason

Channel = Literal["email", "phone", "portal", "letter"]
TaskKind = Literal["service_check", "reminder", "escalation", "statement"]
TaskStatus = Literal["open", "done", "held", "cancelled"]
Outcome = Literal[
    "no_issue",
    "no_answer",
    "wrong_contact",
    "invoice_not_received",
    "promise_to_pay",
    "dispute",
    "payment_sent",
]
DisputeReason = Literal["wrong_delivery", "not_received", "price", "quantity", "quality", "other"]
PromiseStatus = Literal["open", "kept", "broken"]
DisputeStatus = Literal["open", "resolved"]


class TaskOut(BaseModel):
    id: int
    invoice_id: str
    customer_id: str
    segment: str | None
    on: date
    channel: str
    kind: str
    status: TaskStatus

    @classmethod
    def of(cls, row: ContactTask) -> TaskOut:
        return cls(
            id=row.id,
            invoice_id=row.invoice_id,
            customer_id=row.customer_id,
            segment=row.segment,
            on=row.scheduled_on,
            channel=row.channel,
            kind=row.kind,
            status=row.status,
        )


class PromiseIn(Input):
    amount: int = Field(gt=0, le=10**15, description="Minor units.")
    currency: Currency
    pay_on: Day


class DisputeIn(Input):
    reason: DisputeReason
    amount: int | None = Field(
        default=None, gt=0, le=10**15, description="Minor units; defaults to the outstanding."
    )


class TouchIn(Input):
    touch_id: CallerId
    invoice_id: CallerId
    task_id: int | None = Field(default=None, ge=1, le=2**62)
    channel: Channel
    kind: TaskKind
    occurred_at: Instant
    outcome: Outcome
    note: Reason | None = None
    promise: PromiseIn | None = None
    dispute: DisputeIn | None = None

    @model_validator(mode="after")
    def _details_match_outcome(self) -> TouchIn:
        if self.outcome == "promise_to_pay" and self.promise is None:
            raise ValueError("a promise_to_pay touch needs its promise")
        if self.outcome == "dispute" and self.dispute is None:
            raise ValueError("a dispute touch needs its dispute")
        if self.promise is not None and self.outcome != "promise_to_pay":
            raise ValueError("only a promise_to_pay touch carries a promise")
        if self.dispute is not None and self.outcome != "dispute":
            raise ValueError("only a dispute touch carries a dispute")
        return self


class PromiseOut(BaseModel):
    id: str
    invoice_id: str
    customer_id: str
    amount: int
    currency: str
    pay_on: date
    status: PromiseStatus

    @classmethod
    def of(cls, row: Promise) -> PromiseOut:
        return cls(
            id=row.id,
            invoice_id=row.invoice_id,
            customer_id=row.customer_id,
            amount=row.amount,
            currency=row.currency,
            pay_on=row.pay_on,
            status=row.status,
        )


class DisputeOut(BaseModel):
    id: str
    invoice_id: str
    customer_id: str
    reason: str
    amount: int
    currency: str
    status: DisputeStatus
    opened_at: datetime
    resolved_at: datetime | None = None
    resolution: str | None = None
    credit_amount: int | None = None

    @classmethod
    def of(cls, row: Dispute) -> DisputeOut:
        return cls(
            id=row.id,
            invoice_id=row.invoice_id,
            customer_id=row.customer_id,
            reason=row.reason,
            amount=row.amount,
            currency=row.currency,
            status=row.status,
            opened_at=row.opened_at,
            resolved_at=row.resolved_at,
            resolution=row.resolution,
            credit_amount=row.credit_amount,
        )


class CreditNoteOut(BaseModel):
    """A credit note: the credit a dispute was resolved with. It settles part of the invoice
    and is not cash."""

    dispute_id: str
    amount: int = Field(description="Minor units, in the invoice's currency.")
    issued_at: datetime

    @classmethod
    def of(cls, row: Dispute) -> CreditNoteOut:
        assert row.credit_amount is not None
        assert row.resolved_at is not None
        return cls(dispute_id=row.id, amount=row.credit_amount, issued_at=row.resolved_at)


class TouchOut(BaseModel):
    touch_id: str
    invoice_id: str
    customer_id: str
    task_id: int | None
    channel: str
    kind: str
    occurred_at: datetime
    outcome: str
    note: str | None
    promise: PromiseOut | None = None
    dispute: DisputeOut | None = None


class TouchBatchIn(Input):
    """Items are checked one by one, so one bad touch (even one that is not an object) does
    not stop the others."""

    touches: list[Any] = Field(description="At most 1000 touches, each as POST /v1/touches takes.")


class TouchBatchResult(BaseModel):
    touch_id: str | None
    status: int = Field(description="What POST /v1/touches would have answered for this touch.")
    touch: TouchOut | None = None
    error: dict[str, Any] | None = Field(default=None, description="The problem, if refused.")


class TouchBatchOut(BaseModel):
    results: list[TouchBatchResult]


class ResolveIn(Input):
    resolution: Literal["invoice_stands", "credit_note"]
    credit_amount: int | None = Field(default=None, gt=0, le=10**15, description="Minor units.")
    note: Reason | None = None

    @model_validator(mode="after")
    def _credit_with_credit_note(self) -> ResolveIn:
        if self.resolution == "credit_note" and self.credit_amount is None:
            raise ValueError("a credit_note resolution needs its credit_amount")
        if self.resolution == "invoice_stands" and self.credit_amount is not None:
            raise ValueError("an invoice_stands resolution credits nothing")
        return self


class MoneyOut(BaseModel):
    amount: int
    currency: str


class WorklistItem(BaseModel):
    customer_id: str
    segment: str | None
    priority: float = Field(description="Higher first.")
    why: list[str] = Field(description="What put the customer here, most weighty first.")
    tasks: list[TaskOut]
    open_receivables: list[MoneyOut]
    overdue: list[MoneyOut]


class WorklistOut(BaseModel):
    on: date
    items: list[WorklistItem]
    next_cursor: str | None


class CaughtOut(BaseModel):
    count: int
    money: list[MoneyOut]


class PromisesKpi(BaseModel):
    made: int
    kept: int
    broken: int
    kept_rate: float | None = Field(description="kept / (kept + broken); null when none closed.")


class DisputesKpi(BaseModel):
    opened: int
    resolved: int
    mean_days_to_resolve: float | None


class TasksKpi(BaseModel):
    due: int
    done_on_date: int
    done_on_date_share: float | None


class ContactKpis(BaseModel):
    touches_by_kind: dict[str, int]
    touches_by_outcome: dict[str, int]
    issues_caught_before_due: CaughtOut
    promises: PromisesKpi
    disputes: DisputesKpi
    tasks: TasksKpi
