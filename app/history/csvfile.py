"""The history file: its columns, one streaming read of it, and the check of one row.

A row is checked on its own here; what needs the whole file (repeated invoice ids) or the
store (invoices already there) is the importer's.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Final, NamedTuple

from app.currencies import MINOR_UNITS, to_minor_units
from app.vocabulary import is_caller_id

REQUIRED: Final = (
    "customer_id",
    "invoice_id",
    "currency",
    "amount",
    "issued_on",
    "due_on",
    "paid_on",
)
OPTIONAL: Final = ("gross_margin",)
MAX_AMOUNT: Final = 10**15  # minor units, the API's bound on an amount
PLAIN_DIGITS: Final = 18  # more whole digits than this go the slow way (and are too much)
READ_BUFFER: Final = 1 << 20
SHOWN_CHARS: Final = 40
BOM: Final = "\ufeff"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ID_RULE = "1 to 128 characters from A-Z a-z 0-9 . _ : @ -"


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


class Columns(NamedTuple):
    """Where each known column sits in a row, and how many fields a row has."""

    customer_id: int
    invoice_id: int
    currency: int
    amount: int
    issued_on: int
    due_on: int
    paid_on: int
    gross_margin: int | None
    width: int


class UnreadableFile(Exception):
    """The file cannot be read on from `line`: no header, missing columns, not UTF-8, not CSV."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def columns_of(header: list[str], line: int = 1) -> Columns:
    """The known columns' places; other columns are ignored, in any order."""
    names = [name.strip() for name in header]
    repeated = sorted({name for name in names if names.count(name) > 1} & {*REQUIRED, *OPTIONAL})
    if repeated:
        raise UnreadableFile(line, f"the header names {', '.join(repeated)} more than once")
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise UnreadableFile(line, f"the header lacks the column(s) {', '.join(missing)}")
    where = {name: index for index, name in enumerate(names)}
    return Columns(
        customer_id=where["customer_id"],
        invoice_id=where["invoice_id"],
        currency=where["currency"],
        amount=where["amount"],
        issued_on=where["issued_on"],
        due_on=where["due_on"],
        paid_on=where["paid_on"],
        gross_margin=where.get("gross_margin"),
        width=len(names),
    )


class HistoryFile:
    """One read of the file from start to end, as (line number, fields) after the header; it
    counts the bytes read (for a progress bar) and hashes them (to know the file again)."""

    def __init__(self, path: Path) -> None:
        self.size = path.stat().st_size
        self._tap = _Tap(path)
        self._bytes = io.BufferedReader(self._tap, buffer_size=READ_BUFFER)
        self._reader = csv.reader(self._lines(), strict=True)
        self.rows_read = 0
        try:
            header = self._header()
            self.columns = columns_of(header, self._reader.line_num)
        except BaseException:
            self.close()
            raise

    @property
    def bytes_read(self) -> int:
        return self._tap.count

    def sha256(self) -> str:
        """The hash of every byte read so far: of the whole file once `rows` is exhausted."""
        return self._tap.digest.hexdigest()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        while True:
            start = self._reader.line_num + 1
            fields = self._next_record()
            if fields is None:
                return
            if fields:  # blank lines carry nothing
                self.rows_read += 1
                yield start, fields

    def _header(self) -> list[str]:
        header = self._next_record()
        while header == []:
            header = self._next_record()
        if header is None:
            raise UnreadableFile(1, "the file is empty: it needs a header row")
        return header

    def _next_record(self) -> list[str] | None:
        line = self._reader.line_num + 1
        try:
            return next(self._reader, None)
        except csv.Error as error:
            raise UnreadableFile(
                line, f"is not valid CSV ({error}); stopped reading here"
            ) from None

    def _lines(self) -> Iterator[str]:
        """The lines decoded one by one, so a bad byte is reported on its own line."""
        for number, line in enumerate(self._bytes, start=1):
            try:
                text = line.decode()
            except UnicodeDecodeError:
                raise UnreadableFile(number, "is not UTF-8 text; stopped reading here") from None
            yield text.removeprefix(BOM) if number == 1 else text

    def close(self) -> None:
        self._bytes.close()

    def __enter__(self) -> HistoryFile:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()


class _Tap(io.RawIOBase):
    """The file's bytes on their way to the text decoder, counted and hashed."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb", buffering=0)
        self.count = 0
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        read = self._file.readinto(buffer) or 0
        self.count += read
        self.digest.update(memoryview(buffer)[:read])
        return read

    def close(self) -> None:
        self._file.close()
        super().close()


def parse(
    line: int, fields: list[str], columns: Columns, latest_paid_on: date
) -> HistoryRow | list[str]:
    """The row as an invoice, or every reason it is not one."""
    if len(fields) != columns.width:
        return [f"has {len(fields)} fields where the header has {columns.width}"]
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
    issued_on = _date("issued_on", fields[columns.issued_on].strip(), reasons)
    due_on = _date("due_on", fields[columns.due_on].strip(), reasons)
    paid_text = fields[columns.paid_on].strip()
    paid_on = _date("paid_on", paid_text, reasons) if paid_text else None
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
    return HistoryRow(
        line, customer_id, invoice_id, currency, amount, issued_on, due_on, paid_on, margin
    )


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


def _date(column: str, value: str, reasons: list[str]) -> date | None:
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


def _shown(value: str) -> str:
    """A value quoted for a message, cut short and with control characters escaped."""
    return repr(value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "...")
