from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="TermExceptionIn")


@_attrs_define
class TermExceptionIn:
    """
    Attributes:
        customer_id (str):
        segment (str): The looser segment the customer is to be treated as.
        reason (str):
        credit_limit (Money | None | Unset): Replaces the segment's credit limit for this customer.
        expires_on (datetime.date | None | Unset): Last day in force (inclusive); none: until replaced.
    """

    customer_id: str
    segment: str
    reason: str
    credit_limit: Money | None | Unset = UNSET
    expires_on: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        customer_id = self.customer_id

        segment = self.segment

        reason = self.reason

        credit_limit: dict[str, Any] | None | Unset
        if isinstance(self.credit_limit, Unset):
            credit_limit = UNSET
        elif isinstance(self.credit_limit, Money):
            credit_limit = self.credit_limit.to_dict()
        else:
            credit_limit = self.credit_limit

        expires_on: None | str | Unset
        if isinstance(self.expires_on, Unset):
            expires_on = UNSET
        elif isinstance(self.expires_on, datetime.date):
            expires_on = self.expires_on.isoformat()
        else:
            expires_on = self.expires_on

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_id": customer_id,
                "segment": segment,
                "reason": reason,
            }
        )
        if credit_limit is not UNSET:
            field_dict["credit_limit"] = credit_limit
        if expires_on is not UNSET:
            field_dict["expires_on"] = expires_on

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        segment = d.pop("segment")

        reason = d.pop("reason")

        def _parse_credit_limit(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credit_limit_type_0 = Money.from_dict(data)

                return credit_limit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        credit_limit = _parse_credit_limit(d.pop("credit_limit", UNSET))

        def _parse_expires_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_on_type_0 = datetime.date.fromisoformat(data)

                return expires_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        expires_on = _parse_expires_on(d.pop("expires_on", UNSET))

        term_exception_in = cls(
            customer_id=customer_id,
            segment=segment,
            reason=reason,
            credit_limit=credit_limit,
            expires_on=expires_on,
        )

        return term_exception_in
