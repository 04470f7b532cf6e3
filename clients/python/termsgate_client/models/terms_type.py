from enum import StrEnum


class TermsType(StrEnum):
    NET = "net"
    PAY_ON_ORDER = "pay_on_order"

    def __str__(self) -> str:
        return str(self.value)
