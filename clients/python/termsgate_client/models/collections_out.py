from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.collections_out_interval import CollectionsOutInterval

if TYPE_CHECKING:
    from ..models.owner_period import OwnerPeriod


T = TypeVar("T", bound="CollectionsOut")


@_attrs_define
class CollectionsOut:
    """Cash collected by the due date, per sales owner and period.

    Attributes:
        from_ (datetime.date):
        to (datetime.date):
        currency (str):
        interval (CollectionsOutInterval):
        as_of (datetime.date): Today, by the service's clock: invoices due before it count.
        items (list[OwnerPeriod]): By period, then owner.
    """

    from_: datetime.date
    to: datetime.date
    currency: str
    interval: CollectionsOutInterval
    as_of: datetime.date
    items: list[OwnerPeriod]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        currency = self.currency

        interval = self.interval.value

        as_of = self.as_of.isoformat()

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "currency": currency,
                "interval": interval,
                "as_of": as_of,
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.owner_period import OwnerPeriod  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        currency = d.pop("currency")

        interval = CollectionsOutInterval(d.pop("interval"))

        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = OwnerPeriod.from_dict(items_item_data)

            items.append(items_item)

        collections_out = cls(
            from_=from_,
            to=to,
            currency=currency,
            interval=interval,
            as_of=as_of,
            items=items,
        )

        collections_out.additional_properties = d
        return collections_out

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
