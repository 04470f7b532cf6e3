from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.terms_type import TermsType

T = TypeVar("T", bound="Terms")


@_attrs_define
class Terms:
    """Payment terms: pay on order (0 days) or net N days.

    Attributes:
        type_ (TermsType):
        net_days (int):
    """

    type_: TermsType
    net_days: int

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        net_days = self.net_days

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "net_days": net_days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = TermsType(d.pop("type"))

        net_days = d.pop("net_days")

        terms = cls(
            type_=type_,
            net_days=net_days,
        )

        return terms
