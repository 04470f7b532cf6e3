from enum import StrEnum


class StripeHintCollectionMethod(StrEnum):
    CHARGE_AUTOMATICALLY = "charge_automatically"
    SEND_INVOICE = "send_invoice"

    def __str__(self) -> str:
        return str(self.value)
