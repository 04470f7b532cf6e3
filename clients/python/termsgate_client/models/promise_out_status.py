from enum import StrEnum


class PromiseOutStatus(StrEnum):
    BROKEN = "broken"
    KEPT = "kept"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
