from enum import StrEnum


class ContactStepChannel(StrEnum):
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"
    PORTAL = "portal"

    def __str__(self) -> str:
        return str(self.value)
