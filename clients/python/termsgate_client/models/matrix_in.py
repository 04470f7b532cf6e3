from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.matrix_row_in import MatrixRowIn


T = TypeVar("T", bound="MatrixIn")


@_attrs_define
class MatrixIn:
    """The segment of each (payer class, value tier) cell: all six are required.

    Attributes:
        good (MatrixRowIn):
        average (MatrixRowIn):
        poor (MatrixRowIn):
    """

    good: MatrixRowIn
    average: MatrixRowIn
    poor: MatrixRowIn

    def to_dict(self) -> dict[str, Any]:
        good = self.good.to_dict()

        average = self.average.to_dict()

        poor = self.poor.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "good": good,
                "average": average,
                "poor": poor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.matrix_row_in import MatrixRowIn  # noqa: PLC0415

        d = dict(src_dict)
        good = MatrixRowIn.from_dict(d.pop("good"))

        average = MatrixRowIn.from_dict(d.pop("average"))

        poor = MatrixRowIn.from_dict(d.pop("poor"))

        matrix_in = cls(
            good=good,
            average=average,
            poor=poor,
        )

        return matrix_in
