from enum import StrEnum


class InvoiceOutStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"

    def __str__(self) -> str:
        return str(self.value)
