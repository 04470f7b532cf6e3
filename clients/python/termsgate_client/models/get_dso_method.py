from enum import StrEnum


class GetDsoMethod(StrEnum):
    COUNTBACK = "countback"
    STANDARD = "standard"

    def __str__(self) -> str:
        return str(self.value)
