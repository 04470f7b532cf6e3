from enum import StrEnum


class TouchInKind(StrEnum):
    ESCALATION = "escalation"
    REMINDER = "reminder"
    SERVICE_CHECK = "service_check"
    STATEMENT = "statement"

    def __str__(self) -> str:
        return str(self.value)
