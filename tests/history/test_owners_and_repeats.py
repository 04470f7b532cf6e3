"""import_file on a real store: sales owners kept, ids repeated by bad rows, and how a reading
of the file counts in knowing an import again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.models import AuditEvent, HistoryImport, Invoice
from app.core.store import Store
from app.history.importer import BadHistoryFile, BadLine, BadReading, Reading, import_file
from tests.support.history_files import HEADER, counts, row, write_csv
from tests.support.keys import KeyMaker

ACTOR = "cli:tester"
THEIRS = ("Client", "Invoice No", "Total", "Invoiced", "Due", "Settled")
THEIR_READING = Reading.from_flags(
    ["customer_id=Client", "invoice_id=Invoice No", "amount=Total", "issued_on=Invoiced",
     "due_on=Due", "paid_on=Settled"],
    ["currency=USD"],
    "%m/%d/%Y",
)  # fmt: skip


def bad_lines(store: Store, path: Path) -> list[BadLine]:
    with pytest.raises(BadHistoryFile) as refused:
        import_file(store, path, ACTOR)
    assert refused.value.count == len(refused.value.bad_lines)
    return refused.value.bad_lines


def test_sales_owners_are_stored_and_counted_by_the_owner_kpi(
    client: TestClient, store: Store, make_key: KeyMaker, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "history.csv",
        [[*row("inv-1"), "ana", "No"], [*row("inv-2", paid_on=""), "ana", "Yes"],
         [*row("inv-3"), "", "No"]],
        header=[*HEADER, "sales_owner", "disputed"],
    )  # fmt: skip

    import_file(store, path, ACTOR)

    with store.reading() as session:
        owners = {str(found[0]): found[1] for found in session.execute(
            select(Invoice.invoice_id, Invoice.sales_owner))}  # fmt: skip
    assert owners == {"inv-1": "ana", "inv-2": "ana", "inv-3": None}
    answer = client.get(
        "/v1/kpis/collections-by-owner",
        params={"from": "2025-01-01", "to": "2025-01-31", "currency": "USD"},
        headers=make_key("reports:read"),
    )
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    assert [(item["owner"], item["invoices"], item["invoiced"]["amount"]) for item in items] == [
        ("ana", 2, 20_000)
    ]


def test_an_owner_the_store_holds_otherwise_is_a_bad_line(store: Store, tmp_path: Path) -> None:
    header = [*HEADER, "sales_owner"]
    first = write_csv(tmp_path / "first.csv", [[*row("inv-1"), "ana"]], header=header)
    import_file(store, first, ACTOR)
    again = write_csv(
        tmp_path / "again.csv", [[*row("inv-1"), ""], [*row("inv-2"), "bo"]], header=header
    )
    assert import_file(store, again, ACTOR).already_present == 1  # no owner says nothing
    other = write_csv(tmp_path / "other.csv", [[*row("inv-1"), "bo"]], header=header)
    assert bad_lines(store, other) == [
        BadLine(2, "invoice 'inv-1' is in the store with another sales_owner")
    ]


def test_a_row_repeating_a_bad_rows_id_is_a_repeat(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "history.csv",
        [row("inv-1", amount="1.999"), row("inv-1"), row("inv-2", due_on="2024-01-01"),
         row("inv-2", amount="x"), row("inv-3"), row("")],
    )  # fmt: skip
    before = counts(store)

    assert bad_lines(store, path) == [
        BadLine(2, "amount: invalid USD amount '1.999': USD allows at most 2 decimal places"),
        BadLine(3, "invoice_id 'inv-1' is also on line 2"),
        BadLine(4, "due_on 2024-01-01 is before issued_on 2025-01-01"),
        BadLine(5, "amount: invalid USD amount 'x': expected a non-negative decimal number "
                   'like "1234.56" (no sign, exponent, separators or spaces); '
                   "invoice_id 'inv-2' is also on line 4"),
        BadLine(7, "invoice_id is missing"),
    ]  # fmt: skip
    assert counts(store) == before


def test_the_same_file_read_the_same_way_is_known_again(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "theirs.csv",
        [["k-1", "F-1", "12.50", "2/3/2025", "3/5/2025", "3/1/2025"]],
        header=THEIRS,
    )
    first = import_file(store, path, ACTOR, reading=THEIR_READING)
    after_first = counts(store)

    again = import_file(store, path, ACTOR, reading=THEIR_READING)

    assert again.earlier_import_id == first.import_id
    assert counts(store) == after_first
    with store.reading() as session:
        reading = session.scalars(select(HistoryImport.reading)).one()
        after = session.scalars(select(AuditEvent.after).order_by(AuditEvent.id.desc())).first()
    assert reading == THEIR_READING.key()
    assert after is not None
    assert after["reading"] == THEIR_READING.key()


def test_the_same_file_read_another_way_is_read_again(store: Store, tmp_path: Path) -> None:
    """Known by its bytes alone, a file read as EUR after USD would say "imported before"; read
    again, it says how the store disagrees."""
    path = write_csv(
        tmp_path / "theirs.csv",
        [["k-1", "F-1", "12.50", "2/3/2025", "3/5/2025", "3/1/2025"]],
        header=THEIRS,
    )
    import_file(store, path, ACTOR, reading=THEIR_READING)
    in_euros = Reading(THEIR_READING.columns, {"currency": "EUR"}, THEIR_READING.date_format)

    with pytest.raises(BadHistoryFile) as refused:
        import_file(store, path, ACTOR, reading=in_euros)

    assert refused.value.bad_lines == [
        BadLine(2, "invoice 'F-1' is in the store with another currency")
    ]


def test_a_reading_the_header_does_not_fit_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "history.csv", [row("inv-1")])
    before = counts(store)
    with pytest.raises(BadReading, match="--column amount=Total: the file's header has no"):
        import_file(store, path, ACTOR, reading=Reading.from_flags(["amount=Total"]))
    assert counts(store) == before
