from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.dso_figures import DsoFigures
    from ..models.trend_period_out_segments import TrendPeriodOutSegments


T = TypeVar("T", bound="TrendPeriodOut")


@_attrs_define
class TrendPeriodOut:
    """
    Attributes:
        from_ (datetime.date):
        to (datetime.date):
        overall (DsoFigures): One DSO measurement; days rounded to 2 decimals half up, null when nothing was sold.
        segments (TrendPeriodOutSegments): Every segment seen in the span.
    """

    from_: datetime.date
    to: datetime.date
    overall: DsoFigures
    segments: TrendPeriodOutSegments
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        overall = self.overall.to_dict()

        segments = self.segments.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "overall": overall,
                "segments": segments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dso_figures import DsoFigures  # noqa: PLC0415
        from ..models.trend_period_out_segments import TrendPeriodOutSegments  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        overall = DsoFigures.from_dict(d.pop("overall"))

        segments = TrendPeriodOutSegments.from_dict(d.pop("segments"))

        trend_period_out = cls(
            from_=from_,
            to=to,
            overall=overall,
            segments=segments,
        )

        trend_period_out.additional_properties = d
        return trend_period_out

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
