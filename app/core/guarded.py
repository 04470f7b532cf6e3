"""A psycopg connection with a deadline on every wait for the server (app/core/engine.py).

Imported only where a PostgreSQL store is opened, so a SQLite process never loads psycopg.
"""

from __future__ import annotations

from typing import Any, TypeVar

import psycopg
from psycopg.abc import PQGen
from psycopg.rows import TupleRow

RV = TypeVar("RV")


class GuardedConnection(psycopg.Connection[TupleRow]):
    """A psycopg connection whose every wait for the server has a deadline.

    Past it the connection is closed (the protocol is mid-exchange: it cannot be used again) and
    the wait raises OperationalError, which SQLAlchemy takes for a lost connection.
    """

    reply_timeout: float | None = None

    @classmethod
    def guarded(cls, reply_timeout: float | None, *args: Any, **kwargs: Any) -> GuardedConnection:
        connection = cls.connect(*args, **kwargs)
        connection.reply_timeout = reply_timeout
        return connection

    def wait(self, gen: PQGen[RV], interval: float = 0.1, timeout: float | None = None) -> RV:
        if timeout is not None or self.reply_timeout is None:
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, self.reply_timeout)
        except psycopg.errors._WaitTimeout:
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"no reply from the server within {self.reply_timeout:g} s: connection closed"
            ) from None
