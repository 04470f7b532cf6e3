from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ageing_buckets import AgeingBuckets
    from ..models.segment_ageing import SegmentAgeing
    from ..models.tally import Tally


T = TypeVar("T", bound="AgeingOut")


@_attrs_define
class AgeingOut:
    """Open receivables at `as_of`, overall and per segment.

    Attributes:
        as_of (datetime.date):
        currency (str):
        total (Tally): Open invoices and what is still owed on them.
        buckets (AgeingBuckets): Owed at `as_of` by days past due (as_of - due_on).
        segments (list[SegmentAgeing]): Each segment with something owed at as_of, by key; null (unrouted) last.
    """

    as_of: datetime.date
    currency: str
    total: Tally
    buckets: AgeingBuckets
    segments: list[SegmentAgeing]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        currency = self.currency

        total = self.total.to_dict()

        buckets = self.buckets.to_dict()

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.to_dict()
            segments.append(segments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "currency": currency,
                "total": total,
                "buckets": buckets,
                "segments": segments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ageing_buckets import AgeingBuckets  # noqa: PLC0415
        from ..models.segment_ageing import SegmentAgeing  # noqa: PLC0415
        from ..models.tally import Tally  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        currency = d.pop("currency")

        total = Tally.from_dict(d.pop("total"))

        buckets = AgeingBuckets.from_dict(d.pop("buckets"))

        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = SegmentAgeing.from_dict(segments_item_data)

            segments.append(segments_item)

        ageing_out = cls(
            as_of=as_of,
            currency=currency,
            total=total,
            buckets=buckets,
            segments=segments,
        )

        ageing_out.additional_properties = d
        return ageing_out

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
