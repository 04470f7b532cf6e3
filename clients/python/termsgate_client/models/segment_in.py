from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact_step import ContactStep
    from ..models.money import Money
    from ..models.terms import Terms


T = TypeVar("T", bound="SegmentIn")


@_attrs_define
class SegmentIn:
    """
    Attributes:
        name (str):
        terms (Terms): Payment terms: pay on order (0 days) or net N days.
        workflow (str):
        key (None | str | Unset): If given, must equal the key in the path.
        credit_limit (Money | None | Unset):
        contact_plan (list[ContactStep] | Unset):
    """

    name: str
    terms: Terms
    workflow: str
    key: None | str | Unset = UNSET
    credit_limit: Money | None | Unset = UNSET
    contact_plan: list[ContactStep] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        name = self.name

        terms = self.terms.to_dict()

        workflow = self.workflow

        key: None | str | Unset
        if isinstance(self.key, Unset):
            key = UNSET
        else:
            key = self.key

        credit_limit: dict[str, Any] | None | Unset
        if isinstance(self.credit_limit, Unset):
            credit_limit = UNSET
        elif isinstance(self.credit_limit, Money):
            credit_limit = self.credit_limit.to_dict()
        else:
            credit_limit = self.credit_limit

        contact_plan: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.contact_plan, Unset):
            contact_plan = []
            for contact_plan_item_data in self.contact_plan:
                contact_plan_item = contact_plan_item_data.to_dict()
                contact_plan.append(contact_plan_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "terms": terms,
                "workflow": workflow,
            }
        )
        if key is not UNSET:
            field_dict["key"] = key
        if credit_limit is not UNSET:
            field_dict["credit_limit"] = credit_limit
        if contact_plan is not UNSET:
            field_dict["contact_plan"] = contact_plan

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_step import ContactStep  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415
        from ..models.terms import Terms  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        terms = Terms.from_dict(d.pop("terms"))

        workflow = d.pop("workflow")

        def _parse_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        key = _parse_key(d.pop("key", UNSET))

        def _parse_credit_limit(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credit_limit_type_0 = Money.from_dict(data)

                return credit_limit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        credit_limit = _parse_credit_limit(d.pop("credit_limit", UNSET))

        _contact_plan = d.pop("contact_plan", UNSET)
        contact_plan: list[ContactStep] | Unset = UNSET
        if _contact_plan is not UNSET:
            contact_plan = []
            for contact_plan_item_data in _contact_plan:
                contact_plan_item = ContactStep.from_dict(contact_plan_item_data)

                contact_plan.append(contact_plan_item)

        segment_in = cls(
            name=name,
            terms=terms,
            workflow=workflow,
            key=key,
            credit_limit=credit_limit,
            contact_plan=contact_plan,
        )

        return segment_in
