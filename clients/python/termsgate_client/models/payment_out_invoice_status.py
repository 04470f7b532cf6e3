from enum import StrEnum


class PaymentOutInvoiceStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"

    def __str__(self) -> str:
        return str(self.value)
