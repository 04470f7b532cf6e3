from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_out_status import TaskOutStatus

T = TypeVar("T", bound="TaskOut")


@_attrs_define
class TaskOut:
    """
    Attributes:
        id (int):
        invoice_id (str):
        customer_id (str):
        segment (None | str):
        on (datetime.date):
        channel (str):
        kind (str):
        status (TaskOutStatus):
    """

    id: int
    invoice_id: str
    customer_id: str
    segment: None | str
    on: datetime.date
    channel: str
    kind: str
    status: TaskOutStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        invoice_id = self.invoice_id

        customer_id = self.customer_id

        segment: None | str
        segment = self.segment

        on = self.on.isoformat()

        channel = self.channel

        kind = self.kind

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "invoice_id": invoice_id,
                "customer_id": customer_id,
                "segment": segment,
                "on": on,
                "channel": channel,
                "kind": kind,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        invoice_id = d.pop("invoice_id")

        customer_id = d.pop("customer_id")

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        on = datetime.date.fromisoformat(d.pop("on"))

        channel = d.pop("channel")

        kind = d.pop("kind")

        status = TaskOutStatus(d.pop("status"))

        task_out = cls(
            id=id,
            invoice_id=invoice_id,
            customer_id=customer_id,
            segment=segment,
            on=on,
            channel=channel,
            kind=kind,
            status=status,
        )

        task_out.additional_properties = d
        return task_out

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
