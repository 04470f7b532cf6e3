from enum import StrEnum


class LookupTermsResponse200Source(StrEnum):
    DEFAULT = "default"
    EXCEPTION = "exception"
    OVERRIDE = "override"
    SEGMENT = "segment"

    def __str__(self) -> str:
        return str(self.value)
