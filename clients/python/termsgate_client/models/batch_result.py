from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_result_error_type_0 import BatchResultErrorType0
    from ..models.route_out import RouteOut


T = TypeVar("T", bound="BatchResult")


@_attrs_define
class BatchResult:
    """
    Attributes:
        invoice_id (None | str):
        status (int):
        route (None | RouteOut | Unset):
        error (BatchResultErrorType0 | None | Unset):
    """

    invoice_id: None | str
    status: int
    route: None | RouteOut | Unset = UNSET
    error: BatchResultErrorType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_result_error_type_0 import BatchResultErrorType0  # noqa: PLC0415
        from ..models.route_out import RouteOut  # noqa: PLC0415

        invoice_id: None | str
        invoice_id = self.invoice_id

        status = self.status

        route: dict[str, Any] | None | Unset
        if isinstance(self.route, Unset):
            route = UNSET
        elif isinstance(self.route, RouteOut):
            route = self.route.to_dict()
        else:
            route = self.route

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, BatchResultErrorType0):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "invoice_id": invoice_id,
                "status": status,
            }
        )
        if route is not UNSET:
            field_dict["route"] = route
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_result_error_type_0 import BatchResultErrorType0  # noqa: PLC0415
        from ..models.route_out import RouteOut  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_invoice_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        invoice_id = _parse_invoice_id(d.pop("invoice_id"))

        status = d.pop("status")

        def _parse_route(data: object) -> None | RouteOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                route_type_0 = RouteOut.from_dict(data)

                return route_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RouteOut | Unset, data)

        route = _parse_route(d.pop("route", UNSET))

        def _parse_error(data: object) -> BatchResultErrorType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = BatchResultErrorType0.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BatchResultErrorType0 | None | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        batch_result = cls(
            invoice_id=invoice_id,
            status=status,
            route=route,
            error=error,
        )

        batch_result.additional_properties = d
        return batch_result

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
