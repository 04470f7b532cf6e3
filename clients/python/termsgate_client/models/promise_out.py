from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.promise_out_status import PromiseOutStatus

T = TypeVar("T", bound="PromiseOut")


@_attrs_define
class PromiseOut:
    """
    Attributes:
        id (str):
        invoice_id (str):
        customer_id (str):
        amount (int):
        currency (str):
        pay_on (datetime.date):
        status (PromiseOutStatus):
    """

    id: str
    invoice_id: str
    customer_id: str
    amount: int
    currency: str
    pay_on: datetime.date
    status: PromiseOutStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        invoice_id = self.invoice_id

        customer_id = self.customer_id

        amount = self.amount

        currency = self.currency

        pay_on = self.pay_on.isoformat()

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "invoice_id": invoice_id,
                "customer_id": customer_id,
                "amount": amount,
                "currency": currency,
                "pay_on": pay_on,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        invoice_id = d.pop("invoice_id")

        customer_id = d.pop("customer_id")

        amount = d.pop("amount")

        currency = d.pop("currency")

        pay_on = datetime.date.fromisoformat(d.pop("pay_on"))

        status = PromiseOutStatus(d.pop("status"))

        promise_out = cls(
            id=id,
            invoice_id=invoice_id,
            customer_id=customer_id,
            amount=amount,
            currency=currency,
            pay_on=pay_on,
            status=status,
        )

        promise_out.additional_properties = d
        return promise_out

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
