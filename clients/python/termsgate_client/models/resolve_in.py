from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.resolve_in_resolution import ResolveInResolution
from ..types import UNSET, Unset

T = TypeVar("T", bound="ResolveIn")


@_attrs_define
class ResolveIn:
    """
    Attributes:
        resolution (ResolveInResolution):
        credit_amount (int | None | Unset): Minor units.
        note (None | str | Unset):
    """

    resolution: ResolveInResolution
    credit_amount: int | None | Unset = UNSET
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        resolution = self.resolution.value

        credit_amount: int | None | Unset
        if isinstance(self.credit_amount, Unset):
            credit_amount = UNSET
        else:
            credit_amount = self.credit_amount

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resolution": resolution,
            }
        )
        if credit_amount is not UNSET:
            field_dict["credit_amount"] = credit_amount
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        resolution = ResolveInResolution(d.pop("resolution"))

        def _parse_credit_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        credit_amount = _parse_credit_amount(d.pop("credit_amount", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        resolve_in = cls(
            resolution=resolution,
            credit_amount=credit_amount,
            note=note,
        )

        return resolve_in
