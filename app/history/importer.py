"""Importing a history file: check it whole, then write it in one transaction.

Two streaming reads, so memory stays bounded whatever the file's size: the first checks every
row (alone, against the other rows, against the store) and writes nothing; only a file without
a single bad row gets the second, which writes its new invoices and payments chunk by chunk in
one transaction. Rows the store already holds alike are skipped, so loading a file again adds
nothing; a file already loaded whole, read the same way, is known by its SHA-256 and its
reading (app/history/reading.py) and not read again.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Final, NoReturn

from app.audit import service as audit
from app.contacts import service as contacts
from app.core.clock import Clock
from app.core.errors import Conflict, Invalid
from app.core.models import HistoryImport
from app.core.store import Store, written_version
from app.history import reconcile, repository
from app.history.csvfile import HistoryFile, UnreadableFile
from app.history.fingerprints import SeenIds, fingerprint
from app.history.progress import Progress
from app.history.reading import BadReading, Reading
from app.history.report import BadHistoryFile, BadLine, Problems
from app.history.result import ImportResult
from app.history.rows import HistoryRow, parse
from app.terms import service as terms

__all__ = ["BadHistoryFile", "BadLine", "BadReading", "ImportResult", "Reading", "import_file"]

CHUNK: Final = 10_000  # rows looked up and written at a time
# A payment dated tomorrow (UTC) is today somewhere; later than that is not history.
PAID_ON_SLACK: Final = timedelta(days=1)


def import_file(
    store: Store,
    path: str | Path,
    actor: str,
    *,
    reading: Reading | None = None,
    progress: Progress | None = None,
    clock: Clock | None = None,
) -> ImportResult:
    """Check the file whole, then add what it holds that the store does not.

    Raises BadHistoryFile when any line is bad (nothing is written), BadReading when `reading`
    does not fit the file's header, Invalid when the file cannot be read or changes while it is
    imported, Conflict when the store changed under it.
    """
    path = Path(path)
    try:
        return _import(store, path, actor, reading or Reading(), progress or _Silent(),
                       clock or Clock())  # fmt: skip
    except OSError as error:
        raise Invalid(f"cannot read {path}: {error.strerror or error}") from None


def _import(
    store: Store, path: Path, actor: str, reading: Reading, progress: Progress, clock: Clock
) -> ImportResult:
    with path.open("rb") as file:
        sha256 = hashlib.file_digest(file, "sha256").hexdigest()
    with store.reading() as session:
        earlier = repository.earlier_import(session, sha256, reading.key())
        if earlier is not None:
            return _nothing_new(path, sha256, earlier.rows, earlier.rows, earlier.id)
    checked = _check(store, path, reading, clock.today() + PAID_ON_SLACK, progress)
    if checked.sha256 != sha256:
        _changed(path)
    if checked.fresh == 0:
        return _nothing_new(path, sha256, checked.rows, checked.present)
    try:
        return _write(store, path, checked, actor, clock, progress)
    except _NothingNew as nothing:
        return _nothing_new(path, sha256, checked.rows, nothing.present, nothing.earlier_import_id)


@dataclass(frozen=True)
class _Checked:
    reading: Reading
    sha256: str
    rows: int
    fresh: int
    present: int
    latest_paid_on: date


def _check(
    store: Store, path: Path, reading: Reading, latest_paid_on: date, progress: Progress
) -> _Checked:
    """The first read: every row checked, nothing written; BadHistoryFile if any is bad."""
    problems = Problems()
    seen = SeenIds()
    fresh = present = 0

    with store.reading() as session:
        lookups = repository.has_invoices(session)
        try:
            with HistoryFile(path, reading) as file:
                columns = file.columns

                def bad(line: int, fields: list[str], reasons: list[str]) -> None:
                    """A bad row's id counts too: a row repeating it is a repeat all the same."""
                    problems.add(line, "; ".join(reasons))
                    if len(fields) == columns.width and (id_ := fields[columns.invoice_id].strip()):
                        seen.add(id_)

                progress.begin("checking", file.size)
                for chunk in _chunks(file, latest_paid_on, progress, bad):
                    for row in chunk:
                        seen.add(row.invoice_id)
                    found = reconcile.sort_out(session, chunk, lookups)
                    fresh, present = fresh + len(found.fresh), present + found.present
                    problems.extend(found.problems)
                rows, sha256 = file.rows_read, file.sha256()
        except UnreadableFile as error:
            problems.add(error.line, error.reason)
            raise problems.rejection(path.name) from None
    suspects = seen.suspects()
    if suspects:
        _repeats(path, reading, suspects, latest_paid_on, progress, problems)
    if problems.count:
        raise problems.rejection(path.name)
    return _Checked(reading, sha256, rows, fresh, present, latest_paid_on)


