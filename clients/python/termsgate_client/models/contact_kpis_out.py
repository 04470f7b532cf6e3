from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.contact_kpis import ContactKpis
    from ..models.contact_kpis_out_segments import ContactKpisOutSegments


T = TypeVar("T", bound="ContactKpisOut")


@_attrs_define
class ContactKpisOut:
    """The contact loop's KPIs for [from, to]: overall and per segment of the invoice touched
    ("none" for imported history).

        Attributes:
            from_ (datetime.date):
            to (datetime.date):
            segment (None | str): The one segment asked for, if any.
            overall (ContactKpis):
            segments (ContactKpisOutSegments):
    """

    from_: datetime.date
    to: datetime.date
    segment: None | str
    overall: ContactKpis
    segments: ContactKpisOutSegments
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        segment: None | str
        segment = self.segment

        overall = self.overall.to_dict()

        segments = self.segments.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "segment": segment,
                "overall": overall,
                "segments": segments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_kpis import ContactKpis  # noqa: PLC0415
        from ..models.contact_kpis_out_segments import ContactKpisOutSegments  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        overall = ContactKpis.from_dict(d.pop("overall"))

        segments = ContactKpisOutSegments.from_dict(d.pop("segments"))

        contact_kpis_out = cls(
            from_=from_,
            to=to,
            segment=segment,
            overall=overall,
            segments=segments,
        )

        contact_kpis_out.additional_properties = d
        return contact_kpis_out

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
