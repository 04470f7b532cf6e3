from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InvoiceForecastOut")


@_attrs_define
class InvoiceForecastOut:
    """
    Attributes:
        invoice_id (str):
        customer_id (str):
        segment (None | str):
        currency (str):
        due_on (datetime.date):
        outstanding (int): Owed on it at the end of as_of, in minor units.
        expected_paid_on (datetime.date): The day by which payment is more likely than not (the median).
        basis (str): In words: what the date was derived from.
    """

    invoice_id: str
    customer_id: str
    segment: None | str
    currency: str
    due_on: datetime.date
    outstanding: int
    expected_paid_on: datetime.date
    basis: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        invoice_id = self.invoice_id

        customer_id = self.customer_id

        segment: None | str
        segment = self.segment

        currency = self.currency

        due_on = self.due_on.isoformat()

        outstanding = self.outstanding

        expected_paid_on = self.expected_paid_on.isoformat()

        basis = self.basis

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "invoice_id": invoice_id,
                "customer_id": customer_id,
                "segment": segment,
                "currency": currency,
                "due_on": due_on,
                "outstanding": outstanding,
                "expected_paid_on": expected_paid_on,
                "basis": basis,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        invoice_id = d.pop("invoice_id")

        customer_id = d.pop("customer_id")

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        currency = d.pop("currency")

        due_on = datetime.date.fromisoformat(d.pop("due_on"))

        outstanding = d.pop("outstanding")

        expected_paid_on = datetime.date.fromisoformat(d.pop("expected_paid_on"))

        basis = d.pop("basis")

        invoice_forecast_out = cls(
            invoice_id=invoice_id,
            customer_id=customer_id,
            segment=segment,
            currency=currency,
            due_on=due_on,
            outstanding=outstanding,
            expected_paid_on=expected_paid_on,
            basis=basis,
        )

        invoice_forecast_out.additional_properties = d
        return invoice_forecast_out

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
