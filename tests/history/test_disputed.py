"""The optional `disputed` column: a disputed invoice gets a dispute opened at issue and, when
it was paid, resolved with the invoice standing; written once, however often it is loaded."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.core.models import AuditEvent, Dispute
from app.core.store import Store
from app.history.importer import BadHistoryFile, import_file
from app.history.reading import Reading
from tests.support import ibm
from tests.support.history_files import HEADER, counts, row, write_csv

ACTOR = "cli:tester"
WITH_DISPUTED = (*HEADER, "disputed")


COMPARED = ("customer_id", "touch_id", "reason", "amount", "currency", "status", "opened_at",
            "origin", "resolved_at", "resolved_by", "resolution", "credit_amount")  # fmt: skip


def disputes(store: Store) -> dict[str, dict[str, Any]]:
    with store.reading() as session:
        return {
            dispute.invoice_id: {column: getattr(dispute, column) for column in COMPARED}
            for dispute in session.scalars(select(Dispute))
        }


def disputed_file(path: Path, *extra: list[str]) -> Path:
    return write_csv(
        path,
        [
            [*row("inv-1", amount="100.00", paid_on="2025-02-03"), "Yes"],
            [*row("inv-2", customer_id="c-2", amount="55.94", paid_on=""), "TRUE"],
            [*row("inv-3"), "no"],
            [*row("inv-4"), "False"],
            [*row("inv-5"), ""],
            [*row("inv-6", amount="0"), "yes"],  # nothing to dispute
            *extra,
        ],
        WITH_DISPUTED,
    )


def test_disputed_invoices_get_disputes_resolved_when_paid(store: Store, tmp_path: Path) -> None:
    result = import_file(store, disputed_file(tmp_path / "history.csv"), ACTOR)

    assert result.summary().startswith(
        "history.csv: 6 invoices, 4 payments and 2 disputes added, 0 already present (import imp_"
    )
    assert result.disputes_added == 2
    stands = {"touch_id": None, "reason": "other", "currency": "USD", "origin": "history",
              "credit_amount": None, "opened_at": datetime(2025, 1, 1, tzinfo=UTC)}  # fmt: skip
    assert disputes(store) == {
        "inv-1": stands | {"customer_id": "c-1", "amount": 10_000, "status": "resolved",
                           "resolved_at": datetime(2025, 2, 3, tzinfo=UTC),
                           "resolved_by": "import", "resolution": "invoice_stands"},
        "inv-2": stands | {"customer_id": "c-2", "amount": 5_594, "status": "open",
                           "resolved_at": None, "resolved_by": None, "resolution": None},
    }  # fmt: skip
    with store.reading() as session:
        audited = session.scalars(
            select(AuditEvent.after).where(AuditEvent.action == "history.imported")
        ).one()
    assert audited is not None
    assert audited["disputes_added"] == 2


def test_loading_disputed_rows_again_adds_no_dispute(store: Store, tmp_path: Path) -> None:
    first = disputed_file(tmp_path / "history.csv")
    import_file(store, first, ACTOR)
    written = disputes(store)

    again = import_file(store, first, ACTOR)
    # The same rows from another file (not known by its hash), with one new disputed invoice.
    grown = disputed_file(tmp_path / "grown.csv", [*row("inv-7", paid_on=""), "yes"])
    more = import_file(store, grown, ACTOR)

    assert (again.invoices_added, again.disputes_added) == (0, 0)
    assert (more.invoices_added, more.already_present, more.disputes_added) == (1, 6, 1)
    after = disputes(store)
    assert set(after) == {"inv-1", "inv-2", "inv-7"}
    assert {key: after[key] for key in written} == written
    assert after["inv-7"]["status"] == "open"


@pytest.mark.parametrize("value", ["maybe", "1", "y", "disputed"])
def test_a_disputed_value_not_yes_or_no_is_a_bad_line(
    store: Store, tmp_path: Path, value: str
) -> None:
    path = write_csv(
        tmp_path / "history.csv",
        [[*row("inv-1"), "yes"], [*row("inv-2"), value]],
        WITH_DISPUTED,
    )
    before = counts(store)

    with pytest.raises(BadHistoryFile) as refused:
        import_file(store, path, ACTOR)

    assert [(bad.line, bad.reason) for bad in refused.value.bad_lines] == [
        (3, f"disputed {value!r} is not yes, no, true, false or empty")
    ]
    assert counts(store) == before
    assert disputes(store) == {}


def test_the_ibm_sample_mapped_has_a_dispute_per_disputed_row(store: Store) -> None:
    with ibm.SAMPLE.open(newline="") as raw:
        marked = [line["invoiceNumber"] for line in csv.DictReader(raw)
                  if line["Disputed"] == "Yes"]  # fmt: skip
    assert "disputed=Disputed" in ibm.COLUMNS

    result = import_file(store, ibm.SAMPLE, ACTOR, reading=ibm.READING)

    stored = disputes(store)
    assert result.disputes_added == len(marked) == len(stored) > 500
    assert set(stored) == set(marked)
    # Every invoice of the sample was settled: every dispute stood.
    assert {(d["status"], d["resolution"]) for d in stored.values()} == {
        ("resolved", "invoice_stands")
    }


def test_disputed_is_read_under_another_name(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "history.csv", [[*row("inv-1", paid_on=""), "yes"]], (*HEADER, "Contested")
    )
    reading = Reading.from_flags(["disputed=Contested"])

    result = import_file(store, path, ACTOR, reading=reading)

    assert result.disputes_added == 1
    assert disputes(store)["inv-1"]["status"] == "open"
