from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.route_status_out_status import RouteStatusOutStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dated_step import DatedStep
    from ..models.stripe_hint import StripeHint
    from ..models.terms import Terms


T = TypeVar("T", bound="RouteStatusOut")


@_attrs_define
class RouteStatusOut:
    """
    Attributes:
        invoice_id (str):
        customer_id (str):
        order_id (None | str):
        amount (int):
        currency (str):
        segment (str):
        workflow (str):
        source (str):
        terms (Terms): Payment terms: pay on order (0 days) or net N days.
        issued_on (datetime.date):
        due_on (datetime.date):
        contact_plan (list[DatedStep]):
        stripe (StripeHint): How a billing system on Stripe would create this invoice.
        policy_version (int):
        routed_at (datetime.datetime):
        status (RouteStatusOutStatus):
        outstanding (int):
        decision_id (None | str | Unset): The checkout decision whose terms bound this invoice.
    """

    invoice_id: str
    customer_id: str
    order_id: None | str
    amount: int
    currency: str
    segment: str
    workflow: str
    source: str
    terms: Terms
    issued_on: datetime.date
    due_on: datetime.date
    contact_plan: list[DatedStep]
    stripe: StripeHint
    policy_version: int
    routed_at: datetime.datetime
    status: RouteStatusOutStatus
    outstanding: int
    decision_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        invoice_id = self.invoice_id

        customer_id = self.customer_id

        order_id: None | str
        order_id = self.order_id

        amount = self.amount

        currency = self.currency

        segment = self.segment

        workflow = self.workflow

        source = self.source

        terms = self.terms.to_dict()

        issued_on = self.issued_on.isoformat()

        due_on = self.due_on.isoformat()

        contact_plan = []
        for contact_plan_item_data in self.contact_plan:
            contact_plan_item = contact_plan_item_data.to_dict()
            contact_plan.append(contact_plan_item)

        stripe = self.stripe.to_dict()

        policy_version = self.policy_version

        routed_at = self.routed_at.isoformat()

        status = self.status.value

        outstanding = self.outstanding

        decision_id: None | str | Unset
        if isinstance(self.decision_id, Unset):
            decision_id = UNSET
        else:
            decision_id = self.decision_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "invoice_id": invoice_id,
                "customer_id": customer_id,
                "order_id": order_id,
                "amount": amount,
                "currency": currency,
                "segment": segment,
                "workflow": workflow,
                "source": source,
                "terms": terms,
                "issued_on": issued_on,
                "due_on": due_on,
                "contact_plan": contact_plan,
                "stripe": stripe,
                "policy_version": policy_version,
                "routed_at": routed_at,
                "status": status,
                "outstanding": outstanding,
            }
        )
        if decision_id is not UNSET:
            field_dict["decision_id"] = decision_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dated_step import DatedStep  # noqa: PLC0415
        from ..models.stripe_hint import StripeHint  # noqa: PLC0415
        from ..models.terms import Terms  # noqa: PLC0415

        d = dict(src_dict)
        invoice_id = d.pop("invoice_id")

        customer_id = d.pop("customer_id")

        def _parse_order_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        order_id = _parse_order_id(d.pop("order_id"))

        amount = d.pop("amount")

        currency = d.pop("currency")

        segment = d.pop("segment")

        workflow = d.pop("workflow")

        source = d.pop("source")

        terms = Terms.from_dict(d.pop("terms"))

        issued_on = datetime.date.fromisoformat(d.pop("issued_on"))

        due_on = datetime.date.fromisoformat(d.pop("due_on"))

        contact_plan = []
        _contact_plan = d.pop("contact_plan")
        for contact_plan_item_data in _contact_plan:
            contact_plan_item = DatedStep.from_dict(contact_plan_item_data)

            contact_plan.append(contact_plan_item)

        stripe = StripeHint.from_dict(d.pop("stripe"))

        policy_version = d.pop("policy_version")

        routed_at = datetime.datetime.fromisoformat(d.pop("routed_at"))

        status = RouteStatusOutStatus(d.pop("status"))

        outstanding = d.pop("outstanding")

        def _parse_decision_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decision_id = _parse_decision_id(d.pop("decision_id", UNSET))

        route_status_out = cls(
            invoice_id=invoice_id,
            customer_id=customer_id,
            order_id=order_id,
            amount=amount,
            currency=currency,
            segment=segment,
            workflow=workflow,
            source=source,
            terms=terms,
            issued_on=issued_on,
            due_on=due_on,
            contact_plan=contact_plan,
            stripe=stripe,
            policy_version=policy_version,
            routed_at=routed_at,
            status=status,
            outstanding=outstanding,
            decision_id=decision_id,
        )

        route_status_out.additional_properties = d
        return route_status_out

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
