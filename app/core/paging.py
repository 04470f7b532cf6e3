"""Cursors for every list: a page is up to `limit` rows by key, and the cursor names the last."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import TypeVar

from app.core.errors import Invalid

T = TypeVar("T")


def encode_cursor(last_key: str) -> str:
    return base64.urlsafe_b64encode(last_key.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
        if not key.isprintable():  # none this service hands out; PostgreSQL refuses NUL
            raise ValueError(key)
        return key
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Invalid(
            "cursor is not one this service handed out.",
            errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor"}],
        ) from None


def decode_id_cursor(cursor: str | None) -> int | None:
    """A cursor that carries a row's integer id, or None for the first page."""
    decoded = decode_cursor(cursor)
    if decoded is None:
        return None
    if not decoded.isdigit():
        raise Invalid(
            "cursor is not one this service handed out.",
            errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor"}],
        )
    return int(decoded)


def encode_moment_cursor(at: datetime, row_id: str) -> str:
    """A cursor for lists ordered by a timestamp, then an id."""
    return encode_cursor(f"{at.isoformat()}|{row_id}")


def decode_moment_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    """(timestamp in UTC, id) from `encode_moment_cursor`, or None for the first page."""
    decoded = decode_cursor(cursor)
    if decoded is None:
        return None
    stamp, _, row_id = decoded.partition("|")
    try:
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None or not row_id:
            raise ValueError(decoded)
        return moment.astimezone(UTC), row_id
    except (ValueError, OverflowError):
        raise Invalid(
            "cursor is not one this service handed out.",
            errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor"}],
        ) from None


def page_of(items: list[T], limit: int, key_of: str) -> tuple[list[T], str | None]:
    """Given up to limit+1 rows ordered by key, the page and the cursor after it."""
    if len(items) <= limit:
        return items, None
    page = items[:limit]
    return page, encode_cursor(str(getattr(page[-1], key_of)))
