from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PayerClassBoundsIn")


@_attrs_define
class PayerClassBoundsIn:
    """A payer class holds when all its bounds hold (inclusive).

    Attributes:
        max_avg_days_late (float):
        max_late_share (float):
        max_broken_promises (int | None | Unset): At most this many promises to pay broken in the lookback window
            (promises whose last day fell in it); absent: no bound.
    """

    max_avg_days_late: float
    max_late_share: float
    max_broken_promises: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        max_avg_days_late = self.max_avg_days_late

        max_late_share = self.max_late_share

        max_broken_promises: int | None | Unset
        if isinstance(self.max_broken_promises, Unset):
            max_broken_promises = UNSET
        else:
            max_broken_promises = self.max_broken_promises

        field_dict: dict[str, Any] = {}

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

        payer_class_bounds_in = cls(
            max_avg_days_late=max_avg_days_late,
            max_late_share=max_late_share,
            max_broken_promises=max_broken_promises,
        )

        return payer_class_bounds_in
