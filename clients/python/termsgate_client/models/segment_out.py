from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.contact_step import ContactStep
    from ..models.money import Money
    from ..models.terms import Terms


T = TypeVar("T", bound="SegmentOut")


@_attrs_define
class SegmentOut:
    """
    Attributes:
        key (str):
        name (str):
        terms (Terms): Payment terms: pay on order (0 days) or net N days.
        credit_limit (Money | None):
        workflow (str):
        contact_plan (list[ContactStep]):
        revision (int):
    """

    key: str
    name: str
    terms: Terms
    credit_limit: Money | None
    workflow: str
    contact_plan: list[ContactStep]
    revision: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        key = self.key

        name = self.name

        terms = self.terms.to_dict()

        credit_limit: dict[str, Any] | None
        if isinstance(self.credit_limit, Money):
            credit_limit = self.credit_limit.to_dict()
        else:
            credit_limit = self.credit_limit

        workflow = self.workflow

        contact_plan = []
        for contact_plan_item_data in self.contact_plan:
            contact_plan_item = contact_plan_item_data.to_dict()
            contact_plan.append(contact_plan_item)

        revision = self.revision

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "name": name,
                "terms": terms,
                "credit_limit": credit_limit,
                "workflow": workflow,
                "contact_plan": contact_plan,
                "revision": revision,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_step import ContactStep  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415
        from ..models.terms import Terms  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        name = d.pop("name")

        terms = Terms.from_dict(d.pop("terms"))

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

        workflow = d.pop("workflow")

        contact_plan = []
        _contact_plan = d.pop("contact_plan")
        for contact_plan_item_data in _contact_plan:
            contact_plan_item = ContactStep.from_dict(contact_plan_item_data)

            contact_plan.append(contact_plan_item)

        revision = d.pop("revision")

        segment_out = cls(
            key=key,
            name=name,
            terms=terms,
            credit_limit=credit_limit,
            workflow=workflow,
            contact_plan=contact_plan,
            revision=revision,
        )

        segment_out.additional_properties = d
        return segment_out

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
