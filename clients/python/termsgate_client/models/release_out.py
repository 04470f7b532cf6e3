from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReleaseOut")


@_attrs_define
class ReleaseOut:
    """
    Attributes:
        decision_id (str):
        customer_id (str):
        order_id (str):
        amount (int):
        currency (str):
        released_at (datetime.datetime): When the order stopped holding credit.
    """

    decision_id: str
    customer_id: str
    order_id: str
    amount: int
    currency: str
    released_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decision_id = self.decision_id

        customer_id = self.customer_id

        order_id = self.order_id

        amount = self.amount

        currency = self.currency

        released_at = self.released_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decision_id": decision_id,
                "customer_id": customer_id,
                "order_id": order_id,
                "amount": amount,
                "currency": currency,
                "released_at": released_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision_id = d.pop("decision_id")

        customer_id = d.pop("customer_id")

        order_id = d.pop("order_id")

        amount = d.pop("amount")

        currency = d.pop("currency")

        released_at = datetime.datetime.fromisoformat(d.pop("released_at"))

        release_out = cls(
            decision_id=decision_id,
            customer_id=customer_id,
            order_id=order_id,
            amount=amount,
            currency=currency,
            released_at=released_at,
        )

        release_out.additional_properties = d
        return release_out

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
