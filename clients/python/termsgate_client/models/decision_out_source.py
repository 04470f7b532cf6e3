from enum import StrEnum


class DecisionOutSource(StrEnum):
    DEFAULT = "default"
    EXCEPTION = "exception"
    OVERRIDE = "override"
    SEGMENT = "segment"

    def __str__(self) -> str:
        return str(self.value)
