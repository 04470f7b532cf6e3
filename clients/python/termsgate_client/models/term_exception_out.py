from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.term_exception_out_status import TermExceptionOutStatus

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="TermExceptionOut")


@_attrs_define
class TermExceptionOut:
    """
    Attributes:
        id (str):
        customer_id (str):
        segment (str):
        credit_limit (Money | None):
        reason (str):
        expires_on (datetime.date | None):
        status (TermExceptionOutStatus): As of today: a pending or approved exception past its expires_on is expired.
        requested_by (str): Name of the API key that asked.
        requested_at (datetime.datetime):
        decided_by (None | str):
        decided_at (datetime.datetime | None):
        note (None | str):
    """

    id: str
    customer_id: str
    segment: str
    credit_limit: Money | None
    reason: str
    expires_on: datetime.date | None
    status: TermExceptionOutStatus
    requested_by: str
    requested_at: datetime.datetime
    decided_by: None | str
    decided_at: datetime.datetime | None
    note: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        id = self.id

        customer_id = self.customer_id

        segment = self.segment

        credit_limit: dict[str, Any] | None
        if isinstance(self.credit_limit, Money):
            credit_limit = self.credit_limit.to_dict()
        else:
            credit_limit = self.credit_limit

        reason = self.reason

        expires_on: None | str
        if isinstance(self.expires_on, datetime.date):
            expires_on = self.expires_on.isoformat()
        else:
            expires_on = self.expires_on

        status = self.status.value

        requested_by = self.requested_by

        requested_at = self.requested_at.isoformat()

        decided_by: None | str
        decided_by = self.decided_by

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        note: None | str
        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "customer_id": customer_id,
                "segment": segment,
                "credit_limit": credit_limit,
                "reason": reason,
                "expires_on": expires_on,
                "status": status,
                "requested_by": requested_by,
                "requested_at": requested_at,
                "decided_by": decided_by,
                "decided_at": decided_at,
                "note": note,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        customer_id = d.pop("customer_id")

        segment = d.pop("segment")

        def _parse_credit_limit(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credit_limit_type_0 = Money.from_dict(data)

                return credit_limit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        credit_limit = _parse_credit_limit(d.pop("credit_limit"))

        reason = d.pop("reason")

        def _parse_expires_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_on_type_0 = datetime.date.fromisoformat(data)

                return expires_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        expires_on = _parse_expires_on(d.pop("expires_on"))

        status = TermExceptionOutStatus(d.pop("status"))

        requested_by = d.pop("requested_by")

        requested_at = datetime.datetime.fromisoformat(d.pop("requested_at"))

        def _parse_decided_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decided_by = _parse_decided_by(d.pop("decided_by"))

        def _parse_decided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        term_exception_out = cls(
            id=id,
            customer_id=customer_id,
            segment=segment,
            credit_limit=credit_limit,
            reason=reason,
            expires_on=expires_on,
            status=status,
            requested_by=requested_by,
            requested_at=requested_at,
            decided_by=decided_by,
            decided_at=decided_at,
            note=note,
        )

        term_exception_out.additional_properties = d
        return term_exception_out

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
