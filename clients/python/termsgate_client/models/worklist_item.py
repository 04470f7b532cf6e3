from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money_out import MoneyOut
    from ..models.task_out import TaskOut


T = TypeVar("T", bound="WorklistItem")


@_attrs_define
class WorklistItem:
    """
    Attributes:
        customer_id (str):
        segment (None | str):
        priority (float): Higher first.
        why (list[str]): What put the customer here, most weighty first.
        tasks (list[TaskOut]):
        open_receivables (list[MoneyOut]):
        overdue (list[MoneyOut]):
    """

    customer_id: str
    segment: None | str
    priority: float
    why: list[str]
    tasks: list[TaskOut]
    open_receivables: list[MoneyOut]
    overdue: list[MoneyOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        segment: None | str
        segment = self.segment

        priority = self.priority

        why = self.why

        tasks = []
        for tasks_item_data in self.tasks:
            tasks_item = tasks_item_data.to_dict()
            tasks.append(tasks_item)

        open_receivables = []
        for open_receivables_item_data in self.open_receivables:
            open_receivables_item = open_receivables_item_data.to_dict()
            open_receivables.append(open_receivables_item)

        overdue = []
        for overdue_item_data in self.overdue:
            overdue_item = overdue_item_data.to_dict()
            overdue.append(overdue_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "segment": segment,
                "priority": priority,
                "why": why,
                "tasks": tasks,
                "open_receivables": open_receivables,
                "overdue": overdue,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money_out import MoneyOut  # noqa: PLC0415
        from ..models.task_out import TaskOut  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        priority = d.pop("priority")

        why = cast(list[str], d.pop("why"))

        tasks = []
        _tasks = d.pop("tasks")
        for tasks_item_data in _tasks:
            tasks_item = TaskOut.from_dict(tasks_item_data)

            tasks.append(tasks_item)

        open_receivables = []
        _open_receivables = d.pop("open_receivables")
        for open_receivables_item_data in _open_receivables:
            open_receivables_item = MoneyOut.from_dict(open_receivables_item_data)

            open_receivables.append(open_receivables_item)

        overdue = []
        _overdue = d.pop("overdue")
        for overdue_item_data in _overdue:
            overdue_item = MoneyOut.from_dict(overdue_item_data)

            overdue.append(overdue_item)

        worklist_item = cls(
            customer_id=customer_id,
            segment=segment,
            priority=priority,
            why=why,
            tasks=tasks,
            open_receivables=open_receivables,
            overdue=overdue,
        )

        worklist_item.additional_properties = d
        return worklist_item

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
