from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkflowOut")


@_attrs_define
class WorkflowOut:
    """
    Attributes:
        key (str):
        name (str):
        webhook_url (None | str):
        revision (int):
        secret (None | str | Unset): The signing secret: shown only in the answer that sets webhook_url, and in the
            answer to rotate-secret.
        webhook_disabled_at (datetime.datetime | None | Unset): Set when the receiver answered 410 Gone; setting
            webhook_url clears it.
        previous_secret_expires_at (datetime.datetime | None | Unset): After a rotation: until then the previous secret
            also signs deliveries.
    """

    key: str
    name: str
    webhook_url: None | str
    revision: int
    secret: None | str | Unset = UNSET
    webhook_disabled_at: datetime.datetime | None | Unset = UNSET
    previous_secret_expires_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        name = self.name

        webhook_url: None | str
        webhook_url = self.webhook_url

        revision = self.revision

        secret: None | str | Unset
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret

        webhook_disabled_at: None | str | Unset
        if isinstance(self.webhook_disabled_at, Unset):
            webhook_disabled_at = UNSET
        elif isinstance(self.webhook_disabled_at, datetime.datetime):
            webhook_disabled_at = self.webhook_disabled_at.isoformat()
        else:
            webhook_disabled_at = self.webhook_disabled_at

        previous_secret_expires_at: None | str | Unset
        if isinstance(self.previous_secret_expires_at, Unset):
            previous_secret_expires_at = UNSET
        elif isinstance(self.previous_secret_expires_at, datetime.datetime):
            previous_secret_expires_at = self.previous_secret_expires_at.isoformat()
        else:
            previous_secret_expires_at = self.previous_secret_expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "name": name,
                "webhook_url": webhook_url,
                "revision": revision,
            }
        )
        if secret is not UNSET:
            field_dict["secret"] = secret
        if webhook_disabled_at is not UNSET:
            field_dict["webhook_disabled_at"] = webhook_disabled_at
        if previous_secret_expires_at is not UNSET:
            field_dict["previous_secret_expires_at"] = previous_secret_expires_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        name = d.pop("name")

        def _parse_webhook_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        webhook_url = _parse_webhook_url(d.pop("webhook_url"))

        revision = d.pop("revision")

        def _parse_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret = _parse_secret(d.pop("secret", UNSET))

        def _parse_webhook_disabled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                webhook_disabled_at_type_0 = datetime.datetime.fromisoformat(data)

                return webhook_disabled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        webhook_disabled_at = _parse_webhook_disabled_at(d.pop("webhook_disabled_at", UNSET))

        def _parse_previous_secret_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_secret_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return previous_secret_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        previous_secret_expires_at = _parse_previous_secret_expires_at(d.pop("previous_secret_expires_at", UNSET))

        workflow_out = cls(
            key=key,
            name=name,
            webhook_url=webhook_url,
            revision=revision,
            secret=secret,
            webhook_disabled_at=webhook_disabled_at,
            previous_secret_expires_at=previous_secret_expires_at,
        )

        workflow_out.additional_properties = d
        return workflow_out

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
