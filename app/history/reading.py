"""How to read a file whose columns are not termsgate's own: `--column`, `--set`, `--date-format`.

A reading is checked twice: on its own when it is made (names, repeats, the date format), and
against the file's header when the file is opened (`columns_of`), before any row is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from app.core.errors import Invalid

REQUIRED: Final = (
    "customer_id",
    "invoice_id",
    "currency",
    "amount",
    "issued_on",
    "due_on",
    "paid_on",
)
OPTIONAL: Final = ("gross_margin", "sales_owner", "disputed")
KNOWN: Final = (*REQUIRED, *OPTIONAL)
# Every part differs from the others, so a format that loses or mixes one up cannot round-trip.
PROBE_DATE: Final = date(2013, 11, 27)


class BadReading(Invalid):
    """A --column, --set or --date-format that cannot be followed; the message names the flag."""


@dataclass(frozen=True)
class Reading:
    """Which of the file's columns holds each termsgate column, the values of those it lacks,
    and the strptime format of its dates (None: YYYY-MM-DD)."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None

    @classmethod
    def from_flags(
        cls, columns: Sequence[str] = (), values: Sequence[str] = (), date_format: str | None = None
    ) -> Reading:
        """The reading the command line asks for, or BadReading naming the first faulty flag."""
        mapped = _pairs("--column", "SOURCE", columns)
        given = _pairs("--set", "VALUE", values)
        for name in mapped.keys() & given.keys():
            raise BadReading(
                f"--column {name}={mapped[name]} and --set {name}={given[name]}: "
                f"{name} is either read from a column or set, not both"
            )
        if date_format is not None:
            _check_format(date_format)
        return cls(mapped, given, date_format)

    @property
    def plain(self) -> bool:
        """True when the file is read as it is: termsgate's columns, YYYY-MM-DD dates."""
        return self.key() is None

    def source(self, name: str) -> str:
        """The file's column that holds `name`."""
        return self.columns.get(name, name)

    def key(self) -> str | None:
        """The reading as one canonical text, part of what makes two imports the same; None
        for the plain reading (so plain imports are known by the file's hash alone)."""
        parts = [f"--column {name}={source}" for name, source in sorted(self.columns.items())
                 if name != source]  # fmt: skip
        parts += [f"--set {name}={value}" for name, value in sorted(self.values.items())]
        if self.date_format is not None:
            parts.append(f"--date-format {self.date_format}")
        return " ".join(parts) or None


def _pairs(flag: str, what: str, pairs: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        name = name.strip()
        if not equals or not name:
            raise BadReading(f"{flag} {pair}: write it NAME={what}")
        if name not in KNOWN:
            raise BadReading(f"{flag} {pair}: {name} is not a column termsgate reads "
                             f"(it reads {', '.join(KNOWN)})")  # fmt: skip
        if name in found:
            raise BadReading(f"{flag} {pair}: {name} is given twice")
        if what == "SOURCE" and not value.strip():
            raise BadReading(f"{flag} {pair}: name the file's column after the =")
        found[name] = value.strip()
    return found


def _check_format(date_format: str) -> None:
    """A format must read back the very date it writes, so it has the year, month and day."""
    try:
        written = PROBE_DATE.strftime(date_format)
        read = datetime.strptime(written, date_format).date()
    except ValueError as error:
        raise BadReading(f"--date-format {date_format}: {error}") from None
    if read != PROBE_DATE:
        raise BadReading(
            f"--date-format {date_format}: not a date format with a year, month and day "
            f"({PROBE_DATE} would read as {read})"
        )
