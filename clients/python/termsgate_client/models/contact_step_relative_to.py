from enum import StrEnum


class ContactStepRelativeTo(StrEnum):
    DUE = "due"
    ISSUE = "issue"

    def __str__(self) -> str:
        return str(self.value)
