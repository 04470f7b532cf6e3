from enum import StrEnum


class ListTasksStatusType0(StrEnum):
    CANCELLED = "cancelled"
    DONE = "done"
    HELD = "held"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
