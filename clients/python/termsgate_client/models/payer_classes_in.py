from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.payer_class_bounds_in import PayerClassBoundsIn


T = TypeVar("T", bound="PayerClassesIn")


@_attrs_define
class PayerClassesIn:
    """Bounds for `good` and `average`; `poor` is every customer neither holds for.

    Attributes:
        good (PayerClassBoundsIn): A payer class holds when all its bounds hold (inclusive).
        average (PayerClassBoundsIn): A payer class holds when all its bounds hold (inclusive).
    """

    good: PayerClassBoundsIn
    average: PayerClassBoundsIn

    def to_dict(self) -> dict[str, Any]:
        good = self.good.to_dict()

        average = self.average.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "good": good,
                "average": average,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payer_class_bounds_in import PayerClassBoundsIn  # noqa: PLC0415

        d = dict(src_dict)
        good = PayerClassBoundsIn.from_dict(d.pop("good"))

        average = PayerClassBoundsIn.from_dict(d.pop("average"))

        payer_classes_in = cls(
            good=good,
            average=average,
        )

        return payer_classes_in
