from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="BatchIn")


@_attrs_define
class BatchIn:
    """Items are checked one by one, so one bad invoice (even one that is not an object) does
    not stop the others.

        Attributes:
            invoices (list[Any]): At most 1000 invoices.
    """

    invoices: list[Any]

    def to_dict(self) -> dict[str, Any]:
        invoices = self.invoices

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "invoices": invoices,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        invoices = cast(list[Any], d.pop("invoices"))

        batch_in = cls(
            invoices=invoices,
        )

        return batch_in
