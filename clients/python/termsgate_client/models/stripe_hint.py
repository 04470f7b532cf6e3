from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stripe_hint_collection_method import StripeHintCollectionMethod

T = TypeVar("T", bound="StripeHint")


@_attrs_define
class StripeHint:
    """How a billing system on Stripe would create this invoice.

    Attributes:
        collection_method (StripeHintCollectionMethod):
        days_until_due (int | None):
    """

    collection_method: StripeHintCollectionMethod
    days_until_due: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        collection_method = self.collection_method.value

        days_until_due: int | None
        days_until_due = self.days_until_due

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "collection_method": collection_method,
                "days_until_due": days_until_due,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        collection_method = StripeHintCollectionMethod(d.pop("collection_method"))

        def _parse_days_until_due(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        days_until_due = _parse_days_until_due(d.pop("days_until_due"))

        stripe_hint = cls(
            collection_method=collection_method,
            days_until_due=days_until_due,
        )

        stripe_hint.additional_properties = d
        return stripe_hint

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
