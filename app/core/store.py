"""The store: sessions and the one place that commits (engines: app/core/engine.py).

Two kinds of writing transaction:

- `writing`, for what the terms snapshot holds (segments, assignments, overrides, exceptions,
  keys, policy, workflows): it first bumps the one-row store version (serialising these rare,
  ops-paced writers), announces it on PostgreSQL with NOTIFY in the same transaction, and after
  commit hands the version to the after-commit hooks (the terms cache catches up at once on this
  process; other processes follow the NOTIFY or their polling).
- `ledger`, for money moving (routes, payments, checkout's open orders): it bumps nothing, so
  no process reloads anything; what it changes travels as a change feed (app/terms/ledger.py).

Both end the same way: just before COMMIT the before-commit actions run (the audit chain, the
change feed) under the late lock (`late_lock`), which is held until the commit is done. So the
one point every writer passes through is as short as it can be, and rows written under it (audit
ids, feed sequence numbers) are in commit order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from sqlalchemy import event, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.core.engine import build_engine, is_postgresql
from app.core.errors import CommitUncertain, StoreUnavailable
from app.core.models import StoreVersion
from app.core.statements import on_postgresql
from app.core.turns import Turns, give_turn_back, turns_for

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "termsgate_changes"
AfterCommit = Callable[[int], object]
# pg_advisory_xact_lock's key for the late lock ("termsgate" in ASCII, folded into 63 bits).
LATE_LOCK_KEY = int.from_bytes(b"termsgat") >> 1


def is_store_unreachable(error: BaseException) -> bool:
    """True for failures that mean the store is down, slow or locked, not a bad statement."""
    if isinstance(error, PoolTimeout | OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


class Store:
    """The engine and its sessions, built at start-up (never at import)."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or build_engine(settings)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Write sessions bump the version when they first touch the store, so a request
        # refused before its service runs (bad key, bad body) never takes the writers' lock.
        self.write_sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.write_sessions, "after_begin", _bump_on_begin)
        self.ledger_sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.ledger_sessions, "after_begin", _write_lock_on_sqlite)
        self.record_sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite's writers take turns (app/core/turns.py): the turn comes before BEGIN's lock.
        self.turns: Turns | None = None
        if self.engine.dialect.name == "sqlite":
            self.turns = turns_for(str(self.engine.url), settings.db_timeout_seconds)
            for writers in (self.write_sessions, self.ledger_sessions, self.record_sessions):
                self.turns.install(writers)
        self.after_commit: list[AfterCommit] = []
        # Run with the session once a ledger or recording transaction has committed.
        self.after_ledger: list[Callable[[Session], object]] = []

    @property
    def is_postgresql(self) -> bool:
        return is_postgresql(self.engine)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads; nothing it does is committed."""
        with translate_outage(), self.sessions() as session:
            yield session
            session.rollback()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction that changes what the snapshot holds: bump the store version, do the
        work, commit, run the after-commit actions and hooks."""
        with self._committing(self.write_sessions) as session:
            yield session
        version = session.info.get("version")
        if version is None:
            return
        hooks = [lambda hook=hook: hook(version) for hook in self.after_commit]
        _run_after_commit([*session.info.get("on_commit", []), *hooks])

    @contextmanager
    def ledger(self) -> Iterator[Session]:
        """One transaction that moves money and changes no one's terms: no version, no reload
        anywhere; its after-commit actions (this process's cache taking the change at once) run
        once it has committed."""
        with self._committing(self.ledger_sessions) as session:
            yield session
        hooks = [partial(hook, session) for hook in self.after_ledger]
        _run_after_commit([*session.info.get("on_commit", []), *hooks])

    @contextmanager
    def _committing(self, sessions: sessionmaker[Session]) -> Iterator[Session]:
        with translate_outage(), sessions() as session:
            try:
                try:
                    yield session
                    session.flush()
                    _before_commit(session)
                except BaseException:
                    session.rollback()
                    raise
                try:
                    with uncertain_commit():
                        session.commit()
                except BaseException:
                    # Whatever the COMMIT left on the connection (a transaction still open, its
                    # writes visible to the next session that draws it) goes with the connection.
                    session.invalidate()
                    raise
            finally:
                give_turn_back(session)

    @contextmanager
    def recording(self) -> Iterator[Session]:
        """One transaction for records that change no one's terms (checkout decisions): it
        takes no writers' lock and bumps no version, so no process catches up on it (on
        SQLite it waits for its turn, as every writer does)."""
        with translate_outage(), self.record_sessions() as session:
            try:
                yield session
                session.flush()
                _before_commit(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                give_turn_back(session)
        _run_after_commit([partial(hook, session) for hook in self.after_ledger])

    def dispose(self) -> None:
        self.engine.dispose()
        if self.turns is not None:
            self.turns.close()


def on_commit(session: Session, action: Callable[[], object]) -> None:
    """Run `action` once this writing transaction has committed; never if it rolls back."""
    session.info.setdefault("on_commit", []).append(action)


def before_commit(session: Session, name: str, action: Callable[[Session], object]) -> None:
    """Run `action` just before this transaction commits, once per `name` however often it is
    asked for, in the order first asked. Actions that need writers in commit order call
    `late_lock` first."""
    actions: dict[str, Callable[[Session], object]] = session.info.setdefault("before_commit", {})
    actions.setdefault(name, action)


def late_lock(session: Session) -> None:
    """Hold the writers' late lock until this transaction ends: what is written after it is in
    commit order. On PostgreSQL a transaction-scoped advisory lock; SQLite has one writer at a
    time already (write transactions take its lock when they begin)."""
    if session.info.get("late_locked") or not on_postgresql(session):
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LATE_LOCK_KEY})
    session.info["late_locked"] = True


