from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="InvoiceIn")


@_attrs_define
class InvoiceIn:
    """
    Attributes:
        invoice_id (str):
        customer_id (str):
        amount (int): Minor units.
        currency (str):
        issued_on (datetime.date):
        order_id (None | str | Unset):
        gross_margin (int | None | Unset):
        sales_owner (None | str | Unset):
    """

    invoice_id: str
    customer_id: str
    amount: int
    currency: str
    issued_on: datetime.date
    order_id: None | str | Unset = UNSET
    gross_margin: int | None | Unset = UNSET
    sales_owner: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        invoice_id = self.invoice_id

        customer_id = self.customer_id

        amount = self.amount

        currency = self.currency

        issued_on = self.issued_on.isoformat()

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        gross_margin: int | None | Unset
        if isinstance(self.gross_margin, Unset):
            gross_margin = UNSET
        else:
            gross_margin = self.gross_margin

        sales_owner: None | str | Unset
        if isinstance(self.sales_owner, Unset):
            sales_owner = UNSET
        else:
            sales_owner = self.sales_owner

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "invoice_id": invoice_id,
                "customer_id": customer_id,
                "amount": amount,
                "currency": currency,
                "issued_on": issued_on,
            }
        )
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if gross_margin is not UNSET:
            field_dict["gross_margin"] = gross_margin
        if sales_owner is not UNSET:
            field_dict["sales_owner"] = sales_owner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        invoice_id = d.pop("invoice_id")

        customer_id = d.pop("customer_id")

        amount = d.pop("amount")

        currency = d.pop("currency")

        issued_on = datetime.date.fromisoformat(d.pop("issued_on"))

        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))

        def _parse_gross_margin(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        gross_margin = _parse_gross_margin(d.pop("gross_margin", UNSET))

        def _parse_sales_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sales_owner = _parse_sales_owner(d.pop("sales_owner", UNSET))

        invoice_in = cls(
            invoice_id=invoice_id,
            customer_id=customer_id,
            amount=amount,
            currency=currency,
            issued_on=issued_on,
            order_id=order_id,
            gross_margin=gross_margin,
            sales_owner=sales_owner,
        )

        return invoice_in
