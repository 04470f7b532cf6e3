from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.value_tier_in import ValueTierIn


T = TypeVar("T", bound="ValueTiersIn")


@_attrs_define
class ValueTiersIn:
    """Bounds for `high`; `standard` is every customer below them.

    Attributes:
        high (ValueTierIn):
    """

    high: ValueTierIn

    def to_dict(self) -> dict[str, Any]:
        high = self.high.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "high": high,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.value_tier_in import ValueTierIn  # noqa: PLC0415

        d = dict(src_dict)
        high = ValueTierIn.from_dict(d.pop("high"))

        value_tiers_in = cls(
            high=high,
        )

        return value_tiers_in
