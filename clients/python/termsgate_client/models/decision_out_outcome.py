from enum import StrEnum


class DecisionOutOutcome(StrEnum):
    NET_TERMS = "net_terms"
    PAY_ON_ORDER = "pay_on_order"

    def __str__(self) -> str:
        return str(self.value)
