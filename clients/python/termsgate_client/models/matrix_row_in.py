from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MatrixRowIn")


@_attrs_define
class MatrixRowIn:
    """
    Attributes:
        high (str):
        standard (str):
    """

    high: str
    standard: str

    def to_dict(self) -> dict[str, Any]:
        high = self.high

        standard = self.standard

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "high": high,
                "standard": standard,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        high = d.pop("high")

        standard = d.pop("standard")

        matrix_row_in = cls(
            high=high,
            standard=standard,
        )

        return matrix_row_in
