from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.terms import Terms


T = TypeVar("T", bound="DecisionIn")


@_attrs_define
class DecisionIn:
    """
    Attributes:
        customer_id (str):
        order_id (str):
        amount (int): Minor units.
        currency (str):
        requested_terms (None | Terms | Unset):
    """

    customer_id: str
    order_id: str
    amount: int
    currency: str
    requested_terms: None | Terms | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.terms import Terms  # noqa: PLC0415

        customer_id = self.customer_id

        order_id = self.order_id

        amount = self.amount

        currency = self.currency

        requested_terms: dict[str, Any] | None | Unset
        if isinstance(self.requested_terms, Unset):
            requested_terms = UNSET
        elif isinstance(self.requested_terms, Terms):
            requested_terms = self.requested_terms.to_dict()
        else:
            requested_terms = self.requested_terms

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_id": customer_id,
                "order_id": order_id,
                "amount": amount,
                "currency": currency,
            }
        )
        if requested_terms is not UNSET:
            field_dict["requested_terms"] = requested_terms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.terms import Terms  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        order_id = d.pop("order_id")

        amount = d.pop("amount")

        currency = d.pop("currency")

        def _parse_requested_terms(data: object) -> None | Terms | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                requested_terms_type_0 = Terms.from_dict(data)

                return requested_terms_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Terms | Unset, data)

        requested_terms = _parse_requested_terms(d.pop("requested_terms", UNSET))

        decision_in = cls(
            customer_id=customer_id,
            order_id=order_id,
            amount=amount,
            currency=currency,
            requested_terms=requested_terms,
        )

        return decision_in
