from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CreditNoteOut")


@_attrs_define
class CreditNoteOut:
    """A credit note: the credit a dispute was resolved with. It settles part of the invoice
    and is not cash.

        Attributes:
            dispute_id (str):
            amount (int): Minor units, in the invoice's currency.
            issued_at (datetime.datetime):
    """

    dispute_id: str
    amount: int
    issued_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dispute_id = self.dispute_id

        amount = self.amount

        issued_at = self.issued_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dispute_id": dispute_id,
                "amount": amount,
                "issued_at": issued_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        dispute_id = d.pop("dispute_id")

        amount = d.pop("amount")

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        credit_note_out = cls(
            dispute_id=dispute_id,
            amount=amount,
            issued_at=issued_at,
        )

        credit_note_out.additional_properties = d
        return credit_note_out

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
