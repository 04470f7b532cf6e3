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

from app import metrics
from app.checkout import repository
from app.db import Store

log = logging.getLogger(__name__)
BATCH_MAX: Final = 2000
STOP_ATTEMPTS: Final = 5


class DecisionRecorder:
    def __init__(self, flush_seconds: float, buffer_max: int) -> None:
        self._flush_seconds = flush_seconds
        self._buffer_max = buffer_max
        self._pending: deque[tuple[dict[str, Any], datetime]] = deque()
        # Unwritten decisions by id, so GET finds a decision before its batch is written.
        self._unwritten: dict[str, dict[str, Any]] = {}
        self._flush_lock = threading.Lock()
        self._stopping = threading.Event()
        self._store: Store | None = None
        self._thread: threading.Thread | None = None
        self.recorded = 0

    # -- the hot path ---------------------------------------------------------------------

    def add(self, document: dict[str, Any], decided_at: datetime) -> None:
        self._unwritten[document["decision_id"]] = document
        self._pending.append((document, decided_at))
        if len(self._pending) > self._buffer_max:
            dropped, _ = self._pending.popleft()
            self._unwritten.pop(dropped["decision_id"], None)
            metrics.DECISIONS_UNRECORDED.inc()

    def find(self, decision_id: str) -> dict[str, Any] | None:
        return self._unwritten.get(decision_id)

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
                    with self._store.recording() as session:
                        repository.add(session, [_row(*item) for item in batch])
                except BaseException:
                    self._pending.extendleft(reversed(batch))
                    raise
                for document, _ in batch:
                    self._unwritten.pop(document["decision_id"], None)
                written += len(batch)
        self.recorded += written
        return written

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


def _row(document: dict[str, Any], decided_at: datetime) -> dict[str, Any]:
    terms = document["terms"]
    return {
        "decision_id": document["decision_id"],
        "customer_id": document["customer_id"],
        "order_id": document["order_id"],
        "amount": document["amount"],
        "currency": document["currency"],
        "outcome": document["outcome"],
        "terms_type": terms["type"],
        "net_days": terms["net_days"],
        "segment_key": document["segment"],
        "decided_at": decided_at,
        "answer": document,
    }
