from enum import StrEnum


class TouchInChannel(StrEnum):
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"
    PORTAL = "portal"

    def __str__(self) -> str:
        return str(self.value)
