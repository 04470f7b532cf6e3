from enum import StrEnum


class GetCollectionsByOwnerInterval(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"

    def __str__(self) -> str:
        return str(self.value)
