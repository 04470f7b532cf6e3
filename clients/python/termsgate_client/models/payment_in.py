from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PaymentIn")


@_attrs_define
class PaymentIn:
    """
    Attributes:
        payment_id (str):
        invoice_id (str):
        amount (int): Minor units.
        currency (str):
        paid_on (datetime.date):
    """

    payment_id: str
    invoice_id: str
    amount: int
    currency: str
    paid_on: datetime.date

    def to_dict(self) -> dict[str, Any]:
        payment_id = self.payment_id

        invoice_id = self.invoice_id

        amount = self.amount

        currency = self.currency

        paid_on = self.paid_on.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "payment_id": payment_id,
                "invoice_id": invoice_id,
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

        invoice_id = d.pop("invoice_id")

        amount = d.pop("amount")

        currency = d.pop("currency")

        paid_on = datetime.date.fromisoformat(d.pop("paid_on"))

        payment_in = cls(
            payment_id=payment_id,
            invoice_id=invoice_id,
            amount=amount,
            currency=currency,
            paid_on=paid_on,
        )

        return payment_in
