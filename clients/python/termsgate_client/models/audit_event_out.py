from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_event_out_after_type_0 import AuditEventOutAfterType0
    from ..models.audit_event_out_before_type_0 import AuditEventOutBeforeType0


T = TypeVar("T", bound="AuditEventOut")


@_attrs_define
class AuditEventOut:
    """One recorded write: who (key name), what, when and why, with its place in the chain.

    Attributes:
        id (int):
        occurred_at (datetime.datetime):
        actor (str): Name of the API key (or `cli:<user>`) that made the change.
        action (str):
        entity_type (str):
        entity_id (str):
        reason (None | str): Why, in the caller's words: a body's reason or note, or X-Audit-Reason.
        request_id (None | str): The request that made the change (its X-Request-ID, the caller's own if it sent one),
            or the CLI run; with the logs, the why where no reason was given.
        before (AuditEventOutBeforeType0 | None):
        after (AuditEventOutAfterType0 | None):
        hash_ (str): SHA-256 over prev_hash and this event's fields.
        prev_hash (str):
    """

    id: int
    occurred_at: datetime.datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    reason: None | str
    request_id: None | str
    before: AuditEventOutBeforeType0 | None
    after: AuditEventOutAfterType0 | None
    hash_: str
    prev_hash: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_event_out_after_type_0 import AuditEventOutAfterType0  # noqa: PLC0415
        from ..models.audit_event_out_before_type_0 import AuditEventOutBeforeType0  # noqa: PLC0415

        id = self.id

        occurred_at = self.occurred_at.isoformat()

        actor = self.actor

        action = self.action

        entity_type = self.entity_type

        entity_id = self.entity_id

        reason: None | str
        reason = self.reason

        request_id: None | str
        request_id = self.request_id

        before: dict[str, Any] | None
        if isinstance(self.before, AuditEventOutBeforeType0):
            before = self.before.to_dict()
        else:
            before = self.before

        after: dict[str, Any] | None
        if isinstance(self.after, AuditEventOutAfterType0):
            after = self.after.to_dict()
        else:
            after = self.after

        hash_ = self.hash_

        prev_hash = self.prev_hash

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "occurred_at": occurred_at,
                "actor": actor,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "reason": reason,
                "request_id": request_id,
                "before": before,
                "after": after,
                "hash": hash_,
                "prev_hash": prev_hash,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_event_out_after_type_0 import AuditEventOutAfterType0  # noqa: PLC0415
        from ..models.audit_event_out_before_type_0 import AuditEventOutBeforeType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        actor = d.pop("actor")

        action = d.pop("action")

        entity_type = d.pop("entity_type")

        entity_id = d.pop("entity_id")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        def _parse_before(data: object) -> AuditEventOutBeforeType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                before_type_0 = AuditEventOutBeforeType0.from_dict(data)

                return before_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditEventOutBeforeType0 | None, data)

        before = _parse_before(d.pop("before"))

        def _parse_after(data: object) -> AuditEventOutAfterType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                after_type_0 = AuditEventOutAfterType0.from_dict(data)

                return after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditEventOutAfterType0 | None, data)

        after = _parse_after(d.pop("after"))

        hash_ = d.pop("hash")

        prev_hash = d.pop("prev_hash")

        audit_event_out = cls(
            id=id,
            occurred_at=occurred_at,
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            reason=reason,
            request_id=request_id,
            before=before,
            after=after,
            hash_=hash_,
            prev_hash=prev_hash,
        )

        audit_event_out.additional_properties = d
        return audit_event_out

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
