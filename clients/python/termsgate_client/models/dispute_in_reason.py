from enum import StrEnum


class DisputeInReason(StrEnum):
    NOT_RECEIVED = "not_received"
    OTHER = "other"
    PRICE = "price"
    QUALITY = "quality"
    QUANTITY = "quantity"
    WRONG_DELIVERY = "wrong_delivery"

    def __str__(self) -> str:
        return str(self.value)
