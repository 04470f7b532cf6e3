"""SQLite's writers take turns: one at a time, each woken as soon as the one before is done.

SQLite lets one transaction write at a time. One that finds the file locked sleeps in its busy
handler, 1 to 100 ms between tries and in no order, so under many concurrent writes the waiters
sleep on after the lock is free, and some wait past the store's timeout (a 503) while later
ones pass. So a SQLite store's writing transactions first take a turn here: a process's threads
queue on a mutex, and the one at the head takes an exclusive flock on a file beside the
database (`<file>-writers`), which the heads of other processes (other workers, the CLI) poll
every millisecond. SQLite's own lock is then free whenever a writer asks for it. A turn not had
within the store's timeout is a 503, as a busy store's is.

PostgreSQL needs none of this: its writers wait on row locks and are woken at once.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import StoreUnavailable

POLL_SECONDS: Final = 0.001
TURNS, TURN_HELD = "turns", "turn held"  # keys of a writing session's info


class Turns:
    """One writer at a time on one SQLite file (`path` None: an in-memory store, this process
    only)."""

    def __init__(self, path: Path | None, timeout: float) -> None:
        self._path = path
        self._timeout = timeout
        self._mutex = threading.Lock()
        self._fd: int | None = None

    def install(self, writers: sessionmaker[Session]) -> None:
        """Each session these make waits for its turn as it begins, before BEGIN's lock (the
        store gives it back once the transaction is over: give_turn_back)."""
        writers.configure(info={TURNS: self})
        event.listen(writers, "after_begin", _take_turn, insert=True)

    def take(self) -> None:
        """Wait for this thread's turn (StoreUnavailable past the store's timeout)."""
        deadline = time.monotonic() + self._timeout
        if not self._mutex.acquire(timeout=self._timeout):
            raise _busy()
        try:
            self._lock_file(deadline)
        except BaseException:
            self._mutex.release()
            raise

    def give_back(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._mutex.release()

    def _lock_file(self, deadline: float) -> None:
        if self._path is None:
            return
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy() from None
                time.sleep(POLL_SECONDS)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _take_turn(session: Session, _transaction: Any, _connection: Any) -> None:
    if not session.info.get(TURN_HELD):
        session.info[TURNS].take()
        session.info[TURN_HELD] = True


def give_turn_back(session: Session) -> None:
    """After the commit or rollback of a session that took a turn (none taken: nothing)."""
    if session.info.pop(TURN_HELD, False):
        session.info[TURNS].give_back()


def _busy() -> StoreUnavailable:
    return StoreUnavailable("The store is busy with other writes; nothing was written.")


def turns_for(url: str, timeout: float) -> Turns:
    """The turns of the SQLite database at `url` (sqlite:///path, or in memory)."""
    database = url.split("///", 1)[1].split("?", 1)[0] if "///" in url else ""
    if database in ("", ":memory:"):
        return Turns(None, timeout)
    return Turns(Path(f"{database}-writers"), timeout)
