from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.recorded_forecast_out import RecordedForecastOut


T = TypeVar("T", bound="AccuracyOut")


@_attrs_define
class AccuracyOut:
    """
    Attributes:
        from_ (datetime.date):
        to (datetime.date):
        currency (None | str):
        forecasts (list[RecordedForecastOut]):
    """

    from_: datetime.date
    to: datetime.date
    currency: None | str
    forecasts: list[RecordedForecastOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        currency: None | str
        currency = self.currency

        forecasts = []
        for forecasts_item_data in self.forecasts:
            forecasts_item = forecasts_item_data.to_dict()
            forecasts.append(forecasts_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "currency": currency,
                "forecasts": forecasts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recorded_forecast_out import RecordedForecastOut  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        forecasts = []
        _forecasts = d.pop("forecasts")
        for forecasts_item_data in _forecasts:
            forecasts_item = RecordedForecastOut.from_dict(forecasts_item_data)

            forecasts.append(forecasts_item)

        accuracy_out = cls(
            from_=from_,
            to=to,
            currency=currency,
            forecasts=forecasts,
        )

        accuracy_out.additional_properties = d
        return accuracy_out

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