def _repeats(
    path: Path,
    reading: Reading,
    suspects: frozenset[int],
    latest_paid_on: date,
    progress: Progress,
    problems: Problems,
) -> None:
    """Invoice ids the file gives more than once, good rows or bad, read again for the suspects
    only; a bad row that repeats an id gets that reason too, and stays one bad line."""
    first_line: dict[str, int] = {}
    with HistoryFile(path, reading) as file:
        progress.begin("repeats", file.size)
        columns = file.columns
        for line, fields in file.rows():
            if file.rows_read % CHUNK == 0:
                progress.advance(file.bytes_read, file.rows_read)
            if len(fields) != columns.width:
                continue
            invoice_id = fields[columns.invoice_id].strip()
            if not invoice_id or fingerprint(invoice_id) not in suspects:
                continue
            first = first_line.setdefault(invoice_id, line)
            if first != line:
                counted = isinstance(parse(line, fields, columns, latest_paid_on), list)
                reason = f"invoice_id {invoice_id!r} is also on line {first}"
                problems.add(line, reason, counted=counted)
        progress.advance(file.bytes_read, file.rows_read)
        progress.end()


def _write(
    store: Store, path: Path, checked: _Checked, actor: str, clock: Clock, progress: Progress
) -> ImportResult:
    """The second read: the new rows written chunk by chunk in one transaction."""
    now = clock.now()
    invoices = payments = disputes = present = 0

    def bad(_line: int, _fields: list[str], _reasons: list[str]) -> None:
        _changed(path)

    reading = checked.reading.key()
    with store.writing() as session:
        earlier = repository.earlier_import(session, checked.sha256, reading)
        if earlier is not None:  # another import of this very file got in first
            raise _NothingNew(earlier.rows, earlier.id)
        version = written_version(session)
        terms.reload_all(session)  # every process sums what is owed afresh once this commits
        lookups = repository.has_invoices(session)
        try:
            with HistoryFile(path, checked.reading) as file:
                progress.begin("writing", file.size)
                for chunk in _chunks(file, checked.latest_paid_on, progress, bad):
                    found = reconcile.sort_out(session, chunk, lookups)
                    if found.problems:
                        _store_changed(found.problems[0])
                    settled = [row for row in found.fresh if reconcile.settles(row)]
                    repository.add_invoices(
                        session, [reconcile.invoice_values(row, version) for row in found.fresh]
                    )
                    repository.add_payments(
                        session, [reconcile.payment_values(row, now) for row in settled]
                    )
                    disputes += contacts.disputes_on_history(
                        session, [reconcile.dispute_of(row) for row in found.fresh if row.disputed]
                    )
                    invoices, payments = invoices + len(found.fresh), payments + len(settled)
                    present += found.present
                rows, sha256 = file.rows_read, file.sha256()
        except UnreadableFile:
            _changed(path)
        if sha256 != checked.sha256:
            _changed(path)
        if invoices == 0:  # another import added them first: roll back, the version too
            raise _NothingNew(present, None)
        record = HistoryImport(
            id=f"imp_{uuid.uuid4().hex}",
            file_name=path.name[:500],
            file_sha256=sha256,
            rows=rows,
            invoices_added=invoices,
            payments_added=payments,
            imported_at=now,
            imported_by=actor,
            reading=reading,
        )
        repository.add_import(session, record)
        counts: dict[str, object] = {
            "rows": rows,
            "invoices_added": invoices,
            "payments_added": payments,
            "already_present": present,
        }
        if disputes:
            counts["disputes_added"] = disputes
        if reading is not None:
            counts["reading"] = reading
        audit.record(
            session,
            audit.Entry(
                actor=actor,
                action="history.imported",
                entity_type="history_import",
                entity_id=record.id,
                occurred_at=now,
                after={"file_name": record.file_name, "file_sha256": sha256, **counts},
            ),
        )
    return ImportResult(
        record.file_name,
        sha256,
        rows,
        invoices,
        payments,
        present,
        import_id=record.id,
        disputes_added=disputes,
    )


def _chunks(
    file: HistoryFile,
    latest_paid_on: date,
    progress: Progress,
    bad: Callable[[int, list[str], list[str]], None],
) -> Iterator[list[HistoryRow]]:
    """The file's good rows, CHUNK at a time (the last one maybe empty); each bad row goes to
    `bad` with its fields and reasons."""
    chunk: list[HistoryRow] = []
    for line, fields in file.rows():
        row = parse(line, fields, file.columns, latest_paid_on)
        if isinstance(row, list):
            bad(line, fields, row)
        else:
            chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
        if file.rows_read % CHUNK == 0:
            progress.advance(file.bytes_read, file.rows_read)
    yield chunk
    progress.advance(file.bytes_read, file.rows_read)
    progress.end()


def _nothing_new(
    path: Path, sha256: str, rows: int, present: int, earlier_import_id: str | None = None
) -> ImportResult:
    return ImportResult(path.name, sha256, rows, 0, 0, present, None, earlier_import_id)


def _changed(path: Path) -> NoReturn:
    raise Invalid(f"{path.name} changed while it was being imported; nothing was written")


def _store_changed(problem: BadLine) -> NoReturn:
    raise Conflict(
        f"line {problem.line}: {problem.reason}, which it did not when the file was checked; "
        "nothing was written"
    )


class _NothingNew(Exception):
    """Every new row turned out to be in the store already: roll the transaction back."""

    def __init__(self, present: int, earlier_import_id: str | None) -> None:
        super().__init__("nothing new")
        self.present = present
        self.earlier_import_id = earlier_import_id


class _Silent:
    def begin(self, phase: str, total_bytes: int) -> None:
        pass

    def advance(self, done_bytes: int, rows: int) -> None:
        pass

    def end(self) -> None:
        pass
