"""Reading a file by its own header (--column, --set, --date-format), with no store involved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.history.csvfile import HistoryFile, UnreadableFile, columns_of
from app.history.reading import BadReading, Reading
from app.history.rows import HistoryRow, parse
from tests.support.history_files import HEADER, row, write_csv

LATEST_PAID_ON = date(2025, 6, 1)
THEIRS = ["Client", "Invoice No", "Total", "Invoiced", "Due", "Settled", "Disputed"]
THEIR_READING = Reading.from_flags(
    ["customer_id=Client", "invoice_id=Invoice No", "amount=Total", "issued_on=Invoiced",
     "due_on=Due", "paid_on=Settled"],
    ["currency=EUR"],
    "%d.%m.%Y",
)  # fmt: skip


@pytest.mark.parametrize(
    ("columns", "values", "date_format", "message"),
    [
        (["customer=Client"], [], None, "--column customer=Client: customer is not a column "
                                        "termsgate reads (it reads customer_id, invoice_id"),
        ([], ["currency"], None, "--set currency: write it NAME=VALUE"),
        (["=Client"], [], None, "--column =Client: write it NAME=SOURCE"),
        (["amount="], [], None, "--column amount=: name the file's column after the ="),
        (["amount=Total", "amount=Net"], [], None, "--column amount=Net: amount is given twice"),
        (["currency=Cur"], ["currency=USD"], None,
         "--column currency=Cur and --set currency=USD: currency is either read from a column "
         "or set, not both"),
        ([], [], "%m/%d", "--date-format %m/%d: not a date format with a year, month and day "
                          "(2013-11-27 would read as 1900-11-27)"),
        ([], [], "%Q", "--date-format %Q: 'Q' is a bad directive in format '%Q'"),
        ([], [], "%Y-%m", "--date-format %Y-%m: not a date format with a year, month and day"),
    ],
)  # fmt: skip
def test_a_reading_that_cannot_be_followed_names_its_flag(
    columns: list[str], values: list[str], date_format: str | None, message: str
) -> None:
    with pytest.raises(BadReading) as refused:
        Reading.from_flags(columns, values, date_format)
    assert refused.value.detail.startswith(message)
    assert refused.value.status == 422  # an Invalid, from Python


def test_a_source_the_header_lacks_names_its_flag() -> None:
    reading = Reading.from_flags(["invoice_id=Invoice Number"])
    with pytest.raises(BadReading) as refused:
        columns_of([*HEADER], reading=reading)
    assert refused.value.detail.startswith(
        "--column invoice_id=Invoice Number: the file's header has no column 'Invoice Number' "
        "(it has 'customer_id', 'invoice_id',"
    )


def test_a_column_neither_mapped_nor_in_the_header_is_still_the_files_fault() -> None:
    reading = Reading.from_flags(["customer_id=Client"])
    with pytest.raises(UnreadableFile) as refused:
        columns_of(THEIRS, reading=reading)
    assert refused.value.reason == (
        "the header lacks the column(s) invoice_id, currency, amount, issued_on, due_on, paid_on"
    )


def test_a_file_is_read_by_its_own_header_with_values_it_lacks_and_its_dates(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "theirs.csv",
        [["k-1", "F-1", "12.50", "03.02.2025", "05.03.2025", "01.03.2025", "Yes"],
         ["k-2", "F-2", "7", "03.02.2025", "03.02.2025", "", "No"]],
        header=THEIRS,
    )  # fmt: skip
    with HistoryFile(path, THEIR_READING) as history:
        parsed = [parse(line, fields, history.columns, LATEST_PAID_ON)
                  for line, fields in history.rows()]  # fmt: skip
    assert parsed == [
        HistoryRow(2, "k-1", "F-1", "EUR", 1_250, date(2025, 2, 3), date(2025, 3, 5),
                   date(2025, 3, 1), None),
        HistoryRow(3, "k-2", "F-2", "EUR", 700, date(2025, 2, 3), date(2025, 2, 3), None, None),
    ]  # fmt: skip


def test_dates_not_in_the_format_are_refused_in_its_words() -> None:
    columns = columns_of(THEIRS, reading=THEIR_READING)
    fields = ["k-1", "F-1", "1", "2025-02-03", "", "31.02.2025", "No", "EUR"]
    assert parse(5, fields, columns, LATEST_PAID_ON) == [
        "issued_on '2025-02-03' is not a date %d.%m.%Y",
        "due_on is missing",
        "paid_on '31.02.2025' is not a date %d.%m.%Y",
    ]


def test_a_row_short_of_fields_is_told_in_the_files_own_counts() -> None:
    columns = columns_of(THEIRS, reading=THEIR_READING)
    fields = ["k-1", "F-1", "1", "EUR"]  # three of the file's fields, then the --set value
    assert parse(5, fields, columns, LATEST_PAID_ON) == ["has 3 fields where the header has 7"]


def test_sales_owner_is_read_and_other_columns_stay_ignored() -> None:
    columns = columns_of([*HEADER, "sales_owner", "disputed", "whatever"])
    owned = parse(2, [*row(), " ana ", "Yes", "x"], columns, LATEST_PAID_ON)
    nobody = parse(3, [*row(), "", "No", ""], columns, LATEST_PAID_ON)
    assert isinstance(owned, HistoryRow)
    assert isinstance(nobody, HistoryRow)
    assert (owned.sales_owner, nobody.sales_owner) == ("ana", None)
    assert parse(4, [*row(), "a\tb", "No", ""], columns, LATEST_PAID_ON) == [
        "sales_owner 'a\\tb' is not 1 to 128 characters without control characters"
    ]
    assert parse(5, [*row(), "o" * 129, "", ""], columns, LATEST_PAID_ON) == [
        f"sales_owner '{'o' * 40}...' is not 1 to 128 characters without control characters"
    ]


def test_set_gives_an_optional_column_too_and_wins_over_the_files() -> None:
    reading = Reading.from_flags([], ["sales_owner=team-eu", "currency=EUR"])
    columns = columns_of([*HEADER], reading=reading)
    parsed = parse(2, [*row(currency="USD"), "team-eu", "EUR"], columns, LATEST_PAID_ON)
    assert isinstance(parsed, HistoryRow)
    assert (parsed.sales_owner, parsed.currency) == ("team-eu", "EUR")


def test_the_readings_key_is_the_same_whatever_the_order_of_the_flags() -> None:
    one = Reading.from_flags(["invoice_id=No", "amount=Total"], ["currency=USD"], "%m/%d/%Y")
    other = Reading.from_flags(["amount=Total", "invoice_id=No"], ["currency=USD"], "%m/%d/%Y")
    key = "--column amount=Total --column invoice_id=No --set currency=USD --date-format %m/%d/%Y"
    assert one.key() == other.key() == key
    assert Reading().key() is None
    assert Reading.from_flags(["amount=amount"]).key() is None  # the plain reading, spelled out
