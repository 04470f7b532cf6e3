"""Keeping each process's terms snapshot coherent with the store.

One daemon thread per process. On PostgreSQL it holds its own connection (never a pooled one)
LISTENing for the version every writing transaction NOTIFYs, and checks the version every
`sync_interval_seconds` as a safety net; on SQLite it only polls. After any failure it reloads
everything once the store answers again. Its listener waits for replies no longer than the
pooled connections do (`reply_timeout`), so a hung network cannot hold it for ever.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from app.core.store import NOTIFY_CHANNEL
from app.terms.cache import TermsCache

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 2.0


class CacheSync:
    def __init__(
        self,
        cache: TermsCache,
        engine: Engine,
        interval_seconds: float,
        reply_timeout: float | None = None,
    ) -> None:
        self.cache = cache
        self.interval = interval_seconds
        self.reply_timeout = reply_timeout
        self._conninfo = _libpq_conninfo(engine) if engine.dialect.name == "postgresql" else None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="terms-cache-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        backoff = self.interval
        reload_first = not self.cache.loaded
        while not self._stop.is_set():
            try:
                if reload_first:
                    self.cache.reload()
                    reload_first = False
                    backoff = self.interval
                    log.info("terms snapshot loaded", extra={"fields": self._figures()})
                if self._conninfo is None:
                    self._poll()
                else:
                    self._listen(self._conninfo)
            except Exception as error:  # keep serving the last snapshot, marked stale
                self.cache.mark_unreachable()
                reload_first = True
                log.warning("terms snapshot sync failed: %s", type(error).__name__)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            self.cache.catch_up()

    def _listen(self, conninfo: str) -> None:
        with _listener(conninfo, self.interval, self.reply_timeout) as connection:
            self.cache.catch_up()  # whatever was written while nobody listened
            while not self._stop.is_set():
                for _ in connection.notifies(timeout=self.interval, stop_after=1):
                    pass
                self.cache.catch_up()

    def _figures(self) -> dict[str, int]:
        return {
            "customers": len(self.cache.placements),
            "version": self.cache.snapshot.version,
        }


@contextmanager
def _listener(
    conninfo: str, timeout: float, reply_timeout: float | None
) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    from app.core.guarded import GuardedConnection  # PostgreSQL only: psycopg loads here

    connection = GuardedConnection.guarded(
        reply_timeout, conninfo, autocommit=True, connect_timeout=max(2, int(timeout * 4))
    )
    try:
        connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
        yield connection
    finally:
        connection.close()


def _libpq_conninfo(engine: Engine) -> str:
    url = engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)
