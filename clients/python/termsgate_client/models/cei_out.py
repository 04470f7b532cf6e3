from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money_sum import MoneySum


T = TypeVar("T", bound="CeiOut")


@_attrs_define
class CeiOut:
    """
    Attributes:
        from_ (datetime.date):
        to (datetime.date):
        currency (str):
        segment (None | str):
        days (int):
        receivables_start (MoneySum): A sum of money: integer minor units and an ISO 4217 code.
        credit_sales (MoneySum): A sum of money: integer minor units and an ISO 4217 code.
        receivables_end (MoneySum): A sum of money: integer minor units and an ISO 4217 code.
        current_receivables_end (MoneySum): A sum of money: integer minor units and an ISO 4217 code.
        credit_notes (MoneySum): A sum of money: integer minor units and an ISO 4217 code.
        collected (MoneySum): A sum of money: integer minor units and an ISO 4217 code.
        cei (float | None): Percent, 2 decimals; null when nothing was to collect.
    """

    from_: datetime.date
    to: datetime.date
    currency: str
    segment: None | str
    days: int
    receivables_start: MoneySum
    credit_sales: MoneySum
    receivables_end: MoneySum
    current_receivables_end: MoneySum
    credit_notes: MoneySum
    collected: MoneySum
    cei: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        currency = self.currency

        segment: None | str
        segment = self.segment

        days = self.days

        receivables_start = self.receivables_start.to_dict()

        credit_sales = self.credit_sales.to_dict()

        receivables_end = self.receivables_end.to_dict()

        current_receivables_end = self.current_receivables_end.to_dict()

        credit_notes = self.credit_notes.to_dict()

        collected = self.collected.to_dict()

        cei: float | None
        cei = self.cei

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "currency": currency,
                "segment": segment,
                "days": days,
                "receivables_start": receivables_start,
                "credit_sales": credit_sales,
                "receivables_end": receivables_end,
                "current_receivables_end": current_receivables_end,
                "credit_notes": credit_notes,
                "collected": collected,
                "cei": cei,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money_sum import MoneySum  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        currency = d.pop("currency")

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        days = d.pop("days")

        receivables_start = MoneySum.from_dict(d.pop("receivables_start"))

        credit_sales = MoneySum.from_dict(d.pop("credit_sales"))

        receivables_end = MoneySum.from_dict(d.pop("receivables_end"))

        current_receivables_end = MoneySum.from_dict(d.pop("current_receivables_end"))

        credit_notes = MoneySum.from_dict(d.pop("credit_notes"))

        collected = MoneySum.from_dict(d.pop("collected"))

        def _parse_cei(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cei = _parse_cei(d.pop("cei"))

        cei_out = cls(
            from_=from_,
            to=to,
            currency=currency,
            segment=segment,
            days=days,
            receivables_start=receivables_start,
            credit_sales=credit_sales,
            receivables_end=receivables_end,
            current_receivables_end=current_receivables_end,
            credit_notes=credit_notes,
            collected=collected,
            cei=cei,
        )

        cei_out.additional_properties = d
        return cei_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
