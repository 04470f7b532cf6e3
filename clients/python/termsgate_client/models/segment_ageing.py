from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ageing_buckets import AgeingBuckets
    from ..models.tally import Tally


T = TypeVar("T", bound="SegmentAgeing")


@_attrs_define
class SegmentAgeing:
    """
    Attributes:
        segment (None | str): The segment stamped on the invoices when they were routed; null for imported history,
            which has none.
        total (Tally): Open invoices and what is still owed on them.
        buckets (AgeingBuckets): Owed at `as_of` by days past due (as_of - due_on).
    """

    segment: None | str
    total: Tally
    buckets: AgeingBuckets
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        segment: None | str
        segment = self.segment

        total = self.total.to_dict()

        buckets = self.buckets.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "segment": segment,
                "total": total,
                "buckets": buckets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ageing_buckets import AgeingBuckets  # noqa: PLC0415
        from ..models.tally import Tally  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        total = Tally.from_dict(d.pop("total"))

        buckets = AgeingBuckets.from_dict(d.pop("buckets"))

        segment_ageing = cls(
            segment=segment,
            total=total,
            buckets=buckets,
        )

        segment_ageing.additional_properties = d
        return segment_ageing

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
