from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.customer_metrics import CustomerMetrics
    from ..models.history_item import HistoryItem
    from ..models.promises_record import PromisesRecord
    from ..models.sum_ import Sum


T = TypeVar("T", bound="ProfileOut")


@_attrs_define
class ProfileOut:
    """Why a customer has the terms it has.

    Attributes:
        customer_id (str):
        segment (str):
        source (str): segment, override, exception or default, as the lookup says.
        payer_class (None | str):
        value_tier (None | str):
        metrics (CustomerMetrics | None): As of the last applied run.
        classified_by_run (None | str):
        classified_as_of (datetime.date | None):
        open_receivables (list[Sum]): Still owed, per currency, live.
        promises (PromisesRecord): The customer's promises to pay, all time, live.
        disputes_open (int): Disputes not yet resolved, live.
        credited (list[Sum]): Credit notes (disputes resolved with a credit), all time, per currency.
        history (list[HistoryItem]): The latest 100, oldest first.
        why (list[str]): The classification in words, with its figures against the bounds of the policy version that
            made it; then what overrides or exceptions change.
    """

    customer_id: str
    segment: str
    source: str
    payer_class: None | str
    value_tier: None | str
    metrics: CustomerMetrics | None
    classified_by_run: None | str
    classified_as_of: datetime.date | None
    open_receivables: list[Sum]
    promises: PromisesRecord
    disputes_open: int
    credited: list[Sum]
    history: list[HistoryItem]
    why: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_metrics import CustomerMetrics  # noqa: PLC0415

        customer_id = self.customer_id

        segment = self.segment

        source = self.source

        payer_class: None | str
        payer_class = self.payer_class

        value_tier: None | str
        value_tier = self.value_tier

        metrics: dict[str, Any] | None
        if isinstance(self.metrics, CustomerMetrics):
            metrics = self.metrics.to_dict()
        else:
            metrics = self.metrics

        classified_by_run: None | str
        classified_by_run = self.classified_by_run

        classified_as_of: None | str
        if isinstance(self.classified_as_of, datetime.date):
            classified_as_of = self.classified_as_of.isoformat()
        else:
            classified_as_of = self.classified_as_of

        open_receivables = []
        for open_receivables_item_data in self.open_receivables:
            open_receivables_item = open_receivables_item_data.to_dict()
            open_receivables.append(open_receivables_item)

        promises = self.promises.to_dict()

        disputes_open = self.disputes_open

        credited = []
        for credited_item_data in self.credited:
            credited_item = credited_item_data.to_dict()
            credited.append(credited_item)

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        why = self.why

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "segment": segment,
                "source": source,
                "payer_class": payer_class,
                "value_tier": value_tier,
                "metrics": metrics,
                "classified_by_run": classified_by_run,
                "classified_as_of": classified_as_of,
                "open_receivables": open_receivables,
                "promises": promises,
                "disputes_open": disputes_open,
                "credited": credited,
                "history": history,
                "why": why,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_metrics import CustomerMetrics  # noqa: PLC0415
        from ..models.history_item import HistoryItem  # noqa: PLC0415
        from ..models.promises_record import PromisesRecord  # noqa: PLC0415
        from ..models.sum_ import Sum  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        segment = d.pop("segment")

        source = d.pop("source")

        def _parse_payer_class(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        payer_class = _parse_payer_class(d.pop("payer_class"))

        def _parse_value_tier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        value_tier = _parse_value_tier(d.pop("value_tier"))

        def _parse_metrics(data: object) -> CustomerMetrics | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metrics_type_0 = CustomerMetrics.from_dict(data)

                return metrics_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomerMetrics | None, data)

        metrics = _parse_metrics(d.pop("metrics"))

        def _parse_classified_by_run(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        classified_by_run = _parse_classified_by_run(d.pop("classified_by_run"))

        def _parse_classified_as_of(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                classified_as_of_type_0 = datetime.date.fromisoformat(data)

                return classified_as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        classified_as_of = _parse_classified_as_of(d.pop("classified_as_of"))

        open_receivables = []
        _open_receivables = d.pop("open_receivables")
        for open_receivables_item_data in _open_receivables:
            open_receivables_item = Sum.from_dict(open_receivables_item_data)

            open_receivables.append(open_receivables_item)

        promises = PromisesRecord.from_dict(d.pop("promises"))

        disputes_open = d.pop("disputes_open")

        credited = []
        _credited = d.pop("credited")
        for credited_item_data in _credited:
            credited_item = Sum.from_dict(credited_item_data)

            credited.append(credited_item)

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = HistoryItem.from_dict(history_item_data)

            history.append(history_item)

        why = cast(list[str], d.pop("why"))

        profile_out = cls(
            customer_id=customer_id,
            segment=segment,
            source=source,
            payer_class=payer_class,
            value_tier=value_tier,
            metrics=metrics,
            classified_by_run=classified_by_run,
            classified_as_of=classified_as_of,
            open_receivables=open_receivables,
            promises=promises,
            disputes_open=disputes_open,
            credited=credited,
            history=history,
            why=why,
        )

        profile_out.additional_properties = d
        return profile_out

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
