"""A process's credit exposure kept up to date from the store: loaded whole, then moved on by
the change feed (the sync thread's read) and by this process's own writes the moment they
commit (`took`), so a write is counted here before its request returns and everywhere else
within a sync.

One update at a time: a request must not find the feed read and return while another thread's
reload of what that read asked for is still on its way. Reads (the checkout hot path) take no
lock: they go to `credit` (app/terms/exposure.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Final

from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.terms import ledger, repository
from app.terms.exposure import CreditExposure

# How often a process drops orders whose hold has expired from memory.
FORGET_EVERY_SECONDS: Final = 60.0
# A process that has not read the feed for this long may have missed pruned changes: it reloads.
FEED_READ_WITHIN_SECONDS: Final = ledger.RETENTION.total_seconds() / 2


class ExposureFeed:
    def __init__(
        self, clock: Clock, sessions: Callable[[], AbstractContextManager[Session]]
    ) -> None:
        self._clock = clock
        self._sessions = sessions
        self._lock = threading.RLock()
        self.credit = CreditExposure()
        self._forgot_at = time.monotonic()
        self._fed_at = time.monotonic()

    def took(self, session: Session) -> None:
        """What a transaction of this process has just committed to the feed: counted here at
        once (other processes read it from the feed)."""
        with self._lock:
            if self.credit.apply(ledger.written(session)):
                self.reload()

    def reload(self) -> None:
        """Every customer's exposure afresh: the feed's last sequence first, so whatever
        committed after it is applied again from the feed (harmless: applying is idempotent)."""
        with self._lock:
            with self._sessions() as session:
                seq = ledger.last_seq(session)
                receivables = list(repository.open_receivables(session))
                holds = repository.open_orders(session, self._clock.now())
            self.credit.replace(seq, receivables, holds)
            self._fed_at = time.monotonic()

    def catch_up(self) -> bool:
        """The feed's changes since the last read; True if there were any."""
        with self._lock:
            now = time.monotonic()
            if now - self._forgot_at > FORGET_EVERY_SECONDS:
                self._forgot_at = now
                self.credit.forget_expired(time.time())
            if now - self._fed_at > FEED_READ_WITHIN_SECONDS:  # it may have missed pruned rows
                self.reload()
                return True
            with self._sessions() as session:
                changes = ledger.since(session, self.credit.seq)
            self._fed_at = now
            if changes and self.credit.apply(changes):
                self.reload()
            return bool(changes)
