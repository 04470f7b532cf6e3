from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tally import Tally


T = TypeVar("T", bound="AgeingBuckets")


@_attrs_define
class AgeingBuckets:
    """Owed at `as_of` by days past due (as_of - due_on).

    Attributes:
        current (Tally): Open invoices and what is still owed on them.
        field_1_30 (Tally): Open invoices and what is still owed on them.
        field_31_60 (Tally): Open invoices and what is still owed on them.
        field_61_90 (Tally): Open invoices and what is still owed on them.
        over_90 (Tally): Open invoices and what is still owed on them.
    """

    current: Tally
    field_1_30: Tally
    field_31_60: Tally
    field_61_90: Tally
    over_90: Tally
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current = self.current.to_dict()

        field_1_30 = self.field_1_30.to_dict()

        field_31_60 = self.field_31_60.to_dict()

        field_61_90 = self.field_61_90.to_dict()

        over_90 = self.over_90.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "current": current,
                "1_30": field_1_30,
                "31_60": field_31_60,
                "61_90": field_61_90,
                "over_90": over_90,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tally import Tally  # noqa: PLC0415

        d = dict(src_dict)
        current = Tally.from_dict(d.pop("current"))

        field_1_30 = Tally.from_dict(d.pop("1_30"))

        field_31_60 = Tally.from_dict(d.pop("31_60"))

        field_61_90 = Tally.from_dict(d.pop("61_90"))

        over_90 = Tally.from_dict(d.pop("over_90"))

        ageing_buckets = cls(
            current=current,
            field_1_30=field_1_30,
            field_31_60=field_31_60,
            field_61_90=field_61_90,
            over_90=over_90,
        )

        ageing_buckets.additional_properties = d
        return ageing_buckets

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
