"""What billing sends and gets back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from app.contacts.schemas import CreditNoteOut
from app.core.vocabulary import READ_DAY, CallerId, Currency, Day, Input, Terms

SalesOwner = Annotated[
    str, StringConstraints(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]+$")
]
Amount = Annotated[int, Field(ge=0, le=10**15, description="Minor units.")]
# Far enough from the calendar's ends that the due date (up to 365 days on) and every contact
# step (up to 365 days either side of issue or due) are dates too: never an overflow, a 500.
IssuedOn = Annotated[date, Field(ge=date(1900, 1, 1), le=date(9997, 12, 31)), READ_DAY]


class InvoiceIn(Input):
    invoice_id: CallerId
    customer_id: CallerId
    amount: Amount
    currency: Currency
    issued_on: IssuedOn
    order_id: CallerId | None = None
    gross_margin: int | None = Field(default=None, ge=-(10**15), le=10**15)
    sales_owner: SalesOwner | None = None


class BatchIn(Input):
    """Items are checked one by one, so one bad invoice (even one that is not an object) does
    not stop the others."""

    invoices: list[Any] = Field(description="At most 1000 invoices.")


class DatedStep(BaseModel):
    on: date
    channel: str
    kind: str


class StripeHint(BaseModel):
    """How a billing system on Stripe would create this invoice."""

    collection_method: Literal["charge_automatically", "send_invoice"]
    days_until_due: int | None


class RouteOut(BaseModel):
    invoice_id: str
    customer_id: str
    order_id: str | None
    amount: int
    currency: str
    segment: str
    workflow: str
    source: str
    terms: Terms
    issued_on: date
    due_on: date
    contact_plan: list[DatedStep]
    stripe: StripeHint
    policy_version: int
    routed_at: datetime
    decision_id: str | None = Field(
        default=None, description="The checkout decision whose terms bound this invoice."
    )


class RouteStatusOut(RouteOut):
    status: Literal["open", "paid"]
    outstanding: int


class BatchResult(BaseModel):
    invoice_id: str | None
    status: int
    route: RouteOut | None = None
    error: dict[str, Any] | None = None


class BatchOut(BaseModel):
    results: list[BatchResult]


class PaymentIn(Input):
    payment_id: CallerId
    invoice_id: CallerId
    amount: int = Field(gt=0, le=10**15, description="Minor units.")
    currency: Currency
    paid_on: Day


class PaymentOut(BaseModel):
    payment_id: str
    invoice_id: str
    amount: int
    currency: str
    paid_on: date
    invoice_status: Literal["open", "paid"]
    outstanding: int


class PaymentLine(BaseModel):
    payment_id: str
    amount: int
    currency: str
    paid_on: date


class InvoiceOut(BaseModel):
    """Any invoice, routed or imported: what it was for, when it is due, what is still owed."""

    invoice_id: str
    customer_id: str
    order_id: str | None
    amount: int
    currency: str
    issued_on: date
    due_on: date
    status: Literal["open", "paid"]
    outstanding: int = Field(description="amount minus payments and credit notes.")
    payments: list[PaymentLine]
    credited_amount: int = Field(description="Settled by credit notes, not cash; minor units.")
    credit_notes: list[CreditNoteOut] = Field(
        description="Disputes resolved with a credit note, oldest first."
    )
    segment: str | None = Field(
        description="The segment stamped when it was routed; null when imported."
    )
    sales_owner: str | None
    route: RouteOut | None = Field(description="The route as decided; null for imported history.")
