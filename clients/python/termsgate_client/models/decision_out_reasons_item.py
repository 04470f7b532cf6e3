from enum import StrEnum


class DecisionOutReasonsItem(StrEnum):
    CREDIT_LIMIT_EXCEEDED = "credit_limit_exceeded"
    EXCEPTION_APPLIED = "exception_applied"
    NEW_CUSTOMER = "new_customer"
    REQUESTED_TERMS_EXCEED_ALLOWED = "requested_terms_exceed_allowed"
    SEGMENT_PAY_ON_ORDER = "segment_pay_on_order"
    STORE_UNAVAILABLE = "store_unavailable"

    def __str__(self) -> str:
        return str(self.value)
