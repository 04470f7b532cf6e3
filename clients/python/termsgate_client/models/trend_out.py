from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trend_out_interval import TrendOutInterval
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.trend_period_out import TrendPeriodOut


T = TypeVar("T", bound="TrendOut")


@_attrs_define
class TrendOut:
    """
    Attributes:
        from_ (datetime.date):
        to (datetime.date):
        currency (str):
        interval (TrendOutInterval):
        periods (list[TrendPeriodOut]):
        method (Literal['standard'] | Unset):  Default: 'standard'.
    """

    from_: datetime.date
    to: datetime.date
    currency: str
    interval: TrendOutInterval
    periods: list[TrendPeriodOut]
    method: Literal["standard"] | Unset = "standard"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        currency = self.currency

        interval = self.interval.value

        periods = []
        for periods_item_data in self.periods:
            periods_item = periods_item_data.to_dict()
            periods.append(periods_item)

        method = self.method

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "currency": currency,
                "interval": interval,
                "periods": periods,
            }
        )
        if method is not UNSET:
            field_dict["method"] = method

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trend_period_out import TrendPeriodOut  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        currency = d.pop("currency")

        interval = TrendOutInterval(d.pop("interval"))

        periods = []
        _periods = d.pop("periods")
        for periods_item_data in _periods:
            periods_item = TrendPeriodOut.from_dict(periods_item_data)

            periods.append(periods_item)

        method = cast(Literal["standard"] | Unset, d.pop("method", UNSET))
        if method != "standard" and not isinstance(method, Unset):
            raise ValueError(f"method must match const 'standard', got '{method}'")

        trend_out = cls(
            from_=from_,
            to=to,
            currency=currency,
            interval=interval,
            periods=periods,
            method=method,
        )

        trend_out.additional_properties = d
        return trend_out

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
