from enum import StrEnum


class RouteStatusOutStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"

    def __str__(self) -> str:
        return str(self.value)
