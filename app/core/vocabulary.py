"""The value types every domain shares: identifiers, keys, money and terms."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Final, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.core.currencies import is_currency

CUSTOMER_ID_PATTERN = r"^[A-Za-z0-9._:@-]{1,128}$"
KEY_PATTERN = r"^[a-z0-9_]{1,64}$"
# Text a caller filters or looks up by: no control characters (PostgreSQL refuses NUL in text).
PRINTABLE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
is_caller_id = re.compile(CUSTOMER_ID_PATTERN).fullmatch
is_key = re.compile(KEY_PATTERN).fullmatch

CallerId = Annotated[str, StringConstraints(pattern=CUSTOMER_ID_PATTERN)]
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
# Free text: printable, so it stores alike on every backend (PostgreSQL refuses NUL) and logs
# cleanly; a reason may span lines.
Reason = Annotated[
    str, StringConstraints(min_length=1, max_length=2000, pattern=r"^[^\x00-\x08\x0b-\x1f\x7f]+$")
]
Name = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")
]


def _known_currency(code: str) -> str:
    if not is_currency(code):
        raise ValueError(f"{code!r} is not an active ISO 4217 currency code")
    return code


Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_known_currency)]
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: object) -> object:
    """`YYYY-MM-DD` text to a date; other values are left for the date check to refuse."""
    if not isinstance(value, str):
        return value
    try:
        if ISO_DAY.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError("must be a date YYYY-MM-DD")


# A day as callers write it: lax pydantic would also read 0 or 86400 as a day of 1970. Bounds
# go before READ_DAY (`Annotated[date, Field(ge=...), READ_DAY]`), or they leak into the schema.
READ_DAY = BeforeValidator(_iso_day)
Day = Annotated[date, READ_DAY]


def _instant(value: object) -> object:
    """RFC 3339 text with its offset (`2026-12-03T09:30:00Z`) to an aware UTC datetime."""
    if not isinstance(value, str):
        raise ValueError("must be a date-time with its offset, e.g. 2026-12-03T09:30:00Z")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or not ISO_DAY.match(value) or parsed.tzinfo is None:
        raise ValueError("must be a date-time with its offset, e.g. 2026-12-03T09:30:00Z")
    if not date(1900, 1, 1) <= parsed.date() <= date(9999, 12, 30):
        raise ValueError("must be a date-time between 1900 and 9999")
    return parsed.astimezone(UTC)


# A moment as callers write it: RFC 3339 text with an offset, read as UTC.
Instant = Annotated[datetime, BeforeValidator(_instant)]

# A day dated tomorrow (UTC) is today somewhere; later than that has not happened yet. What has
# happened (a payment, an invoice's issue) is refused when dated later, by the API and by the
# history import alike.
HAPPENED_SLACK: Final = timedelta(days=1)


def latest_happened(today: date) -> date:
    """The last day a payment or an invoice's issue may be dated on `today` (UTC)."""
    return today + HAPPENED_SLACK


class Input(BaseModel):
    """Every request body: unknown fields are refused, so callers cannot set what they must not,
    and values must have the JSON type the schema gives them (strict): `true` is no amount of 1,
    `"5"` no number of days, `0` no day in 1970 (dates are `Day`s, read from their text)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Money(Input):
    """A sum: integer minor units and an ISO 4217 code."""

    amount: int = Field(ge=0, le=10**15)
    currency: Currency


class Terms(Input):
    """Payment terms: pay on order (0 days) or net N days."""

    type: Literal["pay_on_order", "net"]
    net_days: int = Field(ge=0, le=365)

    @model_validator(mode="after")
    def _days_match_type(self) -> Self:
        if self.type == "pay_on_order" and self.net_days != 0:
            raise ValueError("pay_on_order terms have net_days 0")
        if self.type == "net" and not 1 <= self.net_days <= 365:
            raise ValueError("net terms have 1 <= net_days <= 365")
        return self


def looser(a: tuple[int, Money | None], b: tuple[int, Money | None]) -> bool:
    """Whether (net_days, credit_limit) `a` gives the customer more than `b` does.

    More days is looser; at equal days, a higher credit limit (or none where `b` has one) is
    looser too, since it lets the customer owe more.
    """
    (a_days, a_limit), (b_days, b_limit) = a, b
    if a_days != b_days:
        return a_days > b_days
    if a_days == 0 or b_limit is None:
        return False
    if a_limit is None or a_limit.currency != b_limit.currency:
        return True
    return a_limit.amount > b_limit.amount
