from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.invoice_out_status import InvoiceOutStatus

if TYPE_CHECKING:
    from ..models.credit_note_out import CreditNoteOut
    from ..models.payment_line import PaymentLine
    from ..models.route_out import RouteOut


T = TypeVar("T", bound="InvoiceOut")


@_attrs_define
class InvoiceOut:
    """Any invoice, routed or imported: what it was for, when it is due, what is still owed.

    Attributes:
        invoice_id (str):
        customer_id (str):
        order_id (None | str):
        amount (int):
        currency (str):
        issued_on (datetime.date):
        due_on (datetime.date):
        status (InvoiceOutStatus):
        outstanding (int): amount minus payments and credit notes.
        payments (list[PaymentLine]):
        credited_amount (int): Settled by credit notes, not cash; minor units.
        credit_notes (list[CreditNoteOut]): Disputes resolved with a credit note, oldest first.
        segment (None | str): The segment stamped when it was routed; null when imported.
        sales_owner (None | str):
        route (None | RouteOut): The route as decided; null for imported history.
    """

    invoice_id: str
    customer_id: str
    order_id: None | str
    amount: int
    currency: str
    issued_on: datetime.date
    due_on: datetime.date
    status: InvoiceOutStatus
    outstanding: int
    payments: list[PaymentLine]
    credited_amount: int
    credit_notes: list[CreditNoteOut]
    segment: None | str
    sales_owner: None | str
    route: None | RouteOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.route_out import RouteOut  # noqa: PLC0415

        invoice_id = self.invoice_id

        customer_id = self.customer_id

        order_id: None | str
        order_id = self.order_id

        amount = self.amount

        currency = self.currency

        issued_on = self.issued_on.isoformat()

        due_on = self.due_on.isoformat()

        status = self.status.value

        outstanding = self.outstanding

        payments = []
        for payments_item_data in self.payments:
            payments_item = payments_item_data.to_dict()
            payments.append(payments_item)

        credited_amount = self.credited_amount

        credit_notes = []
        for credit_notes_item_data in self.credit_notes:
            credit_notes_item = credit_notes_item_data.to_dict()
            credit_notes.append(credit_notes_item)

        segment: None | str
        segment = self.segment

        sales_owner: None | str
        sales_owner = self.sales_owner

        route: dict[str, Any] | None
        if isinstance(self.route, RouteOut):
            route = self.route.to_dict()
        else:
            route = self.route

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "invoice_id": invoice_id,
                "customer_id": customer_id,
                "order_id": order_id,
                "amount": amount,
                "currency": currency,
                "issued_on": issued_on,
                "due_on": due_on,
                "status": status,
                "outstanding": outstanding,
                "payments": payments,
                "credited_amount": credited_amount,
                "credit_notes": credit_notes,
                "segment": segment,
                "sales_owner": sales_owner,
                "route": route,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.credit_note_out import CreditNoteOut  # noqa: PLC0415
        from ..models.payment_line import PaymentLine  # noqa: PLC0415
        from ..models.route_out import RouteOut  # noqa: PLC0415

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

        issued_on = datetime.date.fromisoformat(d.pop("issued_on"))

        due_on = datetime.date.fromisoformat(d.pop("due_on"))

        status = InvoiceOutStatus(d.pop("status"))

        outstanding = d.pop("outstanding")

        payments = []
        _payments = d.pop("payments")
        for payments_item_data in _payments:
            payments_item = PaymentLine.from_dict(payments_item_data)

            payments.append(payments_item)

        credited_amount = d.pop("credited_amount")

        credit_notes = []
        _credit_notes = d.pop("credit_notes")
        for credit_notes_item_data in _credit_notes:
            credit_notes_item = CreditNoteOut.from_dict(credit_notes_item_data)

            credit_notes.append(credit_notes_item)

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        def _parse_sales_owner(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sales_owner = _parse_sales_owner(d.pop("sales_owner"))

        def _parse_route(data: object) -> None | RouteOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                route_type_0 = RouteOut.from_dict(data)

                return route_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RouteOut, data)

        route = _parse_route(d.pop("route"))

        invoice_out = cls(
            invoice_id=invoice_id,
            customer_id=customer_id,
            order_id=order_id,
            amount=amount,
            currency=currency,
            issued_on=issued_on,
            due_on=due_on,
            status=status,
            outstanding=outstanding,
            payments=payments,
            credited_amount=credited_amount,
            credit_notes=credit_notes,
            segment=segment,
            sales_owner=sales_owner,
            route=route,
        )

        invoice_out.additional_properties = d
        return invoice_out

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
