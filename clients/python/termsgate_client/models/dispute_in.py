from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.dispute_in_reason import DisputeInReason
from ..types import UNSET, Unset

T = TypeVar("T", bound="DisputeIn")


@_attrs_define
class DisputeIn:
    """
    Attributes:
        reason (DisputeInReason):
        amount (int | None | Unset): Minor units; defaults to the outstanding.
    """

    reason: DisputeInReason
    amount: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason.value

        amount: int | None | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
            }
        )
        if amount is not UNSET:
            field_dict["amount"] = amount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = DisputeInReason(d.pop("reason"))

        def _parse_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        dispute_in = cls(
            reason=reason,
            amount=amount,
        )

        return dispute_in
