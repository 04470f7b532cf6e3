"""What callers get back from the cash forecast routes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from app.forecasts.record import ForecastRecord
from app.forecasts.service import CashForecast, InvoiceForecast


class CashAmount(BaseModel):
    """A sum of money: integer minor units and an ISO 4217 code."""

    amount: int
    currency: str


class _Week(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    start: date = Field(alias="from", description="as_of + 1 + 7k.")
    end: date = Field(alias="to", description="as_of + 7k + 7, included.")


class CashWeekOut(_Week):
    expected: CashAmount = Field(description="Cash expected in the week.")


class CashForecastOut(BaseModel):
    as_of: date
    currency: str
    segment: str | None
    open_receivables: CashAmount = Field(description="Owed at the end of as_of (DSO's).")
    weeks: list[CashWeekOut]
    later: CashAmount = Field(description="Expected after the last week: weeks + later = owed.")

    @classmethod
    def of(cls, found: CashForecast) -> CashForecastOut:
        code = found.currency
        return cls(
            as_of=found.as_of,
            currency=code,
            segment=found.segment,
            open_receivables=CashAmount(amount=found.open_receivables, currency=code),
            weeks=[
                CashWeekOut.model_validate(
                    {
                        "from": week.starts_on,
                        "to": week.ends_on,
                        "expected": CashAmount(amount=week.expected, currency=code),
                    }
                )
                for week in found.weeks
            ],
            later=CashAmount(amount=found.later, currency=code),
        )


class InvoiceForecastOut(BaseModel):
    invoice_id: str
    customer_id: str
    segment: str | None
    currency: str
    due_on: date
    outstanding: int = Field(description="Owed on it at the end of as_of, in minor units.")
    expected_paid_on: date = Field(
        description="The day by which payment is more likely than not (the median)."
    )
    basis: str = Field(description="In words: what the date was derived from.")

    @classmethod
    def of(cls, found: InvoiceForecast) -> InvoiceForecastOut:
        return cls(
            invoice_id=found.invoice_id,
            customer_id=found.customer_id,
            segment=found.segment,
            currency=found.currency,
            due_on=found.due_on,
            outstanding=found.outstanding,
            expected_paid_on=found.expected_paid_on,
            basis=found.basis,
        )


class RecordedWeekOut(_Week):
    expected: int = Field(description="Minor units, as forecast.")
    actual: int | None = Field(description="Paid in the week; null until the week is over.")


class RecordedForecastOut(BaseModel):
    made_on: date
    currency: str
    open_receivables: int
    weeks: list[RecordedWeekOut]
    later: int
    wape_1: float | None = Field(description="null until the weeks are over or if none paid.")
    wape_4: float | None
    wape_13: float | None

    @classmethod
    def of(cls, found: ForecastRecord) -> RecordedForecastOut:
        return cls(
            made_on=found.made_on,
            currency=found.currency,
            open_receivables=found.open_receivables,
            weeks=[
                RecordedWeekOut.model_validate(
                    {
                        "from": week.starts_on,
                        "to": week.ends_on,
                        "expected": week.expected,
                        "actual": week.actual,
                    }
                )
                for week in found.weeks
            ],
            later=found.later,
            wape_1=_rounded(found.wape(1)),
            wape_4=_rounded(found.wape(4)),
            wape_13=_rounded(found.wape(13)),
        )


class AccuracyOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    start: date = Field(alias="from")
    end: date = Field(alias="to")
    currency: str | None
    forecasts: list[RecordedForecastOut]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
