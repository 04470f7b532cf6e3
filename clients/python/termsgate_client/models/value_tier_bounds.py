from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="ValueTierBounds")


@_attrs_define
class ValueTierBounds:
    """
    Attributes:
        min_revenue (Money): A sum: integer minor units and an ISO 4217 code.
        min_margin_pct (float | None | Unset):
    """

    min_revenue: Money
    min_margin_pct: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        min_revenue = self.min_revenue.to_dict()

        min_margin_pct: float | None | Unset
        if isinstance(self.min_margin_pct, Unset):
            min_margin_pct = UNSET
        else:
            min_margin_pct = self.min_margin_pct

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "min_revenue": min_revenue,
            }
        )
        if min_margin_pct is not UNSET:
            field_dict["min_margin_pct"] = min_margin_pct

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        min_revenue = Money.from_dict(d.pop("min_revenue"))

        def _parse_min_margin_pct(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        min_margin_pct = _parse_min_margin_pct(d.pop("min_margin_pct", UNSET))

        value_tier_bounds = cls(
            min_revenue=min_revenue,
            min_margin_pct=min_margin_pct,
        )

        value_tier_bounds.additional_properties = d
        return value_tier_bounds

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
