"""Recording checkout decisions off the hot path: buffered in memory, written in batches.

A decision is answered first and recorded after: `add` is a deque append. A daemon thread writes
what has gathered every `decision_flush_seconds`, in one transaction that bumps no store
version (a decision changes no one's terms, so no process needs to catch up on it). While the
store is unreachable the buffer holds decisions and the writes are retried; `stop` (a clean
shutdown) writes everything still held before the process exits.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from datetime import datetime
from typing import Any, Final

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.checkout import repository
from app.checkout.decision import hold_of
from app.checkout.repository import Recorded
from app.core import metrics
from app.core.store import Store
from app.terms import service as terms

log = logging.getLogger(__name__)
# Small enough that writing one batch never holds the GIL from the event loop for long.
BATCH_MAX: Final = 500
STOP_ATTEMPTS: Final = 5


class DecisionRecorder:
    def __init__(self, flush_seconds: float, buffer_max: int, hold_days: int = 30) -> None:
        self._hold_days = hold_days
        self._flush_seconds = flush_seconds
        self._buffer_max = buffer_max
        self._pending: deque[Recorded] = deque()
        # Unwritten decisions by id, so GET finds a decision before its batch is written.
        self._unwritten: dict[str, dict[str, Any]] = {}
        self._flush_lock = threading.Lock()
        self._stopping = threading.Event()
        self._store: Store | None = None
        self._thread: threading.Thread | None = None
        self.recorded = 0

    # -- the hot path ---------------------------------------------------------------------

    def add(self, document: dict[str, Any], decided_at: datetime, body: bytes) -> None:
        """Hold a decision; `body` is its JSON as checkout was answered."""
        self._unwritten[document["decision_id"]] = document
        self._pending.append(Recorded(document, decided_at, body))
        if len(self._pending) > self._buffer_max:
            dropped = self._pending.popleft()
            self._unwritten.pop(dropped.document["decision_id"], None)
            metrics.DECISIONS_UNRECORDED.inc()

    def find(self, decision_id: str) -> dict[str, Any] | None:
        return self._unwritten.get(decision_id)

    @property
    def unwritten(self) -> int:
        """Decisions answered and not yet written: held, or in a batch being written."""
        return len(self._unwritten)

    @property
    def backlog(self) -> int:
        return len(self._pending)

    # -- writing ----------------------------------------------------------------------------

    def start(self, store: Store) -> None:
        self._store = store
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="decision-recorder", daemon=True)
        self._thread.start()

    def flush(self) -> int:
        """Write every decision held now; on failure they stay held and the error is raised."""
        written = 0
        with self._flush_lock:
            while self._pending and self._store is not None:
                batch = [self._pending.popleft() for _ in range(min(BATCH_MAX, len(self._pending)))]
                try:
                    self._write(batch)
                except BaseException:
                    self._pending.extendleft(reversed(batch))
                    raise
                for decision in batch:
                    self._unwritten.pop(decision.document["decision_id"], None)
                written += len(batch)
        self.recorded += written
        return written

    def _write(self, batch: list[Recorded]) -> None:
        assert self._store is not None
        try:
            with self._store.recording() as session:
                repository.add(session, batch)
                self._hold(session, batch)
        except IntegrityError:  # some were written by a commit that seemed to fail: skip them
            with self._store.recording() as session:
                repository.add(session, batch, dedupe=True)
                self._hold(session, batch)

    def _hold(self, session: Session, batch: list[Recorded]) -> None:
        """Net terms granted hold credit until invoiced, released or expired: recorded, and
        published on the change feed so every process counts them (this one already does)."""
        holds = [
            hold
            for decision in batch
            if (hold := hold_of(decision.document, decision.decided_at, self._hold_days))
        ]
        recorded = repository.hold_orders(session, holds)
        for hold in recorded:
            terms.order_held(session, hold)
        kept = {hold.decision_id for hold in recorded}
        for hold in holds:  # invoiced already (on another process), or superseded
            if hold.decision_id not in kept:
                terms.order_let_go(session, hold.customer_id, hold.order_id, hold.decision_id)

    def stop(self) -> None:
        """Stop the thread and write what is held, trying a few times if the store falters."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        for attempt in range(1, STOP_ATTEMPTS + 1):
            try:
                self.flush()
                return
            except Exception as error:
                log.warning(
                    "recording decisions at shutdown failed: %s",
                    type(error).__name__,
                    extra={"fields": {"attempt": attempt, "held": self.backlog}},
                )
                time.sleep(min(2.0, 0.2 * 2**attempt))
        if self._pending:
            lost = {"lost": self.backlog}
            log.error("decisions not recorded at shutdown", extra={"fields": lost})

    def _run(self) -> None:
        failures = 0
        while not self._stopping.wait(self._flush_seconds * (2 ** min(failures, 5))):
            try:
                self.flush()
                failures = 0
            except Exception as error:  # the store is away: keep the buffer, back off, retry
                failures += 1
                log.warning(
                    "recording decisions failed: %s",
                    type(error).__name__,
                    extra={"fields": {"held": self.backlog}},
                )
