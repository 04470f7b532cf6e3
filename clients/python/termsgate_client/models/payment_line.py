from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PaymentLine")


@_attrs_define
class PaymentLine:
    """
    Attributes:
        payment_id (str):
        amount (int):
        currency (str):
        paid_on (datetime.date):
    """

    payment_id: str
    amount: int
    currency: str
    paid_on: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        payment_id = self.payment_id

        amount = self.amount

        currency = self.currency

        paid_on = self.paid_on.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "payment_id": payment_id,
                "amount": amount,
                "currency": currency,
                "paid_on": paid_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        payment_id = d.pop("payment_id")

        amount = d.pop("amount")

        currency = d.pop("currency")

        paid_on = datetime.date.fromisoformat(d.pop("paid_on"))

        payment_line = cls(
            payment_id=payment_id,
            amount=amount,
            currency=currency,
            paid_on=paid_on,
        )

        payment_line.additional_properties = d
        return payment_line

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
