from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.matrix_in import MatrixIn
    from ..models.payer_classes_in import PayerClassesIn
    from ..models.value_tiers_in import ValueTiersIn


T = TypeVar("T", bound="PolicyIn")


@_attrs_define
class PolicyIn:
    """A new policy; the server gives it the next version.

    Attributes:
        lookback_days (int):
        min_invoices (int):
        currency (str):
        new_customer_segment (str):
        payer_classes (PayerClassesIn): Bounds for `good` and `average`; `poor` is every customer neither holds for.
        value_tiers (ValueTiersIn): Bounds for `high`; `standard` is every customer below them.
        matrix (MatrixIn): The segment of each (payer class, value tier) cell: all six are required.
    """

    lookback_days: int
    min_invoices: int
    currency: str
    new_customer_segment: str
    payer_classes: PayerClassesIn
    value_tiers: ValueTiersIn
    matrix: MatrixIn

    def to_dict(self) -> dict[str, Any]:
        lookback_days = self.lookback_days

        min_invoices = self.min_invoices

        currency = self.currency

        new_customer_segment = self.new_customer_segment

        payer_classes = self.payer_classes.to_dict()

        value_tiers = self.value_tiers.to_dict()

        matrix = self.matrix.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "lookback_days": lookback_days,
                "min_invoices": min_invoices,
                "currency": currency,
                "new_customer_segment": new_customer_segment,
                "payer_classes": payer_classes,
                "value_tiers": value_tiers,
                "matrix": matrix,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.matrix_in import MatrixIn  # noqa: PLC0415
        from ..models.payer_classes_in import PayerClassesIn  # noqa: PLC0415
        from ..models.value_tiers_in import ValueTiersIn  # noqa: PLC0415

        d = dict(src_dict)
        lookback_days = d.pop("lookback_days")

        min_invoices = d.pop("min_invoices")

        currency = d.pop("currency")

        new_customer_segment = d.pop("new_customer_segment")

        payer_classes = PayerClassesIn.from_dict(d.pop("payer_classes"))

        value_tiers = ValueTiersIn.from_dict(d.pop("value_tiers"))

        matrix = MatrixIn.from_dict(d.pop("matrix"))

        policy_in = cls(
            lookback_days=lookback_days,
            min_invoices=min_invoices,
            currency=currency,
            new_customer_segment=new_customer_segment,
            payer_classes=payer_classes,
            value_tiers=value_tiers,
            matrix=matrix,
        )

        return policy_in
