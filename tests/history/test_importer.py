"""import_file on a real store: what a good file writes, what a bad one does not, and reloads."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.errors import Invalid
from app.core.models import AuditEvent, HistoryImport
from app.core.store import Store
from app.history import fingerprints, importer
from app.history.importer import BadHistoryFile, BadLine, ImportResult, import_file
from app.terms.cache import TermsCache
from tests.support.history_files import HEADER, counts, invoices, payments, row, write_csv
from tests.support.invoices import invoice, payment, route
from tests.support.keys import KeyMaker
from tests.support.parts import cache_of

ACTOR = "cli:tester"


def load(store: Store, path: Path) -> ImportResult:
    return import_file(store, path, ACTOR)


def rejected(store: Store, path: Path) -> list[BadLine]:
    with pytest.raises(BadHistoryFile) as refused:
        load(store, path)
    assert refused.value.count == len(refused.value.bad_lines)
    return refused.value.bad_lines


def test_a_good_file_adds_its_invoices_and_payments(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "history.csv",
        [
            row("inv-1", amount="100.00", paid_on="2025-02-03"),
            row("inv-2", customer_id="c-2", amount="55.94", paid_on=""),
            row("inv-3", amount="7", issued_on="2025-03-01", due_on="2025-03-01",
                paid_on="2025-03-01"),
        ],
    )  # fmt: skip
    before = counts(store)

    result = load(store, path)

    after = counts(store)
    assert result.summary().startswith(
        "history.csv: 3 invoices and 2 payments added, 0 already present (import imp_"
    )
    assert (result.rows, result.invoices_added, result.payments_added) == (3, 3, 2)
    assert after == before | {"invoices": 3, "payments": 2, "history_imports": 1,
                              "audit_events": before["audit_events"] + 1,
                              "version": before["version"] + 1}  # fmt: skip
    imported = {"segment_key": None, "workflow_key": None, "route": None, "request_sha256": None,
                "policy_version": None, "routed_at": None, "order_id": None, "gross_margin": None,
                "origin": "imported", "changed_version": after["version"]}  # fmt: skip
    assert invoices(store) == {
        "inv-1": imported | {"customer_id": "c-1", "amount": 10_000, "currency": "USD",
                             "issued_on": date(2025, 1, 1), "due_on": date(2025, 1, 31),
                             "terms_type": "net", "net_days": 30, "paid_amount": 10_000},
        "inv-2": imported | {"customer_id": "c-2", "amount": 5_594, "currency": "USD",
                             "issued_on": date(2025, 1, 1), "due_on": date(2025, 1, 31),
                             "terms_type": "net", "net_days": 30, "paid_amount": 0},
        "inv-3": imported | {"customer_id": "c-1", "amount": 700, "currency": "USD",
                             "issued_on": date(2025, 3, 1), "due_on": date(2025, 3, 1),
                             "terms_type": "pay_on_order", "net_days": 0, "paid_amount": 700},
    }  # fmt: skip
    assert payments(store) == {
        "import:inv-1": {"invoice_id": "inv-1", "amount": 10_000, "currency": "USD",
                         "paid_on": date(2025, 2, 3), "origin": "import"},
        "import:inv-3": {"invoice_id": "inv-3", "amount": 700, "currency": "USD",
                         "paid_on": date(2025, 3, 1), "origin": "import"},
    }  # fmt: skip
    with store.reading() as session:
        record = session.scalars(select(HistoryImport)).one()
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None
        assert (record.id, record.file_name, record.rows, record.invoices_added) == (
            result.import_id, "history.csv", 3, 3)  # fmt: skip
        assert (record.payments_added, record.imported_by) == (2, ACTOR)
        assert (event.action, event.entity_type, event.entity_id, event.actor) == (
            "history.imported", "history_import", result.import_id, ACTOR)  # fmt: skip
        assert event.after == {"file_name": "history.csv", "file_sha256": result.file_sha256,
                               "rows": 3, "invoices_added": 3, "payments_added": 2,
                               "already_present": 0}  # fmt: skip


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_written(
    store: Store, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "history.csv",
        [
            row("inv-1"),
            row("inv-2", customer_id="c 2"),
            row("inv-3", amount="1.001"),
            row("inv-4", amount="12.5", currency="JPY"),
            row("inv-5", currency="EURO"),
            row("inv-6", amount="-5"),
            row("inv-7", due_on="2024-12-01"),
            row("inv-8", paid_on="2024-12-01"),
            row("inv-9", issued_on="01/01/2025"),
            row("inv-1", amount="100.00"),
            row("inv-10")[:5],
            row("inv-11", paid_on="2999-01-01"),
            row("inv-12"),
        ],
    )
    before = counts(store)

    bad_lines = rejected(store, path)

    assert [bad.line for bad in bad_lines] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert bad_lines[8] == BadLine(11, "invoice_id 'inv-1' is also on line 2")
    assert bad_lines[9] == BadLine(12, "has 5 fields where the header has 7")
    assert counts(store) == before


def test_more_bad_lines_than_are_shown_are_counted(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "history.csv", [row(f"inv {n}") for n in range(1, 1201)])
    with pytest.raises(BadHistoryFile) as refused:
        load(store, path)
    assert refused.value.count == 1200
    assert [bad.line for bad in refused.value.bad_lines] == list(range(2, 1002))
    assert refused.value.detail == "history.csv: 1,200 bad lines; nothing was written"


def test_ids_repeated_are_told_from_fingerprints_that_collide(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fingerprints, "fingerprint", lambda _invoice_id: 42)
    monkeypatch.setattr(importer, "fingerprint", lambda _invoice_id: 42)
    path = write_csv(tmp_path / "history.csv", [row("inv-1"), row("inv-2"), row("inv-1")])
    assert rejected(store, path) == [BadLine(4, "invoice_id 'inv-1' is also on line 2")]

    unique = write_csv(tmp_path / "unique.csv", [row("inv-1"), row("inv-2"), row("inv-3")])
    assert load(store, unique).invoices_added == 3


def test_loading_the_same_file_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "history.csv", [row("inv-1"), row("inv-2", paid_on="")])
    first = load(store, path)
    after_first = counts(store)

    again = load(store, path)

    assert counts(store) == after_first
    assert (again.invoices_added, again.already_present, again.import_id) == (0, 2, None)
    assert again.earlier_import_id == first.import_id
    assert again.summary() == (
        f"history.csv: 0 invoices added, 2 already present; imported before as "
        f"{first.import_id}; nothing written"
    )


def test_invoices_the_store_holds_alike_are_skipped_and_the_rest_added(
    store: Store, tmp_path: Path
) -> None:
    load(store, write_csv(tmp_path / "first.csv", [row("inv-1"), row("inv-2", paid_on="")]))
    after_first = counts(store)
    # The same invoices, columns in another order and one more column: another file, same rows.
    header = ["note", *reversed(HEADER)]
    same = [["x", *reversed(row("inv-1"))], ["y", *reversed(row("inv-2", paid_on=""))]]
    nothing_new = load(store, write_csv(tmp_path / "same.csv", same, header=header))
    assert (nothing_new.invoices_added, nothing_new.already_present) == (0, 2)
    assert nothing_new.earlier_import_id is None
    assert counts(store) == after_first  # not even an import row or a version

    more = load(store, write_csv(tmp_path / "more.csv", [row("inv-2", paid_on=""), row("inv-3")]))

    assert (more.invoices_added, more.payments_added, more.already_present) == (1, 1, 1)
    assert sorted(invoices(store)) == ["inv-1", "inv-2", "inv-3"]


def test_an_invoice_the_store_holds_otherwise_is_a_bad_line(store: Store, tmp_path: Path) -> None:
    load(store, write_csv(tmp_path / "first.csv", [row("inv-1"), row("inv-2", paid_on="")]))
    before = counts(store)
    path = write_csv(
        tmp_path / "second.csv",
        [
            row("inv-1", customer_id="c-9", amount="100.01"),
            row("inv-2", paid_on="2025-02-01"),
            row("inv-1", paid_on="2025-02-04"),
            row("inv-3"),
        ],
    )
    assert rejected(store, path) == [
        BadLine(2, "invoice 'inv-1' is in the store with another customer_id, amount"),
        BadLine(3, "invoice 'inv-2' is in the store with another paid state (paid_on)"),
        BadLine(4, "invoice 'inv-1' is in the store with another paid state (paid_on); "
                   "invoice_id 'inv-1' is also on line 2"),
    ]  # fmt: skip
    assert counts(store) == before


def test_a_payment_id_another_payment_has_is_a_bad_line(
    client: TestClient, store: Store, make_key: KeyMaker, tmp_path: Path
) -> None:
    billing = make_key("invoices:write", "invoices:read", name="billing")
    route(client, billing, invoice("routed-1"))
    paid = client.post(
        "/v1/payments", json=payment("import:inv-9", invoice_id="routed-1"), headers=billing
    )
    assert paid.status_code == 201, paid.text

    path = write_csv(tmp_path / "history.csv", [row("inv-8"), row("inv-9")])

    assert rejected(store, path) == [
        BadLine(3, "payment id 'import:inv-9' is taken by another payment")
    ]


def test_unpaid_invoices_have_no_payment_and_are_open_receivables(
    client: TestClient, store: Store, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "history.csv",
        [
            row("inv-1", amount="100.00", paid_on=""),
            row("inv-2", amount="25.50", paid_on=""),
            row("inv-3", amount="1000.00"),
            row("inv-4", amount="9", currency="JPY", paid_on=""),
            row("inv-5", customer_id="c-2", amount="0", paid_on="2025-02-01"),
        ],
    )
    result = load(store, path)

    assert (result.invoices_added, result.payments_added) == (5, 1)
    assert list(payments(store)) == ["import:inv-3"]  # a paid 0 needs no payment
    cache: TermsCache = cache_of(client.app)
    assert cache.open_receivables("c-1", "USD") == 12_550
    assert cache.open_receivables("c-1", "JPY") == 9
    assert "c-2" not in cache.credit.receivables


def test_a_file_that_changes_between_the_two_reads_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "history.csv", [row("inv-1"), row("inv-2")])
    before = counts(store)

    class Editor:
        """Changes the file once it has been checked."""

        def begin(self, phase: str, total_bytes: int) -> None:
            self.phase = phase

        def advance(self, done_bytes: int, rows: int) -> None:
            pass

        def end(self) -> None:
            if self.phase == "checking":
                write_csv(path, [row("inv-1"), row("inv-2", amount="3.00")])

    with pytest.raises(Invalid, match=r"history\.csv changed while it was being imported"):
        import_file(store, path, ACTOR, progress=Editor())
    assert counts(store) == before


@pytest.mark.parametrize("same_file", [True, False])
def test_an_import_that_another_beats_to_the_store_writes_nothing(
    store: Store, tmp_path: Path, same_file: bool
) -> None:
    path = write_csv(tmp_path / "history.csv", [row("inv-1"), row("inv-2")])
    other = tmp_path / "other.csv"
    if same_file:
        shutil.copy(path, other)
    else:
        write_csv(other, [[*row("inv-1"), ""], [*row("inv-2"), ""]], header=[*HEADER, "note"])
    first: list[ImportResult] = []

    class Racer:
        """Loads the other file while this one sits between its check and its write."""

        def begin(self, phase: str, total_bytes: int) -> None:
            pass

        def advance(self, done_bytes: int, rows: int) -> None:
            pass

        def end(self) -> None:
            if not first:
                first.append(load(store, other))

    result = import_file(store, path, ACTOR, progress=Racer())

    assert first[0].invoices_added == 2
    assert (result.invoices_added, result.already_present, result.import_id) == (0, 2, None)
    assert result.earlier_import_id == (first[0].import_id if same_file else None)
    assert counts(store)["history_imports"] == 1


def test_a_file_that_cannot_be_read_is_invalid(store: Store, tmp_path: Path) -> None:
    with pytest.raises(Invalid, match=r"cannot read .*missing\.csv: No such file or directory"):
        load(store, tmp_path / "missing.csv")
