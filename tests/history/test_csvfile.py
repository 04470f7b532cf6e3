"""Reading the history file and checking one row, with no store involved."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path

import pytest

from app.core.currencies import MINOR_UNITS, to_minor_units
from app.history.csvfile import HistoryFile, UnreadableFile, columns_of
from app.history.rows import PLAIN_DIGITS, HistoryRow, _plain_minor_units, parse
from tests.support.history_files import HEADER, row, write_csv

LATEST_PAID_ON = date(2025, 6, 1)
COLUMNS = columns_of(list(HEADER))


def check(fields: list[str]) -> HistoryRow | list[str]:
    return parse(7, fields, COLUMNS, LATEST_PAID_ON)


def test_a_good_row_becomes_an_invoice_in_minor_units() -> None:
    assert check(row()) == HistoryRow(
        line=7,
        customer_id="c-1",
        invoice_id="inv-1",
        currency="USD",
        amount=10_000,
        issued_on=date(2025, 1, 1),
        due_on=date(2025, 1, 31),
        paid_on=date(2025, 2, 3),
        gross_margin=None,
    )


def test_an_empty_paid_on_is_unpaid_and_spaces_around_values_do_not_count() -> None:
    parsed = check([" c-1 ", "inv-1", "USD ", " 5.5", "2025-01-01", "2025-01-01 ", "  "])
    assert isinstance(parsed, HistoryRow)
    assert (parsed.customer_id, parsed.amount, parsed.paid_on) == ("c-1", 550, None)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"customer_id": ""}, "customer_id is missing"),
        ({"customer_id": "c 1"}, "customer_id 'c 1' is not 1 to 128 characters"),
        ({"invoice_id": "x" * 129}, "invoice_id 'xxxxxxxx"),
        ({"invoice_id": "inv/1"}, "invoice_id 'inv/1' is not 1 to 128 characters"),
        ({"currency": "usd"}, "currency 'usd' is not an ISO 4217 code"),
        ({"currency": "XXX"}, "currency 'XXX' is not an ISO 4217 code"),
        ({"amount": ""}, "amount is missing"),
        ({"amount": "-1.00"}, "expected a non-negative decimal number"),
        ({"amount": "1,000.00"}, "expected a non-negative decimal number"),
        ({"amount": "1e3"}, "expected a non-negative decimal number"),
        ({"amount": "NaN"}, "expected a non-negative decimal number"),
        ({"amount": "10.001"}, "USD allows at most 2 decimal places"),
        ({"amount": "55.94", "currency": "JPY"}, "JPY allows no decimal places"),
        ({"amount": "10000000000000.01"}, "amount is over 1,000,000,000,000,000 minor units"),
        ({"issued_on": "1/2/2025"}, "issued_on '1/2/2025' is not a date YYYY-MM-DD"),
        ({"issued_on": "20250101"}, "issued_on '20250101' is not a date YYYY-MM-DD"),
        ({"due_on": "2025-02-30"}, "due_on '2025-02-30' is not a date YYYY-MM-DD"),
        ({"due_on": ""}, "due_on is missing"),
        ({"due_on": "2024-12-31"}, "due_on 2024-12-31 is before issued_on 2025-01-01"),
        ({"paid_on": "2024-12-31"}, "paid_on 2024-12-31 is before issued_on 2025-01-01"),
        ({"paid_on": "2025-06-02"}, "paid_on 2025-06-02 is in the future"),
        ({"paid_on": "2025-6-2"}, "paid_on '2025-6-2' is not a date YYYY-MM-DD"),
    ],
)
def test_a_bad_value_is_refused_with_its_reason(change: dict[str, str], reason: str) -> None:
    reasons = check(row(**change))
    assert isinstance(reasons, list)
    assert len(reasons) == 1
    assert reason in reasons[0]


def test_every_reason_of_a_row_is_given() -> None:
    reasons = check(["", "inv 1", "USD", "1.234", "2025-01-01", "2024-01-01", "soon"])
    assert isinstance(reasons, list)
    assert [reason.split(" ")[0] for reason in reasons] == [
        "customer_id", "invoice_id", "amount:", "paid_on", "due_on",
    ]  # fmt: skip


def test_a_row_with_another_number_of_fields_than_the_header_is_refused() -> None:
    assert check([*row(), "extra"]) == ["has 8 fields where the header has 7"]
    assert check(row()[:6]) == ["has 6 fields where the header has 7"]


def test_gross_margin_is_optional_may_be_negative_but_not_above_the_amount() -> None:
    columns = columns_of([*HEADER, "gross_margin"])

    def margin(value: str) -> int | list[str] | None:
        parsed = parse(2, [*row(amount="100.00"), value], columns, LATEST_PAID_ON)
        return parsed if isinstance(parsed, list) else parsed.gross_margin

    assert margin("") is None
    assert margin("25.50") == 2_550
    assert margin("-3.00") == -300
    assert margin("100.00") == 10_000
    assert margin("100.01") == ["gross_margin is larger than amount"]
    assert margin("1.001") == [
        "gross_margin: invalid USD amount '1.001': USD allows at most 2 decimal places"
    ]


def test_currencies_convert_by_their_own_exponent() -> None:
    def amount(value: str, currency: str) -> int | list[str]:
        parsed = check(row(amount=value, currency=currency))
        return parsed if isinstance(parsed, list) else parsed.amount

    assert amount("5594", "JPY") == 5594
    assert amount("5594.00", "JPY") == 5594  # zeros past the exponent change nothing
    assert isinstance(amount("55.94", "JPY"), list)
    assert amount("1.234", "KWD") == 1234
    assert amount("1.2345", "CLF") == 12345
    assert amount("0", "USD") == 0


def test_the_fast_conversion_takes_every_plain_amount_and_agrees_with_to_minor_units() -> None:
    chooser = random.Random(3)
    samples = ["0", "00.10", "1.", ".5", "1.5", "12.345", "7.00", "+1", "1 ", "١٢", "99.999"]
    samples += [f"{chooser.randrange(10**9)}.{chooser.randrange(10**4)}" for _ in range(300)]
    samples += [f"{chooser.randrange(10**9)}.{chooser.randrange(10**2):02}" for _ in range(100)]
    samples += [f"{chooser.randrange(10**6)}.{chooser.randrange(10)}" for _ in range(100)]
    samples += [str(chooser.randrange(10**12)) for _ in range(100)]
    samples += ["9" * PLAIN_DIGITS, "9" * (PLAIN_DIGITS + 1)]
    for currency in ("USD", "JPY", "KWD", "CLF"):
        exponent = MINOR_UNITS[currency]
        # Plain: ASCII digits (not too many), then at most `exponent` of them after a point.
        fraction = rf"(\.[0-9]{{1,{exponent}}})?" if exponent else ""
        plain = re.compile(rf"[0-9]{{1,{PLAIN_DIGITS}}}{fraction}")
        taken = 0
        for sample in samples:
            fast = _plain_minor_units(sample, exponent)
            if plain.fullmatch(sample) is None:
                assert fast is None, (sample, currency)  # declined: to_minor_units decides
                continue
            taken += 1
            assert fast is not None, (sample, currency)
            assert fast == to_minor_units(sample, currency), (sample, currency)
        assert taken >= 100, currency


def test_columns_are_found_by_name_in_any_order_and_others_are_ignored() -> None:
    columns = columns_of(["note", "paid_on", " amount ", "due_on", "issued_on", "currency",
                          "invoice_id", "customer_id", "gross_margin"])  # fmt: skip
    assert (columns.amount, columns.customer_id, columns.gross_margin, columns.width) == (
        2,
        7,
        8,
        9,
    )
    assert columns_of(list(HEADER)).gross_margin is None


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (["customer_id", "invoice_id"], "the header lacks the column(s) currency, amount"),
        ([*HEADER, "amount"], "the header names amount more than once"),
    ],
)
def test_a_header_without_the_columns_is_refused(header: list[str], reason: str) -> None:
    with pytest.raises(UnreadableFile) as refused:
        columns_of(header, line=3)
    assert refused.value.line == 3
    assert reason in refused.value.reason


def test_rows_come_with_the_line_they_start_on(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + ",".join(HEADER).encode() + b",note\r\n"
        b'c-1,inv-1,USD,1,2025-01-01,2025-01-01,,"two\r\nlines"\r\n'
        b"\r\n"
        b"c-1,inv-2,USD,1,2025-01-01,2025-01-01,,x\r\n"
    )
    with HistoryFile(path) as history:
        assert history.columns.customer_id == 0  # the byte order mark is no part of the name
        assert [(line, fields[1]) for line, fields in history.rows()] == [
            (2, "inv-1"),
            (5, "inv-2"),
        ]
        assert history.rows_read == 2
        assert history.bytes_read == history.size == path.stat().st_size


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b"", 1, "the file is empty"),
        (b"\n\n", 1, "the file is empty"),
        (",".join(HEADER).encode() + b"\nc-1,inv-\xff,USD\n", 2, "is not UTF-8 text"),
        (",".join(HEADER).encode() + b'\nc-1,"inv-1\n', 2, "is not valid CSV"),
    ],
)
def test_a_file_that_cannot_be_read_on_says_where(
    tmp_path: Path, content: bytes, line: int, reason: str
) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as refused, HistoryFile(path) as history:
        list(history.rows())
    assert (refused.value.line, reason in refused.value.reason) == (line, True)


def test_write_csv_writes_what_the_file_reader_reads(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "history.csv", [row("inv-1"), row("inv-2")])
    with HistoryFile(path) as history:
        assert [fields for _, fields in history.rows()] == [row("inv-1"), row("inv-2")]
