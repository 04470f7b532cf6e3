from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dispute_out_status import DisputeOutStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="DisputeOut")


@_attrs_define
class DisputeOut:
    """
    Attributes:
        id (str):
        invoice_id (str):
        customer_id (str):
        reason (str):
        amount (int):
        currency (str):
        status (DisputeOutStatus):
        opened_at (datetime.datetime):
        resolved_at (datetime.datetime | None | Unset):
        resolution (None | str | Unset):
        credit_amount (int | None | Unset):
    """

    id: str
    invoice_id: str
    customer_id: str
    reason: str
    amount: int
    currency: str
    status: DisputeOutStatus
    opened_at: datetime.datetime
    resolved_at: datetime.datetime | None | Unset = UNSET
    resolution: None | str | Unset = UNSET
    credit_amount: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        invoice_id = self.invoice_id

        customer_id = self.customer_id

        reason = self.reason

        amount = self.amount

        currency = self.currency

        status = self.status.value

        opened_at = self.opened_at.isoformat()

        resolved_at: None | str | Unset
        if isinstance(self.resolved_at, Unset):
            resolved_at = UNSET
        elif isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        resolution: None | str | Unset
        if isinstance(self.resolution, Unset):
            resolution = UNSET
        else:
            resolution = self.resolution

        credit_amount: int | None | Unset
        if isinstance(self.credit_amount, Unset):
            credit_amount = UNSET
        else:
            credit_amount = self.credit_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "invoice_id": invoice_id,
                "customer_id": customer_id,
                "reason": reason,
                "amount": amount,
                "currency": currency,
                "status": status,
                "opened_at": opened_at,
            }
        )
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at
        if resolution is not UNSET:
            field_dict["resolution"] = resolution
        if credit_amount is not UNSET:
            field_dict["credit_amount"] = credit_amount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        invoice_id = d.pop("invoice_id")

        customer_id = d.pop("customer_id")

        reason = d.pop("reason")

        amount = d.pop("amount")

        currency = d.pop("currency")

        status = DisputeOutStatus(d.pop("status"))

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        def _parse_resolved_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at", UNSET))

        def _parse_resolution(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resolution = _parse_resolution(d.pop("resolution", UNSET))

        def _parse_credit_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        credit_amount = _parse_credit_amount(d.pop("credit_amount", UNSET))

        dispute_out = cls(
            id=id,
            invoice_id=invoice_id,
            customer_id=customer_id,
            reason=reason,
            amount=amount,
            currency=currency,
            status=status,
            opened_at=opened_at,
            resolved_at=resolved_at,
            resolution=resolution,
            credit_amount=credit_amount,
        )

        dispute_out.additional_properties = d
        return dispute_out

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
