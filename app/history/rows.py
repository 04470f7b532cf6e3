"""One row of the history file, checked on its own: an invoice, or every reason it is not one.

What needs the whole file (repeated invoice ids) or the store (invoices already there) is the
importer's.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final, NamedTuple

from app.core.currencies import MINOR_UNITS, to_minor_units
from app.core.vocabulary import is_caller_id
from app.history.csvfile import Columns

MAX_AMOUNT: Final = 10**15  # minor units, the API's bound on an amount
PLAIN_DIGITS: Final = 18  # more whole digits than this go the slow way (and are too much)
SHOWN_CHARS: Final = 40
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YES_NO: Final = {"yes": True, "true": True, "no": False, "false": False, "": False}
_ID_RULE = "1 to 128 characters from A-Z a-z 0-9 . _ : @ -"
# The API's rule for a sales owner (app/invoices/schemas.py, SalesOwner).
_SALES_OWNER = re.compile(r"[^\x00-\x1f\x7f]{1,128}")


class HistoryRow(NamedTuple):
    """One invoice of the file, checked; amounts in minor units."""

    line: int
    customer_id: str
    invoice_id: str
    currency: str
    amount: int
    issued_on: date
    due_on: date
    paid_on: date | None
    gross_margin: int | None
    sales_owner: str | None = None
    disputed: bool = False


def parse(
    line: int, fields: list[str], columns: Columns, latest_paid_on: date
) -> HistoryRow | list[str]:
    """The row as an invoice, or every reason it is not one."""
    if len(fields) != columns.width:
        added = len(columns.added)  # the values --set gives are not the file's
        return [f"has {len(fields) - added} fields where the header has {columns.width - added}"]
    reasons: list[str] = []
    customer_id = _caller_id("customer_id", fields[columns.customer_id].strip(), reasons)
    invoice_id = _caller_id("invoice_id", fields[columns.invoice_id].strip(), reasons)
    currency = fields[columns.currency].strip()
    amount = margin = None
    if currency not in MINOR_UNITS:
        reasons.append(f"currency {_shown(currency)} is not an ISO 4217 code")
    else:
        amount = _amount("amount", fields[columns.amount].strip(), currency, reasons)
        if columns.gross_margin is not None:
            margin = _margin(fields[columns.gross_margin].strip(), currency, reasons)
    form = columns.date_format
    issued_on = _date("issued_on", fields[columns.issued_on].strip(), reasons, form)
    due_on = _date("due_on", fields[columns.due_on].strip(), reasons, form)
    paid_text = fields[columns.paid_on].strip()
    paid_on = _date("paid_on", paid_text, reasons, form) if paid_text else None
    owner = None
    if columns.sales_owner is not None:
        owner = _sales_owner(fields[columns.sales_owner].strip(), reasons)
    disputed = False
    if columns.disputed is not None:
        disputed = _disputed(fields[columns.disputed].strip(), reasons)
    if issued_on is not None:
        if due_on is not None and due_on < issued_on:
            reasons.append(f"due_on {due_on} is before issued_on {issued_on}")
        if paid_on is not None and paid_on < issued_on:
            reasons.append(f"paid_on {paid_on} is before issued_on {issued_on}")
    if paid_on is not None and paid_on > latest_paid_on:
        reasons.append(f"paid_on {paid_on} is in the future")
    if amount is not None and margin is not None and margin > amount:
        reasons.append("gross_margin is larger than amount")
    if reasons or amount is None or issued_on is None or due_on is None:
        return reasons  # never empty here: a None above came with its reason
    return HistoryRow(line, customer_id, invoice_id, currency, amount, issued_on, due_on,
                      paid_on, margin, owner, disputed)  # fmt: skip


def _caller_id(column: str, value: str, reasons: list[str]) -> str:
    if not value:
        reasons.append(f"{column} is missing")
    elif not is_caller_id(value):
        reasons.append(f"{column} {_shown(value)} is not {_ID_RULE}")
    return value


def _amount(column: str, value: str, currency: str, reasons: list[str]) -> int | None:
    if not value:
        reasons.append(f"{column} is missing")
        return None
    try:
        amount = _plain_minor_units(value, MINOR_UNITS[currency])
        if amount is None:
            amount = to_minor_units(value, currency)
    except ValueError as error:
        reasons.append(f"{column}: {error}")
        return None
    if amount > MAX_AMOUNT:
        reasons.append(f"{column} is over {MAX_AMOUNT:,} minor units")
        return None
    return amount


def _plain_minor_units(value: str, exponent: int) -> int | None:
    """The common case, exactly and four times faster than to_minor_units: digits, and at
    most `exponent` of them after a point. None for anything else, which to_minor_units then
    converts or explains (trailing zeros past the exponent, signs, stray characters)."""
    whole, point, fraction = value.partition(".")
    if len(whole) > PLAIN_DIGITS or not (whole.isascii() and whole.isdigit()):
        return None
    scale: int = 10**exponent
    if not point:
        return int(whole) * scale
    if not (fraction.isascii() and fraction.isdigit()) or len(fraction) > exponent:
        return None
    return int(whole) * scale + int(fraction.ljust(exponent, "0"))


def _margin(value: str, currency: str, reasons: list[str]) -> int | None:
    """A gross margin may be empty (not known) or negative (sold below cost)."""
    if not value:
        return None
    if value.startswith("-"):
        margin = _amount("gross_margin", value[1:], currency, reasons)
        return None if margin is None else -margin
    return _amount("gross_margin", value, currency, reasons)


def _sales_owner(value: str, reasons: list[str]) -> str | None:
    """Empty is no owner; else 1 to 128 characters, none of them a control character."""
    if value and not _SALES_OWNER.fullmatch(value):
        reasons.append(f"sales_owner {_shown(value)} is not 1 to 128 characters without control "
                       "characters")  # fmt: skip
    return value or None


def _disputed(value: str, reasons: list[str]) -> bool:
    """yes/true or no/false (any case); empty is not disputed."""
    answer = _YES_NO.get(value.lower())
    if answer is None:
        reasons.append(f"disputed {_shown(value)} is not yes, no, true, false or empty")
        return False
    return answer


def _date(column: str, value: str, reasons: list[str], form: str | None) -> date | None:
    """YYYY-MM-DD the fast way, or as --date-format `form` says."""
    if form is not None:
        return _formatted_date(column, value, reasons, form)
    if _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    if value:
        reasons.append(f"{column} {_shown(value)} is not a date YYYY-MM-DD")
    else:
        reasons.append(f"{column} is missing")
    return None


def _formatted_date(column: str, value: str, reasons: list[str], form: str) -> date | None:
    try:
        return datetime.strptime(value, form).date()
    except ValueError:
        pass
    if value:
        reasons.append(f"{column} {_shown(value)} is not a date {form}")
    else:
        reasons.append(f"{column} is missing")
    return None


def _shown(value: str) -> str:
    """A value quoted for a message, cut short and with control characters escaped."""
    return repr(value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "...")
