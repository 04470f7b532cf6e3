from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DisputesKpi")


@_attrs_define
class DisputesKpi:
    """
    Attributes:
        opened (int):
        resolved (int):
        mean_days_to_resolve (float | None):
    """

    opened: int
    resolved: int
    mean_days_to_resolve: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        opened = self.opened

        resolved = self.resolved

        mean_days_to_resolve: float | None
        mean_days_to_resolve = self.mean_days_to_resolve

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "opened": opened,
                "resolved": resolved,
                "mean_days_to_resolve": mean_days_to_resolve,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        opened = d.pop("opened")

        resolved = d.pop("resolved")

        def _parse_mean_days_to_resolve(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean_days_to_resolve = _parse_mean_days_to_resolve(d.pop("mean_days_to_resolve"))

        disputes_kpi = cls(
            opened=opened,
            resolved=resolved,
            mean_days_to_resolve=mean_days_to_resolve,
        )

        disputes_kpi.additional_properties = d
        return disputes_kpi

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
