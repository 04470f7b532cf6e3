"""The history file: its columns and one streaming read of it (app/history/rows.py checks
each row; app/history/reading.py says which of its columns is which)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Final, NamedTuple

from app.history.reading import OPTIONAL, REQUIRED, BadReading, Reading

__all__ = ["OPTIONAL", "REQUIRED", "Columns", "HistoryFile", "UnreadableFile", "columns_of"]

PLAIN: Final = Reading()
READ_BUFFER: Final = 1 << 20
BOM: Final = "\ufeff"


class Columns(NamedTuple):
    """Where each known column sits in a row, how many fields a row has (`added` of them the
    values --set gives, after the file's own), and how its dates are written."""

    customer_id: int
    invoice_id: int
    currency: int
    amount: int
    issued_on: int
    due_on: int
    paid_on: int
    gross_margin: int | None
    width: int
    sales_owner: int | None = None
    added: tuple[str, ...] = ()
    date_format: str | None = None
    disputed: int | None = None


class UnreadableFile(Exception):
    """The file cannot be read on from `line`: no header, missing columns, not UTF-8, not CSV."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def columns_of(header: list[str], line: int = 1, reading: Reading = PLAIN) -> Columns:
    """The known columns' places; other columns are ignored, in any order. A column `reading`
    maps that the header lacks is a BadReading; a termsgate column it lacks, an UnreadableFile."""
    names = [name.strip() for name in header]
    for name, source in reading.columns.items():
        if source not in names:
            raise BadReading(f"--column {name}={source}: the file's header has no column "
                             f"{source!r} (it has {', '.join(map(repr, names))})")  # fmt: skip
    read = [name for name in (*REQUIRED, *OPTIONAL) if name not in reading.values]
    sources = {reading.source(name) for name in read}
    repeated = sorted({name for name in names if names.count(name) > 1} & sources)
    if repeated:
        raise UnreadableFile(line, f"the header names {', '.join(repeated)} more than once")
    missing = [name for name in REQUIRED if name in read and reading.source(name) not in names]
    if missing:
        raise UnreadableFile(line, f"the header lacks the column(s) {', '.join(missing)}")
    where = {name: names.index(reading.source(name)) for name in read
             if reading.source(name) in names}  # fmt: skip
    where |= {name: len(names) + n for n, name in enumerate(reading.values)}
    return Columns(
        customer_id=where["customer_id"],
        invoice_id=where["invoice_id"],
        currency=where["currency"],
        amount=where["amount"],
        issued_on=where["issued_on"],
        due_on=where["due_on"],
        paid_on=where["paid_on"],
        gross_margin=where.get("gross_margin"),
        width=len(names) + len(reading.values),
        sales_owner=where.get("sales_owner"),
        added=tuple(reading.values.values()),
        date_format=reading.date_format,
        disputed=where.get("disputed"),
    )


class HistoryFile:
    """One read of the file from start to end, as (line number, fields) after the header; it
    counts the bytes read (for a progress bar) and hashes them (to know the file again)."""

    def __init__(self, path: Path, reading: Reading = PLAIN) -> None:
        self.size = path.stat().st_size
        self._tap = _Tap(path)
        self._bytes = io.BufferedReader(self._tap, buffer_size=READ_BUFFER)
        self._reader = csv.reader(self._lines(), strict=True)
        self.rows_read = 0
        try:
            header = self._header()
            self.columns = columns_of(header, self._reader.line_num, reading)
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
        """Each row's fields, then the values --set gives (Columns.added)."""
        added = list(self.columns.added)
        while True:
            start = self._reader.line_num + 1
            fields = self._next_record()
            if fields is None:
                return
            if fields:  # blank lines carry nothing
                self.rows_read += 1
                if added:
                    fields += added
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
