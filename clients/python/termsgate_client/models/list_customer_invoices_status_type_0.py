from enum import StrEnum


class ListCustomerInvoicesStatusType0(StrEnum):
    OPEN = "open"
    PAID = "paid"

    def __str__(self) -> str:
        return str(self.value)
