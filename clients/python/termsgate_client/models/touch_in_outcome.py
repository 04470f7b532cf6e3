from enum import StrEnum


class TouchInOutcome(StrEnum):
    DISPUTE = "dispute"
    INVOICE_NOT_RECEIVED = "invoice_not_received"
    NO_ANSWER = "no_answer"
    NO_ISSUE = "no_issue"
    PAYMENT_SENT = "payment_sent"
    PROMISE_TO_PAY = "promise_to_pay"
    WRONG_CONTACT = "wrong_contact"

    def __str__(self) -> str:
        return str(self.value)
