from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.touch_batch_result_error_type_0 import TouchBatchResultErrorType0
    from ..models.touch_out import TouchOut


T = TypeVar("T", bound="TouchBatchResult")


@_attrs_define
class TouchBatchResult:
    """
    Attributes:
        touch_id (None | str):
        status (int): What POST /v1/touches would have answered for this touch.
        touch (None | TouchOut | Unset):
        error (None | TouchBatchResultErrorType0 | Unset): The problem, if refused.
    """

    touch_id: None | str
    status: int
    touch: None | TouchOut | Unset = UNSET
    error: None | TouchBatchResultErrorType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.touch_batch_result_error_type_0 import TouchBatchResultErrorType0  # noqa: PLC0415
        from ..models.touch_out import TouchOut  # noqa: PLC0415

        touch_id: None | str
        touch_id = self.touch_id

        status = self.status

        touch: dict[str, Any] | None | Unset
        if isinstance(self.touch, Unset):
            touch = UNSET
        elif isinstance(self.touch, TouchOut):
            touch = self.touch.to_dict()
        else:
            touch = self.touch

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, TouchBatchResultErrorType0):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "touch_id": touch_id,
                "status": status,
            }
        )
        if touch is not UNSET:
            field_dict["touch"] = touch
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.touch_batch_result_error_type_0 import TouchBatchResultErrorType0  # noqa: PLC0415
        from ..models.touch_out import TouchOut  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_touch_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        touch_id = _parse_touch_id(d.pop("touch_id"))

        status = d.pop("status")

        def _parse_touch(data: object) -> None | TouchOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                touch_type_0 = TouchOut.from_dict(data)

                return touch_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TouchOut | Unset, data)

        touch = _parse_touch(d.pop("touch", UNSET))

        def _parse_error(data: object) -> None | TouchBatchResultErrorType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = TouchBatchResultErrorType0.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TouchBatchResultErrorType0 | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        touch_batch_result = cls(
            touch_id=touch_id,
            status=status,
            touch=touch,
            error=error,
        )

        touch_batch_result.additional_properties = d
        return touch_batch_result

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
