"""SQLite's writers take turns (app/core/turns.py): one writes while the others wait, whichever
store or process they write through; a turn not had within the store's timeout is a 503 that
writes nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.errors import StoreUnavailable
from app.core.models import LedgerChange
from app.core.store import Store
from app.core.turns import turns_for


@pytest.fixture
def sqlite_file(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "termsgate.db"
    shutil.copy(sqlite_template, path)
    return path


@pytest.fixture
def stores(sqlite_file: Path) -> Iterator[tuple[Store, Store]]:
    """Two stores on one file, as two processes have: each with its own handle on the turns."""
    url = f"sqlite:///{sqlite_file}"
    first = Store(Settings(database_url=url))
    second = Store(Settings(database_url=url, db_timeout_seconds=0.5))
    yield first, second
    first.dispose()
    second.dispose()


def note(session: Session, n: int) -> None:
    session.add(LedgerChange(at=datetime.now(UTC), customer_id=f"c-{n}"))


def notes(store: Store) -> int:
    with store.reading() as session:
        return int(session.scalar(select(func.count()).select_from(LedgerChange)) or 0)


def test_a_writer_waits_for_the_one_writing_then_writes(stores: tuple[Store, Store]) -> None:
    first, second = stores
    second_wrote = threading.Event()
    failed: list[BaseException] = []

    def write_second() -> None:
        try:
            with second.ledger() as session:
                note(session, 2)
                session.flush()
            second_wrote.set()
        except BaseException as error:
            failed.append(error)

    with first.writing() as session:
        note(session, 1)
        session.flush()  # the first has its turn
        waiter = threading.Thread(target=write_second)
        waiter.start()
        assert not second_wrote.wait(0.2)  # it waits while the first is writing
    waiter.join(5)
    assert failed == []
    assert second_wrote.is_set()
    assert notes(first) == 2


def test_a_turn_not_had_in_time_is_a_503_that_writes_nothing(
    stores: tuple[Store, Store],
) -> None:
    first, second = stores

    def write_second() -> None:
        with second.ledger() as other:  # its timeout is 0.5 s
            note(other, 2)
            other.flush()

    with first.ledger() as session:
        note(session, 1)
        session.flush()
        with pytest.raises(StoreUnavailable, match="busy"):
            write_second()
    assert notes(first) == 1


def test_another_process_holding_the_turn_holds_off_this_one(
    sqlite_file: Path, stores: tuple[Store, Store]
) -> None:
    _, second = stores
    lock_file = turns_for(f"sqlite:///{sqlite_file}", 1.0)._path
    assert lock_file is not None
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time;"
            f"fd = os.open({str(lock_file)!r}, os.O_RDWR | os.O_CREAT);"
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreUnavailable), second.writing() as session:
            note(session, 1)
    finally:
        holder.kill()
        holder.communicate()
    with second.writing() as session:  # the turn is free again once the holder is gone
        note(session, 2)
    assert notes(second) == 1


def test_an_in_memory_store_takes_turns_in_its_process() -> None:
    turns = turns_for("sqlite://", 0.2)
    refused: list[str] = []

    def take_in_another_thread() -> None:
        try:
            turns.take()
        except StoreUnavailable as error:
            refused.append(error.detail)

    turns.take()
    try:
        waiter = threading.Thread(target=take_in_another_thread)
        waiter.start()
        waiter.join(5)
    finally:
        turns.give_back()
    assert refused == ["The store is busy with other writes; nothing was written."]
    turns.take()  # free again
    turns.give_back()
