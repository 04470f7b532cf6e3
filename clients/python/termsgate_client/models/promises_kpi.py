from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PromisesKpi")


@_attrs_define
class PromisesKpi:
    """
    Attributes:
        made (int):
        kept (int):
        broken (int):
        kept_rate (float | None): kept / (kept + broken); null when none closed.
    """

    made: int
    kept: int
    broken: int
    kept_rate: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        made = self.made

        kept = self.kept

        broken = self.broken

        kept_rate: float | None
        kept_rate = self.kept_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "made": made,
                "kept": kept,
                "broken": broken,
                "kept_rate": kept_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        made = d.pop("made")

        kept = d.pop("kept")

        broken = d.pop("broken")

        def _parse_kept_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        kept_rate = _parse_kept_rate(d.pop("kept_rate"))

        promises_kpi = cls(
            made=made,
            kept=kept,
            broken=broken,
            kept_rate=kept_rate,
        )

        promises_kpi.additional_properties = d
        return promises_kpi

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
