from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sum_ import Sum


T = TypeVar("T", bound="OwnerPeriod")


@_attrs_define
class OwnerPeriod:
    """One sales owner's invoices of one period, and what was paid by their due dates.

    Attributes:
        owner (str):
        period_from (datetime.date):
        period_to (datetime.date):
        invoiced (Sum): A money object as stored (not checked against today's currency list).
        collected_by_due (Sum): A money object as stored (not checked against today's currency list).
        share (float | None): collected_by_due / invoiced, rounded to 4 decimals; null when nothing was invoiced.
        invoices (int): Counted invoices: issued in the period, due before today.
        not_yet_due (int): Invoices issued in the period but due today or later: not counted yet.
    """

    owner: str
    period_from: datetime.date
    period_to: datetime.date
    invoiced: Sum
    collected_by_due: Sum
    share: float | None
    invoices: int
    not_yet_due: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        owner = self.owner

        period_from = self.period_from.isoformat()

        period_to = self.period_to.isoformat()

        invoiced = self.invoiced.to_dict()

        collected_by_due = self.collected_by_due.to_dict()

        share: float | None
        share = self.share

        invoices = self.invoices

        not_yet_due = self.not_yet_due

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "owner": owner,
                "period_from": period_from,
                "period_to": period_to,
                "invoiced": invoiced,
                "collected_by_due": collected_by_due,
                "share": share,
                "invoices": invoices,
                "not_yet_due": not_yet_due,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sum_ import Sum  # noqa: PLC0415

        d = dict(src_dict)
        owner = d.pop("owner")

        period_from = datetime.date.fromisoformat(d.pop("period_from"))

        period_to = datetime.date.fromisoformat(d.pop("period_to"))

        invoiced = Sum.from_dict(d.pop("invoiced"))

        collected_by_due = Sum.from_dict(d.pop("collected_by_due"))

        def _parse_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        share = _parse_share(d.pop("share"))

        invoices = d.pop("invoices")

        not_yet_due = d.pop("not_yet_due")

        owner_period = cls(
            owner=owner,
            period_from=period_from,
            period_to=period_to,
            invoiced=invoiced,
            collected_by_due=collected_by_due,
            share=share,
            invoices=invoices,
            not_yet_due=not_yet_due,
        )

        owner_period.additional_properties = d
        return owner_period

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
