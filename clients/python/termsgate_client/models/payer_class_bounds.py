from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PayerClassBounds")


@_attrs_define
class PayerClassBounds:
    """
    Attributes:
        max_avg_days_late (float):
        max_late_share (float):
        max_broken_promises (int | None | Unset): At most this many promises to pay broken in the lookback window;
            absent: no bound.
    """

    max_avg_days_late: float
    max_late_share: float
    max_broken_promises: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        max_avg_days_late = self.max_avg_days_late

        max_late_share = self.max_late_share

        max_broken_promises: int | None | Unset
        if isinstance(self.max_broken_promises, Unset):
            max_broken_promises = UNSET
        else:
            max_broken_promises = self.max_broken_promises

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "max_avg_days_late": max_avg_days_late,
                "max_late_share": max_late_share,
            }
        )
        if max_broken_promises is not UNSET:
            field_dict["max_broken_promises"] = max_broken_promises

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_avg_days_late = d.pop("max_avg_days_late")

        max_late_share = d.pop("max_late_share")

        def _parse_max_broken_promises(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_broken_promises = _parse_max_broken_promises(d.pop("max_broken_promises", UNSET))

        payer_class_bounds = cls(
            max_avg_days_late=max_avg_days_late,
            max_late_share=max_late_share,
            max_broken_promises=max_broken_promises,
        )

        payer_class_bounds.additional_properties = d
        return payer_class_bounds

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
