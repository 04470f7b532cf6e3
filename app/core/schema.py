"""Schema migrations: `termsgate migrate`, safe to run twice and from two processes at once."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from app.core.engine import follow_statement_timeout

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
# The newest migration: a server checks its store against it at start, without loading Alembic
# (a fifth of a second of every process's start). tests/test_schema.py holds it to Alembic's head.
HEAD = "0018_ledger_paid_on"
# Any fixed 64-bit number, the same for every replica: "termsgat" as ASCII.
ADVISORY_LOCK_KEY = 0x7465726D73676174 - 2**63


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # only where migrations run

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The migration the store is at (None before the first), read as Alembic records it."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == HEAD


def upgrade(engine: Engine) -> None:
    """Apply every pending migration, one process at a time. A store already at the head is
    left alone without loading Alembic, which every command would otherwise pay for."""
    if is_current(engine):
        return
    from alembic import command

    with _migration_lock(engine), engine.connect() as connection:
        _unhurried(connection)
        command.upgrade(alembic_config(connection), "head")
        connection.commit()


def _unhurried(connection: Connection) -> None:
    """A migration, or the wait for another replica's, may take longer than a request may."""
    if connection.dialect.name == "postgresql":
        follow_statement_timeout(connection, None)
        connection.execute(text("SET statement_timeout = 0"))
        connection.execute(text("SET lock_timeout = 0"))
        connection.commit()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            _unhurried(connection)
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
                connection.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
