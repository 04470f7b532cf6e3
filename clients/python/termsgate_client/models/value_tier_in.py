from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="ValueTierIn")


@_attrs_define
class ValueTierIn:
    """
    Attributes:
        min_revenue (Money): A sum: integer minor units and an ISO 4217 code.
        min_margin_pct (float | None | Unset):
    """

    min_revenue: Money
    min_margin_pct: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        min_revenue = self.min_revenue.to_dict()

        min_margin_pct: float | None | Unset
        if isinstance(self.min_margin_pct, Unset):
            min_margin_pct = UNSET
        else:
            min_margin_pct = self.min_margin_pct

        field_dict: dict[str, Any] = {}

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

        value_tier_in = cls(
            min_revenue=min_revenue,
            min_margin_pct=min_margin_pct,
        )

        return value_tier_in
