from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cash_amount import CashAmount
    from ..models.cash_week_out import CashWeekOut


T = TypeVar("T", bound="CashForecastOut")


@_attrs_define
class CashForecastOut:
    """
    Attributes:
        as_of (datetime.date):
        currency (str):
        segment (None | str):
        open_receivables (CashAmount): A sum of money: integer minor units and an ISO 4217 code.
        weeks (list[CashWeekOut]):
        later (CashAmount): A sum of money: integer minor units and an ISO 4217 code.
    """

    as_of: datetime.date
    currency: str
    segment: None | str
    open_receivables: CashAmount
    weeks: list[CashWeekOut]
    later: CashAmount
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        currency = self.currency

        segment: None | str
        segment = self.segment

        open_receivables = self.open_receivables.to_dict()

        weeks = []
        for weeks_item_data in self.weeks:
            weeks_item = weeks_item_data.to_dict()
            weeks.append(weeks_item)

        later = self.later.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "currency": currency,
                "segment": segment,
                "open_receivables": open_receivables,
                "weeks": weeks,
                "later": later,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cash_amount import CashAmount  # noqa: PLC0415
        from ..models.cash_week_out import CashWeekOut  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        currency = d.pop("currency")

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        open_receivables = CashAmount.from_dict(d.pop("open_receivables"))

        weeks = []
        _weeks = d.pop("weeks")
        for weeks_item_data in _weeks:
            weeks_item = CashWeekOut.from_dict(weeks_item_data)

            weeks.append(weeks_item)

        later = CashAmount.from_dict(d.pop("later"))

        cash_forecast_out = cls(
            as_of=as_of,
            currency=currency,
            segment=segment,
            open_receivables=open_receivables,
            weeks=weeks,
            later=later,
        )

        cash_forecast_out.additional_properties = d
        return cash_forecast_out

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
