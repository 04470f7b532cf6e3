from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.policy_out_matrix import PolicyOutMatrix
    from ..models.policy_out_payer_classes import PolicyOutPayerClasses
    from ..models.policy_out_value_tiers import PolicyOutValueTiers


T = TypeVar("T", bound="PolicyOut")


@_attrs_define
class PolicyOut:
    """The policy as callers see it.

    Attributes:
        version (int):
        lookback_days (int):
        min_invoices (int):
        currency (str):
        new_customer_segment (str):
        payer_classes (PolicyOutPayerClasses):
        value_tiers (PolicyOutValueTiers):
        matrix (PolicyOutMatrix):
        created_at (datetime.datetime):
        created_by (str):
    """

    version: int
    lookback_days: int
    min_invoices: int
    currency: str
    new_customer_segment: str
    payer_classes: PolicyOutPayerClasses
    value_tiers: PolicyOutValueTiers
    matrix: PolicyOutMatrix
    created_at: datetime.datetime
    created_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        lookback_days = self.lookback_days

        min_invoices = self.min_invoices

        currency = self.currency

        new_customer_segment = self.new_customer_segment

        payer_classes = self.payer_classes.to_dict()

        value_tiers = self.value_tiers.to_dict()

        matrix = self.matrix.to_dict()

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "lookback_days": lookback_days,
                "min_invoices": min_invoices,
                "currency": currency,
                "new_customer_segment": new_customer_segment,
                "payer_classes": payer_classes,
                "value_tiers": value_tiers,
                "matrix": matrix,
                "created_at": created_at,
                "created_by": created_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_out_matrix import PolicyOutMatrix  # noqa: PLC0415
        from ..models.policy_out_payer_classes import PolicyOutPayerClasses  # noqa: PLC0415
        from ..models.policy_out_value_tiers import PolicyOutValueTiers  # noqa: PLC0415

        d = dict(src_dict)
        version = d.pop("version")

        lookback_days = d.pop("lookback_days")

        min_invoices = d.pop("min_invoices")

        currency = d.pop("currency")

        new_customer_segment = d.pop("new_customer_segment")

        payer_classes = PolicyOutPayerClasses.from_dict(d.pop("payer_classes"))

        value_tiers = PolicyOutValueTiers.from_dict(d.pop("value_tiers"))

        matrix = PolicyOutMatrix.from_dict(d.pop("matrix"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        policy_out = cls(
            version=version,
            lookback_days=lookback_days,
            min_invoices=min_invoices,
            currency=currency,
            new_customer_segment=new_customer_segment,
            payer_classes=payer_classes,
            value_tiers=value_tiers,
            matrix=matrix,
            created_at=created_at,
            created_by=created_by,
        )

        policy_out.additional_properties = d
        return policy_out

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
