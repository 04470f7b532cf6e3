from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.move_out_metrics import MoveOutMetrics


T = TypeVar("T", bound="MoveOut")


@_attrs_define
class MoveOut:
    """A customer whose assignment the run changes (`from` is null where there was none).

    Attributes:
        customer_id (str):
        from_ (None | str):
        to (str):
        payer_class (None | str):
        value_tier (str):
        metrics (MoveOutMetrics):
        held (bool):
    """

    customer_id: str
    from_: None | str
    to: str
    payer_class: None | str
    value_tier: str
    metrics: MoveOutMetrics
    held: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        from_: None | str
        from_ = self.from_

        to = self.to

        payer_class: None | str
        payer_class = self.payer_class

        value_tier = self.value_tier

        metrics = self.metrics.to_dict()

        held = self.held

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "from": from_,
                "to": to,
                "payer_class": payer_class,
                "value_tier": value_tier,
                "metrics": metrics,
                "held": held,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.move_out_metrics import MoveOutMetrics  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        def _parse_from_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_ = _parse_from_(d.pop("from"))

        to = d.pop("to")

        def _parse_payer_class(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        payer_class = _parse_payer_class(d.pop("payer_class"))

        value_tier = d.pop("value_tier")

        metrics = MoveOutMetrics.from_dict(d.pop("metrics"))

        held = d.pop("held")

        move_out = cls(
            customer_id=customer_id,
            from_=from_,
            to=to,
            payer_class=payer_class,
            value_tier=value_tier,
            metrics=metrics,
            held=held,
        )

        move_out.additional_properties = d
        return move_out

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
