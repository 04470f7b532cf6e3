from enum import StrEnum


class ResolveInResolution(StrEnum):
    CREDIT_NOTE = "credit_note"
    INVOICE_STANDS = "invoice_stands"

    def __str__(self) -> str:
        return str(self.value)
