"""The relay: empties the outbox into the workflows' webhooks, at least once.

One loop thread does all the store work, in one short writing transaction per turn: it writes
the outcomes that came back since the last turn and claims as many due events as there are idle
delivery threads (never more, so a claimed event starts at once and its lease is spent on
sending it, not on waiting). `relay_concurrency` daemon threads POST them with one shared
httpx client. When nothing is due the loop only reads, every `relay_idle_poll_seconds`.

Several relays (processes, workers, replicas) may run at once: claims are leased, and on
PostgreSQL taken with SKIP LOCKED. A relay killed mid-delivery leaves its claimed events to be
claimed again when their lease runs out, so an event may arrive twice, never zero times.
`stop()` stops claiming, lets the deliveries under way finish and records them.

A relay also runs the periodic chores it is given (such as the term exceptions sweep), each
every `chore_seconds`, on its loop thread; a chore that fails is logged and tried next time.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence

import httpx

from app.core import metrics, tracing
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from app.deliveries import repository, sender, service
from app.deliveries.outcomes import Claim, Outcome, Result, Settlement, settle
from app.deliveries.transport import build_client

log = logging.getLogger(__name__)
# How often the relay refreshes the outbox gauges (one count over the pending rows).
BACKLOG_REFRESH_SECONDS = 2.0
# The longest an outcome waits for others to be recorded with it.
RECORD_WITHIN_SECONDS = 0.05
# The longest wait between turns while the store keeps failing.
MAX_BACKOFF_SECONDS = 5.0
# How often the relay runs its chores.
CHORE_SECONDS = 5.0
# Work a relay does besides delivering, given the store, the settings and the clock.
Chore = Callable[[Store, Settings, Clock], object]


class Relay:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock | None = None,
        chores: Sequence[Chore] = (),
        chore_seconds: float = CHORE_SECONDS,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock or Clock()
        self.chores = tuple(chores)
        self.chore_seconds = chore_seconds
        self._client: httpx.Client | None = None
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._work: queue.SimpleQueue[Claim | None] = queue.SimpleQueue()
        self._done: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
        self._loop: threading.Thread | None = None
        self._senders: list[threading.Thread] = []
        # Loop-thread state only.
        self._in_flight = 0
        self._unrecorded: list[Outcome] = []
        self._unrecorded_since = 0.0
        self._backlog_at = -math.inf
        self._chores_at = -math.inf
        # Outcomes this relay recorded, by metric result: for its stop line (and tests).
        self.recorded: Counter[str] = Counter()

    def start(self) -> None:
        if self._loop is not None:
            return
        if self.settings.relay_lease_seconds < self.settings.webhook_timeout_seconds:
            log.warning("relay lease is shorter than the delivery timeout: a slow delivery may "
                        "be claimed again and sent twice")  # fmt: skip
        self._client = build_client(self.settings)
        self._senders = [
            threading.Thread(target=self._send_forever, name=f"relay-send-{n}", daemon=True)
            for n in range(self.settings.relay_concurrency)
        ]
        for thread in self._senders:
            thread.start()
        self._loop = threading.Thread(target=self._run, name="relay-loop", daemon=True)
        self._loop.start()
        log.info("relay started", extra={"fields": self._figures()})

    def stop(self, timeout: float | None = None) -> None:
        """Stop claiming, finish and record the deliveries under way, then return."""
        if self._loop is None:
            return
        # A delivery is bounded by the timeout on each of connect, send and answer.
        limit = timeout if timeout is not None else 3 * self.settings.webhook_timeout_seconds + 5
        self._stopping.set()
        self._wake.set()
        self._loop.join(limit)
        for _ in self._senders:
            self._work.put(None)
        for thread in self._senders:
            thread.join(1)
        if self._client is not None:
            self._client.close()
        fields = {"unfinished": self._in_flight, **self.recorded}
        log.info("relay stopped", extra={"fields": fields})
        self._loop = None

    # -- the loop thread --------------------------------------------------------------------

    def _run(self) -> None:
        idle = self.settings.relay_idle_poll_seconds
        failures = 0
        while True:
            self._wake.clear()
            self._collect()
            stopping = self._stopping.is_set()
            if stopping and self._in_flight == 0 and not self._unrecorded:
                return
            wait = 0.0 if stopping else self._wait_before_turn()
            if wait > 0:
                self._wake.wait(wait)
                continue
            try:
                more = self._turn(stopping)
                failures = 0
            except Exception as error:  # the store is down or slow: keep what is unrecorded
                log.warning("relay turn failed: %s", type(error).__name__)
                if stopping and self._in_flight == 0:
                    return  # give up: leases run out and another relay sends these again
                failures += 1
                self._wake.wait(min(MAX_BACKOFF_SECONDS, idle * 2**failures))
                continue
            self._refresh_backlog()
            self._run_chores()
            if not more:
                self._wake.wait(idle)

    def _wait_before_turn(self) -> float:
        """How long to let outcomes gather first, so one transaction records several.

        A turn is worth it once half the senders are idle (or all), or when an outcome has
        waited RECORD_WITHIN_SECONDS to be recorded (a crash would send it again).
        """
        concurrency = self.settings.relay_concurrency
        if self._in_flight == 0 or 2 * self._idle_senders() >= concurrency:
            return 0.0
        if not self._unrecorded:
            return self.settings.relay_idle_poll_seconds
        waited = time.monotonic() - self._unrecorded_since
        return max(0.0, RECORD_WITHIN_SECONDS - waited)

    def _collect(self) -> None:
        while True:
            try:
                outcome = self._done.get_nowait()
            except queue.Empty:
                return
            if not self._unrecorded:
                self._unrecorded_since = time.monotonic()
            self._in_flight -= 1
            self._unrecorded.append(outcome)

    def _turn(self, stopping: bool) -> bool:
        """Record what came back and claim for the idle senders; True if more may be due now."""
        settings = self.settings
        now = self.clock.now()
        wanted = 0 if stopping else min(settings.relay_batch_size, self._idle_senders())
        if not self._unrecorded:
            if wanted == 0:
                return False
            with self.store.reading() as session:
                if not repository.any_due(session, now):
                    return False
        schedule = settings.webhook_retry_schedule
        settlements = [settle(outcome, schedule, now) for outcome in self._unrecorded]
        with self.store.writing() as session:
            written = service.record(session, settlements, now)
            claims = service.claim(session, now, limit=wanted, settings=settings) if wanted else []
        self._unrecorded.clear()
        self._report(settlements, written)
        for claim in claims:
            self._in_flight += 1
            self._work.put(claim)
        return wanted > 0 and len(claims) == wanted

    def _idle_senders(self) -> int:
        return max(0, self.settings.relay_concurrency - self._in_flight)

    def _report(self, settlements: list[Settlement], written: list[Settlement]) -> None:
        kept = {id(settlement) for settlement in written}
        for settlement in settlements:
            outcome = settlement.outcome
            fields = {
                "event_id": outcome.claim.event_id,
                "workflow": outcome.claim.workflow_key,
                "attempt": outcome.claim.attempt,
                "status": outcome.status,
                "ms": outcome.elapsed_ms,
                "error": settlement.last_error,
            }
            trace_id = tracing.trace_id_of(outcome.claim.traceparent)
            if trace_id is not None:  # the trace of the request that wrote the event
                fields["trace_id"] = trace_id
            if id(settlement) not in kept:
                log.info("delivery outcome dropped: claimed again since", extra={"fields": fields})
                continue
            self.recorded[settlement.metric_result] += 1
            metrics.WEBHOOK_DELIVERIES.labels(result=settlement.metric_result).inc()
            level = logging.INFO if outcome.result is Result.DELIVERED else logging.WARNING
            log.log(level, "delivery %s", settlement.metric_result, extra={"fields": fields})

    def _refresh_backlog(self) -> None:
        if time.monotonic() - self._backlog_at < BACKLOG_REFRESH_SECONDS:
            return
        self._backlog_at = time.monotonic()
        try:
            refresh_backlog(self.store, self.clock)
        except Exception as error:  # a gauge is not worth a failed turn
            log.warning("outbox gauges not refreshed: %s", type(error).__name__)

    def _run_chores(self) -> None:
        if not self.chores or time.monotonic() - self._chores_at < self.chore_seconds:
            return
        self._chores_at = time.monotonic()
        for chore in self.chores:
            try:
                chore(self.store, self.settings, self.clock)
            except Exception as error:  # the store is down or slow: next time, then
                name = getattr(chore, "__name__", type(chore).__name__)
                log.warning("relay chore %s failed: %s", name, type(error).__name__)

    # -- the sender threads -----------------------------------------------------------------

    def _send_forever(self) -> None:
        allow_private = self.settings.webhook_allow_private
        while True:
            claim = self._work.get()
            if claim is None:
                return
            assert self._client is not None
            try:
                outcome = sender.attempt(self._client, claim, allow_private, self.clock)
            except Exception as error:  # one bad event never stops the relay
                outcome = Outcome(
                    claim, Result.FAILED, error=f"internal error ({type(error).__name__})"
                )
            self._done.put(outcome)
            self._wake.set()

    def _figures(self) -> dict[str, object]:
        settings = self.settings
        return {
            "concurrency": settings.relay_concurrency,
            "batch_size": settings.relay_batch_size,
            "lease_seconds": settings.relay_lease_seconds,
            "retry_schedule": settings.webhook_retry_schedule,
        }


def refresh_backlog(store: Store, clock: Clock) -> None:
    """Set the outbox gauges from one cheap query (the API does this when no relay runs)."""
    with store.reading() as session:
        pending, oldest_age = service.backlog(session, clock.now())
    metrics.report_backlog(pending, oldest_age)
