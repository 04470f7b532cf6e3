from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.decision_out_outcome import DecisionOutOutcome
from ..models.decision_out_reasons_item import DecisionOutReasonsItem
from ..models.decision_out_source import DecisionOutSource
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.terms import Terms


T = TypeVar("T", bound="DecisionOut")


@_attrs_define
class DecisionOut:
    """
    Attributes:
        decision_id (str):
        customer_id (str):
        order_id (str):
        outcome (DecisionOutOutcome):
        terms (Terms): Payment terms: pay on order (0 days) or net N days.
        reasons (list[DecisionOutReasonsItem]):
        segment (str):
        source (DecisionOutSource):
        policy_version (int | None):
        amount (int):
        currency (str):
        requested_terms (None | Terms):
        credit_limit (Money | None): The limit the credit check used, if any.
        open_receivables (int): The customer's open receivables in the order's currency before this order.
        stale (bool): Answered from a snapshot the store could not confirm.
        decided_at (datetime.datetime):
        exposure (Money | None | Unset): What the credit check counted before this order, in the order's currency: open
            receivables plus open orders (net terms granted, not yet invoiced, released or expired). None on decisions
            recorded before exposure was answered.
    """

    decision_id: str
    customer_id: str
    order_id: str
    outcome: DecisionOutOutcome
    terms: Terms
    reasons: list[DecisionOutReasonsItem]
    segment: str
    source: DecisionOutSource
    policy_version: int | None
    amount: int
    currency: str
    requested_terms: None | Terms
    credit_limit: Money | None
    open_receivables: int
    stale: bool
    decided_at: datetime.datetime
    exposure: Money | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.terms import Terms  # noqa: PLC0415

        decision_id = self.decision_id

        customer_id = self.customer_id

        order_id = self.order_id

        outcome = self.outcome.value

        terms = self.terms.to_dict()

        reasons = []
        for reasons_item_data in self.reasons:
            reasons_item = reasons_item_data.value
            reasons.append(reasons_item)

        segment = self.segment

        source = self.source.value

        policy_version: int | None
        policy_version = self.policy_version

        amount = self.amount

        currency = self.currency

        requested_terms: dict[str, Any] | None
        if isinstance(self.requested_terms, Terms):
            requested_terms = self.requested_terms.to_dict()
        else:
            requested_terms = self.requested_terms

        credit_limit: dict[str, Any] | None
        if isinstance(self.credit_limit, Money):
            credit_limit = self.credit_limit.to_dict()
        else:
            credit_limit = self.credit_limit

        open_receivables = self.open_receivables

        stale = self.stale

        decided_at = self.decided_at.isoformat()

        exposure: dict[str, Any] | None | Unset
        if isinstance(self.exposure, Unset):
            exposure = UNSET
        elif isinstance(self.exposure, Money):
            exposure = self.exposure.to_dict()
        else:
            exposure = self.exposure

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decision_id": decision_id,
                "customer_id": customer_id,
                "order_id": order_id,
                "outcome": outcome,
                "terms": terms,
                "reasons": reasons,
                "segment": segment,
                "source": source,
                "policy_version": policy_version,
                "amount": amount,
                "currency": currency,
                "requested_terms": requested_terms,
                "credit_limit": credit_limit,
                "open_receivables": open_receivables,
                "stale": stale,
                "decided_at": decided_at,
            }
        )
        if exposure is not UNSET:
            field_dict["exposure"] = exposure

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.terms import Terms  # noqa: PLC0415

        d = dict(src_dict)
        decision_id = d.pop("decision_id")

        customer_id = d.pop("customer_id")

        order_id = d.pop("order_id")

        outcome = DecisionOutOutcome(d.pop("outcome"))

        terms = Terms.from_dict(d.pop("terms"))

        reasons = []
        _reasons = d.pop("reasons")
        for reasons_item_data in _reasons:
            reasons_item = DecisionOutReasonsItem(reasons_item_data)

            reasons.append(reasons_item)

        segment = d.pop("segment")

        source = DecisionOutSource(d.pop("source"))

        def _parse_policy_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        policy_version = _parse_policy_version(d.pop("policy_version"))

        amount = d.pop("amount")

        currency = d.pop("currency")

        def _parse_requested_terms(data: object) -> None | Terms:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                requested_terms_type_0 = Terms.from_dict(data)

                return requested_terms_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Terms, data)

        requested_terms = _parse_requested_terms(d.pop("requested_terms"))

        def _parse_credit_limit(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credit_limit_type_0 = Money.from_dict(data)

                return credit_limit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        credit_limit = _parse_credit_limit(d.pop("credit_limit"))

        open_receivables = d.pop("open_receivables")

        stale = d.pop("stale")

        decided_at = datetime.datetime.fromisoformat(d.pop("decided_at"))

        def _parse_exposure(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                exposure_type_0 = Money.from_dict(data)

                return exposure_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        exposure = _parse_exposure(d.pop("exposure", UNSET))

        decision_out = cls(
            decision_id=decision_id,
            customer_id=customer_id,
            order_id=order_id,
            outcome=outcome,
            terms=terms,
            reasons=reasons,
            segment=segment,
            source=source,
            policy_version=policy_version,
            amount=amount,
            currency=currency,
            requested_terms=requested_terms,
            credit_limit=credit_limit,
            open_receivables=open_receivables,
            stale=stale,
            decided_at=decided_at,
            exposure=exposure,
        )

        decision_out.additional_properties = d
        return decision_out

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
