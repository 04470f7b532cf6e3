"""What callers get back from the KPI routes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.contacts.schemas import ContactKpis
from app.kpis.cei import Cei
from app.kpis.dso import Dso
from app.kpis.periods import Interval
from app.kpis.trend import TrendPeriod


class MoneySum(BaseModel):
    """A sum of money: integer minor units and an ISO 4217 code."""

    amount: int
    currency: str

    @classmethod
    def of(cls, amount: int, currency: str) -> MoneySum:
        return cls(amount=amount, currency=currency)


def _days(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class _Dated(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    start: date = Field(alias="from")
    end: date = Field(alias="to")


class DsoFigures(BaseModel):
    """One DSO measurement; days rounded to 2 decimals half up, null when nothing was sold."""

    days: int = Field(description="to - from + 1.")
    credit_sales: MoneySum = Field(description="Invoiced in [from, to].")
    receivables_end: MoneySum = Field(description="Owed at the end of `to`.")
    current_receivables: MoneySum = Field(description="Part of receivables_end not past due.")
    dso: float | None
    best_possible_dso: float | None = Field(description="current_receivables on the DSO's terms.")
    add: float | None = Field(description="Average days delinquent: dso - best_possible_dso.")

    @classmethod
    def figures(cls, found: Dso) -> dict[str, object]:
        currency = found.currency
        return {
            "days": found.period.days,
            "credit_sales": MoneySum.of(found.credit_sales, currency),
            "receivables_end": MoneySum.of(found.receivables_end, currency),
            "current_receivables": MoneySum.of(found.current_receivables, currency),
            "dso": _days(found.dso),
            "best_possible_dso": _days(found.best_possible_dso),
            "add": _days(found.add),
        }

    @classmethod
    def of(cls, found: Dso) -> DsoFigures:
        return cls.model_validate(cls.figures(found))


class DsoOut(_Dated, DsoFigures):
    currency: str
    segment: str | None
    method: Literal["standard", "countback"]

    @classmethod
    def of(cls, found: Dso) -> DsoOut:
        return cls.model_validate(
            {
                "from": found.period.start,
                "to": found.period.end,
                "currency": found.currency,
                "segment": found.segment,
                "method": found.method,
                **DsoFigures.figures(found),
            }
        )


class CeiOut(_Dated):
    currency: str
    segment: str | None
    days: int
    receivables_start: MoneySum = Field(description="Owed at the end of the day before `from`.")
    credit_sales: MoneySum
    receivables_end: MoneySum
    current_receivables_end: MoneySum = Field(description="Part of receivables_end not past due.")
    credit_notes: MoneySum = Field(
        description="Credited in [from, to] (disputes resolved with a credit note): owed no more, "
        "and not collected."
    )
    collected: MoneySum = Field(
        description="Cash: receivables_start + credit_sales - credit_notes - receivables_end."
    )
    cei: float | None = Field(description="Percent, 2 decimals; null when nothing was to collect.")

    @classmethod
    def of(cls, found: Cei) -> CeiOut:
        currency = found.currency
        return cls.model_validate(
            {
                "from": found.period.start,
                "to": found.period.end,
                "currency": currency,
                "segment": found.segment,
                "days": found.period.days,
                "receivables_start": MoneySum.of(found.receivables_start, currency),
                "credit_sales": MoneySum.of(found.credit_sales, currency),
                "receivables_end": MoneySum.of(found.receivables_end, currency),
                "current_receivables_end": MoneySum.of(found.current_receivables_end, currency),
                "credit_notes": MoneySum.of(found.credit_notes, currency),
                "collected": MoneySum.of(found.collected, currency),
                "cei": _days(found.cei),
            }
        )


class TrendPeriodOut(_Dated):
    overall: DsoFigures
    segments: dict[str, DsoFigures] = Field(description="Every segment seen in the span.")

    @classmethod
    def of(cls, found: TrendPeriod) -> TrendPeriodOut:
        return cls.model_validate(
            {
                "from": found.period.start,
                "to": found.period.end,
                "overall": DsoFigures.of(found.overall),
                "segments": {key: DsoFigures.of(dso) for key, dso in found.segments.items()},
            }
        )


class TrendOut(_Dated):
    currency: str
    interval: Interval
    method: Literal["standard"] = "standard"
    periods: list[TrendPeriodOut]


class ContactKpisOut(_Dated):
    """The contact loop's KPIs for [from, to]: overall and per segment of the invoice touched
    ("none" for imported history)."""

    segment: str | None = Field(description="The one segment asked for, if any.")
    overall: ContactKpis
    segments: dict[str, ContactKpis]
