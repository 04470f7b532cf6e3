from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.payment_out_invoice_status import PaymentOutInvoiceStatus

T = TypeVar("T", bound="PaymentOut")


@_attrs_define
class PaymentOut:
    """
    Attributes:
        payment_id (str):
        invoice_id (str):
        amount (int):
        currency (str):
        paid_on (datetime.date):
        invoice_status (PaymentOutInvoiceStatus):
        outstanding (int):
    """

    payment_id: str
    invoice_id: str
    amount: int
    currency: str
    paid_on: datetime.date
    invoice_status: PaymentOutInvoiceStatus
    outstanding: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        payment_id = self.payment_id

        invoice_id = self.invoice_id

        amount = self.amount

        currency = self.currency

        paid_on = self.paid_on.isoformat()

        invoice_status = self.invoice_status.value

        outstanding = self.outstanding

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "payment_id": payment_id,
                "invoice_id": invoice_id,
                "amount": amount,
                "currency": currency,
                "paid_on": paid_on,
                "invoice_status": invoice_status,
                "outstanding": outstanding,
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

        invoice_status = PaymentOutInvoiceStatus(d.pop("invoice_status"))

        outstanding = d.pop("outstanding")

        payment_out = cls(
            payment_id=payment_id,
            invoice_id=invoice_id,
            amount=amount,
            currency=currency,
            paid_on=paid_on,
            invoice_status=invoice_status,
            outstanding=outstanding,
        )

        payment_out.additional_properties = d
        return payment_out

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
