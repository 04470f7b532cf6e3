from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sum_ import Sum


T = TypeVar("T", bound="CustomerMetrics")


@_attrs_define
class CustomerMetrics:
    """The numbers behind a classification, as of the run that made it.

    Attributes:
        invoices_counted (int): Invoices issued in the lookback window and paid by the run's as_of date or due before
            it.
        invoices_late (int):
        invoices_paid (int): Counting invoices paid by the as_of date.
        avg_days_late (float | None):
        late_share (float | None):
        avg_days_to_pay (float | None): Issue to payment, over those paid.
        revenue (Sum): A money object as stored (not checked against today's currency list).
        margin_share (float | None): Gross margin over amount, of the revenue invoices that carry a margin.
        broken_promises (int | None | Unset): Promises to pay broken in the lookback window (their last day fell in it);
            null for a run made before promises were counted.
    """

    invoices_counted: int
    invoices_late: int
    invoices_paid: int
    avg_days_late: float | None
    late_share: float | None
    avg_days_to_pay: float | None
    revenue: Sum
    margin_share: float | None
    broken_promises: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        invoices_counted = self.invoices_counted

        invoices_late = self.invoices_late

        invoices_paid = self.invoices_paid

        avg_days_late: float | None
        avg_days_late = self.avg_days_late

        late_share: float | None
        late_share = self.late_share

        avg_days_to_pay: float | None
        avg_days_to_pay = self.avg_days_to_pay

        revenue = self.revenue.to_dict()

        margin_share: float | None
        margin_share = self.margin_share

        broken_promises: int | None | Unset
        if isinstance(self.broken_promises, Unset):
            broken_promises = UNSET
        else:
            broken_promises = self.broken_promises

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "invoices_counted": invoices_counted,
                "invoices_late": invoices_late,
                "invoices_paid": invoices_paid,
                "avg_days_late": avg_days_late,
                "late_share": late_share,
                "avg_days_to_pay": avg_days_to_pay,
                "revenue": revenue,
                "margin_share": margin_share,
            }
        )
        if broken_promises is not UNSET:
            field_dict["broken_promises"] = broken_promises

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sum_ import Sum  # noqa: PLC0415

        d = dict(src_dict)
        invoices_counted = d.pop("invoices_counted")

        invoices_late = d.pop("invoices_late")

        invoices_paid = d.pop("invoices_paid")

        def _parse_avg_days_late(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        avg_days_late = _parse_avg_days_late(d.pop("avg_days_late"))

        def _parse_late_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        late_share = _parse_late_share(d.pop("late_share"))

        def _parse_avg_days_to_pay(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        avg_days_to_pay = _parse_avg_days_to_pay(d.pop("avg_days_to_pay"))

        revenue = Sum.from_dict(d.pop("revenue"))

        def _parse_margin_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        margin_share = _parse_margin_share(d.pop("margin_share"))

        def _parse_broken_promises(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        broken_promises = _parse_broken_promises(d.pop("broken_promises", UNSET))

        customer_metrics = cls(
            invoices_counted=invoices_counted,
            invoices_late=invoices_late,
            invoices_paid=invoices_paid,
            avg_days_late=avg_days_late,
            late_share=late_share,
            avg_days_to_pay=avg_days_to_pay,
            revenue=revenue,
            margin_share=margin_share,
            broken_promises=broken_promises,
        )

        customer_metrics.additional_properties = d
        return customer_metrics

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
