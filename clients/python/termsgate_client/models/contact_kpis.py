from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.caught_out import CaughtOut
    from ..models.contact_kpis_touches_by_kind import ContactKpisTouchesByKind
    from ..models.contact_kpis_touches_by_outcome import ContactKpisTouchesByOutcome
    from ..models.disputes_kpi import DisputesKpi
    from ..models.promises_kpi import PromisesKpi
    from ..models.tasks_kpi import TasksKpi


T = TypeVar("T", bound="ContactKpis")


@_attrs_define
class ContactKpis:
    """
    Attributes:
        touches_by_kind (ContactKpisTouchesByKind):
        touches_by_outcome (ContactKpisTouchesByOutcome):
        issues_caught_before_due (CaughtOut):
        promises (PromisesKpi):
        disputes (DisputesKpi):
        tasks (TasksKpi):
    """

    touches_by_kind: ContactKpisTouchesByKind
    touches_by_outcome: ContactKpisTouchesByOutcome
    issues_caught_before_due: CaughtOut
    promises: PromisesKpi
    disputes: DisputesKpi
    tasks: TasksKpi
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        touches_by_kind = self.touches_by_kind.to_dict()

        touches_by_outcome = self.touches_by_outcome.to_dict()

        issues_caught_before_due = self.issues_caught_before_due.to_dict()

        promises = self.promises.to_dict()

        disputes = self.disputes.to_dict()

        tasks = self.tasks.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "touches_by_kind": touches_by_kind,
                "touches_by_outcome": touches_by_outcome,
                "issues_caught_before_due": issues_caught_before_due,
                "promises": promises,
                "disputes": disputes,
                "tasks": tasks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.caught_out import CaughtOut  # noqa: PLC0415
        from ..models.contact_kpis_touches_by_kind import ContactKpisTouchesByKind  # noqa: PLC0415
        from ..models.contact_kpis_touches_by_outcome import ContactKpisTouchesByOutcome  # noqa: PLC0415
        from ..models.disputes_kpi import DisputesKpi  # noqa: PLC0415
        from ..models.promises_kpi import PromisesKpi  # noqa: PLC0415
        from ..models.tasks_kpi import TasksKpi  # noqa: PLC0415

        d = dict(src_dict)
        touches_by_kind = ContactKpisTouchesByKind.from_dict(d.pop("touches_by_kind"))

        touches_by_outcome = ContactKpisTouchesByOutcome.from_dict(d.pop("touches_by_outcome"))

        issues_caught_before_due = CaughtOut.from_dict(d.pop("issues_caught_before_due"))

        promises = PromisesKpi.from_dict(d.pop("promises"))

        disputes = DisputesKpi.from_dict(d.pop("disputes"))

        tasks = TasksKpi.from_dict(d.pop("tasks"))

        contact_kpis = cls(
            touches_by_kind=touches_by_kind,
            touches_by_outcome=touches_by_outcome,
            issues_caught_before_due=issues_caught_before_due,
            promises=promises,
            disputes=disputes,
            tasks=tasks,
        )

        contact_kpis.additional_properties = d
        return contact_kpis

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
