from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lookup_terms_response_200_source import LookupTermsResponse200Source

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.terms import Terms


T = TypeVar("T", bound="LookupTermsResponse200")


@_attrs_define
class LookupTermsResponse200:
    """
    Attributes:
        customer_id (str):
        segment (str):
        terms (Terms): Payment terms: pay on order (0 days) or net N days.
        credit_limit (Money | None):
        source (LookupTermsResponse200Source):
        policy_version (int | None):
        stale (bool):
    """

    customer_id: str
    segment: str
    terms: Terms
    credit_limit: Money | None
    source: LookupTermsResponse200Source
    policy_version: int | None
    stale: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        customer_id = self.customer_id

        segment = self.segment

        terms = self.terms.to_dict()

        credit_limit: dict[str, Any] | None
        if isinstance(self.credit_limit, Money):
            credit_limit = self.credit_limit.to_dict()
        else:
            credit_limit = self.credit_limit

        source = self.source.value

        policy_version: int | None
        policy_version = self.policy_version

        stale = self.stale

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "segment": segment,
                "terms": terms,
                "credit_limit": credit_limit,
                "source": source,
                "policy_version": policy_version,
                "stale": stale,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.terms import Terms  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        segment = d.pop("segment")

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

        source = LookupTermsResponse200Source(d.pop("source"))

        def _parse_policy_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        policy_version = _parse_policy_version(d.pop("policy_version"))

        stale = d.pop("stale")

        lookup_terms_response_200 = cls(
            customer_id=customer_id,
            segment=segment,
            terms=terms,
            credit_limit=credit_limit,
            source=source,
            policy_version=policy_version,
            stale=stale,
        )

        lookup_terms_response_200.additional_properties = d
        return lookup_terms_response_200

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
