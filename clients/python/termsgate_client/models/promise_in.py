from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PromiseIn")


@_attrs_define
class PromiseIn:
    """
    Attributes:
        amount (int): Minor units.
        currency (str):
        pay_on (datetime.date):
    """

    amount: int
    currency: str
    pay_on: datetime.date

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        currency = self.currency

        pay_on = self.pay_on.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "currency": currency,
                "pay_on": pay_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        currency = d.pop("currency")

        pay_on = datetime.date.fromisoformat(d.pop("pay_on"))

        promise_in = cls(
            amount=amount,
            currency=currency,
            pay_on=pay_on,
        )

        return promise_in
