from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.recorded_week_out import RecordedWeekOut


T = TypeVar("T", bound="RecordedForecastOut")


@_attrs_define
class RecordedForecastOut:
    """
    Attributes:
        made_on (datetime.date):
        currency (str):
        open_receivables (int):
        weeks (list[RecordedWeekOut]):
        later (int):
        wape_1 (float | None): null until the weeks are over or if none paid.
        wape_4 (float | None):
        wape_13 (float | None):
    """

    made_on: datetime.date
    currency: str
    open_receivables: int
    weeks: list[RecordedWeekOut]
    later: int
    wape_1: float | None
    wape_4: float | None
    wape_13: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        made_on = self.made_on.isoformat()

        currency = self.currency

        open_receivables = self.open_receivables

        weeks = []
        for weeks_item_data in self.weeks:
            weeks_item = weeks_item_data.to_dict()
            weeks.append(weeks_item)

        later = self.later

        wape_1: float | None
        wape_1 = self.wape_1

        wape_4: float | None
        wape_4 = self.wape_4

        wape_13: float | None
        wape_13 = self.wape_13

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "made_on": made_on,
                "currency": currency,
                "open_receivables": open_receivables,
                "weeks": weeks,
                "later": later,
                "wape_1": wape_1,
                "wape_4": wape_4,
                "wape_13": wape_13,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recorded_week_out import RecordedWeekOut  # noqa: PLC0415

        d = dict(src_dict)
        made_on = datetime.date.fromisoformat(d.pop("made_on"))

        currency = d.pop("currency")

        open_receivables = d.pop("open_receivables")

        weeks = []
        _weeks = d.pop("weeks")
        for weeks_item_data in _weeks:
            weeks_item = RecordedWeekOut.from_dict(weeks_item_data)

            weeks.append(weeks_item)

        later = d.pop("later")

        def _parse_wape_1(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        wape_1 = _parse_wape_1(d.pop("wape_1"))

        def _parse_wape_4(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        wape_4 = _parse_wape_4(d.pop("wape_4"))

        def _parse_wape_13(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        wape_13 = _parse_wape_13(d.pop("wape_13"))

        recorded_forecast_out = cls(
            made_on=made_on,
            currency=currency,
            open_receivables=open_receivables,
            weeks=weeks,
            later=later,
            wape_1=wape_1,
            wape_4=wape_4,
            wape_13=wape_13,
        )

        recorded_forecast_out.additional_properties = d
        return recorded_forecast_out

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
