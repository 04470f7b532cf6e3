from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dso_out_method import DsoOutMethod

if TYPE_CHECKING:
    from ..models.money_sum import MoneySum


T = TypeVar("T", bound="DsoOut")


@_attrs_define
class DsoOut:
    """
    Attributes:
        days (int): to - from + 1.
        credit_sales (MoneySum): A sum of money: integer minor units and an ISO 4217 code.
        receivables_end (MoneySum): A sum of money: integer minor units and an ISO 4217 code.
        current_receivables (MoneySum): A sum of money: integer minor units and an ISO 4217 code.
        dso (float | None):
        best_possible_dso (float | None): current_receivables on the DSO's terms.
        add (float | None): Average days delinquent: dso - best_possible_dso.
        from_ (datetime.date):
        to (datetime.date):
        currency (str):
        segment (None | str):
        method (DsoOutMethod):
    """

    days: int
    credit_sales: MoneySum
    receivables_end: MoneySum
    current_receivables: MoneySum
    dso: float | None
    best_possible_dso: float | None
    add: float | None
    from_: datetime.date
    to: datetime.date
    currency: str
    segment: None | str
    method: DsoOutMethod
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        days = self.days

        credit_sales = self.credit_sales.to_dict()

        receivables_end = self.receivables_end.to_dict()

        current_receivables = self.current_receivables.to_dict()

        dso: float | None
        dso = self.dso

        best_possible_dso: float | None
        best_possible_dso = self.best_possible_dso

        add: float | None
        add = self.add

        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        currency = self.currency

        segment: None | str
        segment = self.segment

        method = self.method.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "days": days,
                "credit_sales": credit_sales,
                "receivables_end": receivables_end,
                "current_receivables": current_receivables,
                "dso": dso,
                "best_possible_dso": best_possible_dso,
                "add": add,
                "from": from_,
                "to": to,
                "currency": currency,
                "segment": segment,
                "method": method,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money_sum import MoneySum  # noqa: PLC0415

        d = dict(src_dict)
        days = d.pop("days")

        credit_sales = MoneySum.from_dict(d.pop("credit_sales"))

        receivables_end = MoneySum.from_dict(d.pop("receivables_end"))

        current_receivables = MoneySum.from_dict(d.pop("current_receivables"))

        def _parse_dso(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        dso = _parse_dso(d.pop("dso"))

        def _parse_best_possible_dso(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        best_possible_dso = _parse_best_possible_dso(d.pop("best_possible_dso"))

        def _parse_add(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        add = _parse_add(d.pop("add"))

        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        currency = d.pop("currency")

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        method = DsoOutMethod(d.pop("method"))

        dso_out = cls(
            days=days,
            credit_sales=credit_sales,
            receivables_end=receivables_end,
            current_receivables=current_receivables,
            dso=dso,
            best_possible_dso=best_possible_dso,
            add=add,
            from_=from_,
            to=to,
            currency=currency,
            segment=segment,
            method=method,
        )

        dso_out.additional_properties = d
        return dso_out

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
