from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TasksKpi")


@_attrs_define
class TasksKpi:
    """
    Attributes:
        due (int):
        done_on_date (int):
        done_on_date_share (float | None):
    """

    due: int
    done_on_date: int
    done_on_date_share: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        due = self.due

        done_on_date = self.done_on_date

        done_on_date_share: float | None
        done_on_date_share = self.done_on_date_share

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "due": due,
                "done_on_date": done_on_date,
                "done_on_date_share": done_on_date_share,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        due = d.pop("due")

        done_on_date = d.pop("done_on_date")

        def _parse_done_on_date_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        done_on_date_share = _parse_done_on_date_share(d.pop("done_on_date_share"))

        tasks_kpi = cls(
            due=due,
            done_on_date=done_on_date,
            done_on_date_share=done_on_date_share,
        )

        tasks_kpi.additional_properties = d
        return tasks_kpi

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
