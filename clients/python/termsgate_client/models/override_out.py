from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OverrideOut")


@_attrs_define
class OverrideOut:
    """
    Attributes:
        customer_id (str):
        segment (str):
        reason (str):
        expires_on (datetime.date | None):
        set_by (str):
        set_at (datetime.datetime):
    """

    customer_id: str
    segment: str
    reason: str
    expires_on: datetime.date | None
    set_by: str
    set_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        segment = self.segment

        reason = self.reason

        expires_on: None | str
        if isinstance(self.expires_on, datetime.date):
            expires_on = self.expires_on.isoformat()
        else:
            expires_on = self.expires_on

        set_by = self.set_by

        set_at = self.set_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "segment": segment,
                "reason": reason,
                "expires_on": expires_on,
                "set_by": set_by,
                "set_at": set_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        segment = d.pop("segment")

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

        set_by = d.pop("set_by")

        set_at = datetime.datetime.fromisoformat(d.pop("set_at"))

        override_out = cls(
            customer_id=customer_id,
            segment=segment,
            reason=reason,
            expires_on=expires_on,
            set_by=set_by,
            set_at=set_at,
        )

        override_out.additional_properties = d
        return override_out

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
