from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.run_out_counts_after import RunOutCountsAfter
    from ..models.run_out_counts_before import RunOutCountsBefore


T = TypeVar("T", bound="RunOut")


@_attrs_define
class RunOut:
    """
    Attributes:
        id (str):
        as_of (datetime.date):
        dry_run (bool):
        policy_version (int):
        counts_before (RunOutCountsBefore): Classified customers by the segment that decides their terms before the run.
        counts_after (RunOutCountsAfter): The same, with the run applied.
        moved (int): Customers whose assignment changes and whose terms follow.
        held (int): Customers whose assignment changes but whose terms an override or a term exception in force holds
            where they are.
        classified (int): Customers with invoices in the store.
        created_at (datetime.datetime):
        created_by (str):
    """

    id: str
    as_of: datetime.date
    dry_run: bool
    policy_version: int
    counts_before: RunOutCountsBefore
    counts_after: RunOutCountsAfter
    moved: int
    held: int
    classified: int
    created_at: datetime.datetime
    created_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        as_of = self.as_of.isoformat()

        dry_run = self.dry_run

        policy_version = self.policy_version

        counts_before = self.counts_before.to_dict()

        counts_after = self.counts_after.to_dict()

        moved = self.moved

        held = self.held

        classified = self.classified

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "as_of": as_of,
                "dry_run": dry_run,
                "policy_version": policy_version,
                "counts_before": counts_before,
                "counts_after": counts_after,
                "moved": moved,
                "held": held,
                "classified": classified,
                "created_at": created_at,
                "created_by": created_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_out_counts_after import RunOutCountsAfter  # noqa: PLC0415
        from ..models.run_out_counts_before import RunOutCountsBefore  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        dry_run = d.pop("dry_run")

        policy_version = d.pop("policy_version")

        counts_before = RunOutCountsBefore.from_dict(d.pop("counts_before"))

        counts_after = RunOutCountsAfter.from_dict(d.pop("counts_after"))

        moved = d.pop("moved")

        held = d.pop("held")

        classified = d.pop("classified")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        run_out = cls(
            id=id,
            as_of=as_of,
            dry_run=dry_run,
            policy_version=policy_version,
            counts_before=counts_before,
            counts_after=counts_after,
            moved=moved,
            held=held,
            classified=classified,
            created_at=created_at,
            created_by=created_by,
        )

        run_out.additional_properties = d
        return run_out

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