def lock_ids(session: Session, namespace: int, ids: Iterable[str]) -> None:
    """Hold a lock on each id until this transaction ends, so two transactions writing the
    same id (an invoice routed twice at once) go one after the other: the second then sees
    the first's row and answers a replay or a 409. On PostgreSQL transaction-scoped advisory
    locks, taken in one order by everyone (no deadlock); SQLite has one writer at a time."""
    if not on_postgresql(session):
        return
    session.execute(
        text(
            "SELECT pg_advisory_xact_lock(:namespace, h) FROM (SELECT DISTINCT hashtext(i) AS h"
            " FROM unnest(CAST(:ids AS text[])) AS i ORDER BY h) AS k"
        ),
        {"namespace": namespace, "ids": sorted(set(ids))},
    )


def _before_commit(session: Session) -> None:
    while actions := session.info.pop("before_commit", None):
        for action in actions.values():
            action(session)
    session.flush()


def _run_after_commit(actions: list[Callable[[], object]]) -> None:
    for action in actions:
        try:
            action()
        except Exception as error:  # committed is committed; followers catch up on their own
            log.warning("after-commit action failed: %s", type(error).__name__)


def current_version(session: Session) -> int:
    """The store version last committed (as this transaction sees it): what anything kept per
    version is good for. Every change to what a snapshot holds bumps it."""
    version: int = session.execute(select(StoreVersion.version)).scalar_one()
    return version


def written_version(session: Session) -> int:
    """The store version this writing transaction will commit as."""
    session.connection()  # begins the transaction if need be, which bumps the version
    version: int = session.info["version"]
    return version


def _bump_on_begin(session: Session, _transaction: Any, connection: Connection) -> None:
    """Take the writers' lock (the version row) and announce the new version."""
    version = connection.execute(
        update(StoreVersion)
        .values(version=StoreVersion.version + 1)
        .returning(StoreVersion.version)
    ).scalar_one()
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": NOTIFY_CHANNEL, "payload": str(version)},
        )
    session.info["version"] = version


def _write_lock_on_sqlite(_session: Session, _transaction: Any, connection: Connection) -> None:
    """SQLite: take the write lock as the transaction begins. A transaction that read first
    and wrote after another writer committed could not write at all (SQLITE_BUSY_SNAPSHOT)."""
    if connection.dialect.name == "sqlite":
        connection.execute(update(StoreVersion).values(version=StoreVersion.version))


@contextmanager
def uncertain_commit() -> Iterator[None]:
    """A COMMIT whose connection was lost before its answer came may have been carried out:
    say so, never 'nothing was written'. (The server refusing it is a known outcome.)"""
    try:
        yield
    except DBAPIError as error:
        if error.connection_invalidated:
            log.warning("connection lost during commit: %s", type(error.orig).__name__)
            raise CommitUncertain() from None
        raise


@contextmanager
def translate_outage() -> Iterator[None]:
    """Turn 'the store is down or too slow' into a 503 the caller can retry."""
    try:
        yield
    except (DBAPIError, PoolTimeout) as error:
        if is_store_unreachable(error):
            cause = getattr(error, "orig", None) or error
            log.warning("store unreachable: %s", type(cause).__name__)
            raise StoreUnavailable() from None
        raise
