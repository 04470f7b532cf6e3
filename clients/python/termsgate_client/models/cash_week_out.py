from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cash_amount import CashAmount


T = TypeVar("T", bound="CashWeekOut")


@_attrs_define
class CashWeekOut:
    """
    Attributes:
        from_ (datetime.date): as_of + 1 + 7k.
        to (datetime.date): as_of + 7k + 7, included.
        expected (CashAmount): A sum of money: integer minor units and an ISO 4217 code.
    """

    from_: datetime.date
    to: datetime.date
    expected: CashAmount
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        expected = self.expected.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "expected": expected,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cash_amount import CashAmount  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        expected = CashAmount.from_dict(d.pop("expected"))

        cash_week_out = cls(
            from_=from_,
            to=to,
            expected=expected,
        )

        cash_week_out.additional_properties = d
        return cash_week_out

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
