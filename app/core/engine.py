"""Engines: the only place they are made, tuned for the URL's backend.

On PostgreSQL no wait for the server is unbounded: a server-side statement timeout cannot help
when the network drops everything or the server hangs, so each wait for a reply also has a
client-side deadline (app/core/guarded.py), past which the connection is closed. psycopg is
loaded only when a PostgreSQL store is opened: a SQLite process never pays its import.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

from app.core import tracing
from app.core.config import Settings

# How much longer than the statement timeout a reply may take before the connection is given up:
# a server that enforces its timeout has answered (with an error) well within it.
REPLY_GRACE_SECONDS = 1.0


def build_engine(settings: Settings) -> Engine:
    """An engine tuned for the URL's backend; the only place engines are made."""
    url = settings.database_url.get_secret_value()
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": settings.db_timeout_seconds},
            pool_size=settings.db_pool_size,
            json_serializer=_json_text,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        if tracing.enabled:
            tracing.instrument(engine)
        return engine
    from app.core.guarded import GuardedConnection

    timeout_ms = int(settings.db_timeout_seconds * 1000)
    engine = create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_timeout=settings.db_timeout_seconds,
        pool_pre_ping=True,
        json_serializer=_json_text,
        connect_args={
            "connect_timeout": max(1, int(settings.db_timeout_seconds)),
            "options": f"-c statement_timeout={timeout_ms} -c lock_timeout={timeout_ms}",
            "application_name": "termsgate",
        },
    )
    reply_timeout = reply_deadline(settings)

    def connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> GuardedConnection:
        return GuardedConnection.guarded(reply_timeout, *cargs, **cparams)

    def restore(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, GuardedConnection):
            dbapi_connection.reply_timeout = reply_timeout

    event.listen(engine, "do_connect", connect)
    event.listen(engine, "checkin", restore)
    if tracing.enabled:
        tracing.instrument(engine)
    return engine


def reply_deadline(settings: Settings) -> float:
    """Seconds a PostgreSQL connection waits for any one reply before it is given up."""
    return settings.db_timeout_seconds + REPLY_GRACE_SECONDS


def follow_statement_timeout(connection: Connection, statement_seconds: float | None) -> None:
    """For work meant to outlast a request (migrations, segmentation runs), whose caller sets
    the server's statement timeout to `statement_seconds` (None: none): the reply deadline
    follows it, until the connection goes back to the pool."""
    if connection.dialect.name != "postgresql":
        return
    from app.core.guarded import GuardedConnection

    driver = connection.connection.driver_connection
    if isinstance(driver, GuardedConnection):
        driver.reply_timeout = (
            None if statement_seconds is None else statement_seconds + REPLY_GRACE_SECONDS
        )


def _json_text(value: Any) -> str:
    """JSON columns are written with orjson: several times the stdlib's speed."""
    return orjson.dumps(value).decode()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
