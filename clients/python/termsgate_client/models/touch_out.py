from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dispute_out import DisputeOut
    from ..models.promise_out import PromiseOut


T = TypeVar("T", bound="TouchOut")


@_attrs_define
class TouchOut:
    """
    Attributes:
        touch_id (str):
        invoice_id (str):
        customer_id (str):
        task_id (int | None):
        channel (str):
        kind (str):
        occurred_at (datetime.datetime):
        outcome (str):
        note (None | str):
        promise (None | PromiseOut | Unset):
        dispute (DisputeOut | None | Unset):
    """

    touch_id: str
    invoice_id: str
    customer_id: str
    task_id: int | None
    channel: str
    kind: str
    occurred_at: datetime.datetime
    outcome: str
    note: None | str
    promise: None | PromiseOut | Unset = UNSET
    dispute: DisputeOut | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.dispute_out import DisputeOut  # noqa: PLC0415
        from ..models.promise_out import PromiseOut  # noqa: PLC0415

        touch_id = self.touch_id

        invoice_id = self.invoice_id

        customer_id = self.customer_id

        task_id: int | None
        task_id = self.task_id

        channel = self.channel

        kind = self.kind

        occurred_at = self.occurred_at.isoformat()

        outcome = self.outcome

        note: None | str
        note = self.note

        promise: dict[str, Any] | None | Unset
        if isinstance(self.promise, Unset):
            promise = UNSET
        elif isinstance(self.promise, PromiseOut):
            promise = self.promise.to_dict()
        else:
            promise = self.promise

        dispute: dict[str, Any] | None | Unset
        if isinstance(self.dispute, Unset):
            dispute = UNSET
        elif isinstance(self.dispute, DisputeOut):
            dispute = self.dispute.to_dict()
        else:
            dispute = self.dispute

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "touch_id": touch_id,
                "invoice_id": invoice_id,
                "customer_id": customer_id,
                "task_id": task_id,
                "channel": channel,
                "kind": kind,
                "occurred_at": occurred_at,
                "outcome": outcome,
                "note": note,
            }
        )
        if promise is not UNSET:
            field_dict["promise"] = promise
        if dispute is not UNSET:
            field_dict["dispute"] = dispute

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dispute_out import DisputeOut  # noqa: PLC0415
        from ..models.promise_out import PromiseOut  # noqa: PLC0415

        d = dict(src_dict)
        touch_id = d.pop("touch_id")

        invoice_id = d.pop("invoice_id")

        customer_id = d.pop("customer_id")

        def _parse_task_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        task_id = _parse_task_id(d.pop("task_id"))

        channel = d.pop("channel")

        kind = d.pop("kind")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        outcome = d.pop("outcome")

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        def _parse_promise(data: object) -> None | PromiseOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                promise_type_0 = PromiseOut.from_dict(data)

                return promise_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PromiseOut | Unset, data)

        promise = _parse_promise(d.pop("promise", UNSET))

        def _parse_dispute(data: object) -> DisputeOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dispute_type_0 = DisputeOut.from_dict(data)

                return dispute_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DisputeOut | None | Unset, data)

        dispute = _parse_dispute(d.pop("dispute", UNSET))

        touch_out = cls(
            touch_id=touch_id,
            invoice_id=invoice_id,
            customer_id=customer_id,
            task_id=task_id,
            channel=channel,
            kind=kind,
            occurred_at=occurred_at,
            outcome=outcome,
            note=note,
            promise=promise,
            dispute=dispute,
        )

        touch_out.additional_properties = d
        return touch_out

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
