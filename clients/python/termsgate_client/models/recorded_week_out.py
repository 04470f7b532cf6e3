from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RecordedWeekOut")


@_attrs_define
class RecordedWeekOut:
    """
    Attributes:
        from_ (datetime.date): as_of + 1 + 7k.
        to (datetime.date): as_of + 7k + 7, included.
        expected (int): Minor units, as forecast.
        actual (int | None): Paid in the week; null until the week is over.
    """

    from_: datetime.date
    to: datetime.date
    expected: int
    actual: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        expected = self.expected

        actual: int | None
        actual = self.actual

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "expected": expected,
                "actual": actual,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        expected = d.pop("expected")

        def _parse_actual(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        actual = _parse_actual(d.pop("actual"))

        recorded_week_out = cls(
            from_=from_,
            to=to,
            expected=expected,
            actual=actual,
        )

        recorded_week_out.additional_properties = d
        return recorded_week_out

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
