from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sum_ import Sum


T = TypeVar("T", bound="Tally")


@_attrs_define
class Tally:
    """Open invoices and what is still owed on them.

    Attributes:
        count (int):
        sum_ (Sum): A money object as stored (not checked against today's currency list).
    """

    count: int
    sum_: Sum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        sum_ = self.sum_.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "sum": sum_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sum_ import Sum  # noqa: PLC0415

        d = dict(src_dict)
        count = d.pop("count")

        sum_ = Sum.from_dict(d.pop("sum"))

        tally = cls(
            count=count,
            sum_=sum_,
        )

        tally.additional_properties = d
        return tally

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
