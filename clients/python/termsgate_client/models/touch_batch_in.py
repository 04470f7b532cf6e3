from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="TouchBatchIn")


@_attrs_define
class TouchBatchIn:
    """Items are checked one by one, so one bad touch (even one that is not an object) does
    not stop the others.

        Attributes:
            touches (list[Any]): At most 1000 touches, each as POST /v1/touches takes.
    """

    touches: list[Any]

    def to_dict(self) -> dict[str, Any]:
        touches = self.touches

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "touches": touches,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        touches = cast(list[Any], d.pop("touches"))

        touch_batch_in = cls(
            touches=touches,
        )

        return touch_batch_in
