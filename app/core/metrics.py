"""Every Prometheus metric termsgate exports: termsgate_ prefix, bounded labels only.

`termsgate serve` runs prometheus-client in multiprocess mode: counters and histograms are
summed across workers; gauges that every worker measures alike report the live maximum.

Per-request counts go through tallies (app/core/tallies.py): plain ints on the hot path,
handed to prometheus-client about once a second and before every scrape.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
    multiprocess,
)
from prometheus_client.metrics_core import Metric

from app.core import tallies

log = logging.getLogger(__name__)

# Fine enough to tell a 50 µs lookup from a 500 µs one, wide enough for a batch of 1000.
LATENCY_BUCKETS = (
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
    2.5, 5.0, 10.0,
)  # fmt: skip

HTTP_REQUESTS = Counter(
    "termsgate_http_requests_total",
    "HTTP requests answered, by route template and status.",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "termsgate_http_request_duration_seconds",
    "Time from request to the last byte of the answer.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
TERMS_LOOKUPS = Counter(
    "termsgate_terms_lookups_total", "Terms lookups answered, by source.", ["source"]
)
INVOICES_ROUTED = Counter(
    "termsgate_invoices_routed_total",
    "Invoices routed (replays not counted), by segment and workflow.",
    ["segment", "workflow"],
)
WRITE_GROUP_SIZE = Histogram(
    "termsgate_write_group_size",
    "Single writes written in one transaction (group commit), per transaction, by kind.",
    ["write"],
    buckets=(1, 2, 4, 8, 16, 32, 64),
)
CACHE_CUSTOMERS = Gauge(
    "termsgate_cache_customers",
    "Customers placed in the terms snapshot.",
    multiprocess_mode="livemax",
)
CACHE_SYNC_AGE = Gauge(
    "termsgate_cache_sync_age_seconds",
    "Seconds since the terms snapshot was last confirmed current with the store.",
    multiprocess_mode="livemax",
)

# The webhook relay counts with prometheus-client directly: it is off the event loop's hot path.
WEBHOOK_DELIVERIES = Counter(
    "termsgate_webhook_deliveries_total",
    "Webhook delivery attempts by result: delivered, failed (to be retried), dead (parked).",
    ["result"],
)
OUTBOX_PENDING = Gauge(
    "termsgate_outbox_pending",
    "Outbox events waiting to be delivered.",
    multiprocess_mode="livemax",
)
OUTBOX_OLDEST_PENDING_AGE = Gauge(
    "termsgate_outbox_oldest_pending_age_seconds",
    "Age of the oldest outbox event still waiting to be delivered (0 when none).",
    multiprocess_mode="livemax",
)
TERM_EXCEPTIONS_PENDING = Gauge(
    "termsgate_term_exceptions_pending",
    "Term exceptions waiting for finance to approve or reject them.",
    multiprocess_mode="livemax",
)
# Receivables KPIs, refreshed on a schedule by app/kpis/gauges.py (never per scrape).
DSO_DAYS = Gauge(
    "termsgate_dso_days",
    "Standard DSO over the last 90 days ending today, by currency and segment (all: overall).",
    ["currency", "segment"],
    multiprocess_mode="livemax",
)
RECEIVABLES_OPEN = Gauge(
    "termsgate_receivables_open",
    "Owed at the end of today (minor units), by currency and segment (all: overall).",
    ["currency", "segment"],
    multiprocess_mode="livemax",
)
# The cash forecast, refreshed on a schedule by app/forecasts/record.py (never per scrape).
CASH_EXPECTED = Gauge(
    "termsgate_cash_expected_4w",
    "Cash expected over the next 4 weeks (minor units) on today's open receivables, by currency.",
    ["currency"],
    multiprocess_mode="livemax",
)
CASH_FORECAST_PAST = Gauge(
    "termsgate_cash_forecast_4w_past",
    "The forecast kept 28 days ago, its first 4 weeks: figure=expected, and figure=actual what "
    "was paid in them on the invoices then open (minor units), by currency.",
    ["currency", "figure"],
    multiprocess_mode="livemax",
)
FORECAST_FITS = Counter(
    "termsgate_forecast_fits_total",
    "Cash forecast fits by how they were come by: made (every customer, afresh), moved_on (a "
    "kept fit with what was written since), kept (nothing written since), customers (a page's "
    "customers only, no fit kept).",
    ["how"],
)
CHECKOUT_DECISIONS = Counter(
    "termsgate_checkout_decisions_total", "Checkout decisions answered, by outcome.", ["outcome"]
)
DECISIONS_UNRECORDED = Counter(
    "termsgate_checkout_decisions_unrecorded_total",
    "Checkout decisions dropped from a full buffer while the store was unreachable.",
)
# The contact loop (app/contacts).
TOUCHES = Counter(
    "termsgate_touches_total", "Touches recorded, by kind and outcome.", ["kind", "outcome"]
)
PROMISES = Counter(
    "termsgate_promises_total",
    "Promises to pay by what happened to them: made (status open), kept, broken.",
    ["status"],
)
DISPUTES_OPEN = Gauge(
    "termsgate_disputes_open", "Disputes waiting for finance.", multiprocess_mode="livemax"
)
CONTACT_TASKS_OVERDUE = Gauge(
    "termsgate_contact_tasks_overdue",
    "Open contact tasks dated before today: the worklist's backlog.",
    multiprocess_mode="livemax",
)
RATE_LIMITED = Counter(
    "termsgate_rate_limited_total",
    "Requests refused with 429, by the scope whose bucket the key had emptied.",
    ["scope"],
)
for _status in ("open", "kept", "broken"):
    PROMISES.labels(status=_status)
DELIVERY_RESULTS = ("delivered", "failed", "dead")
for _result in DELIVERY_RESULTS:  # every series from the start, so a rate() has a zero to begin
    WEBHOOK_DELIVERIES.labels(result=_result)


def report_backlog(pending: int, oldest_age_seconds: float) -> None:
    OUTBOX_PENDING.set(pending)
    OUTBOX_OLDEST_PENDING_AGE.set(oldest_age_seconds)


def exposition() -> tuple[bytes, str]:
    """The metrics text: summed over worker files in multiprocess mode."""
    tallies.flush()
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
    forget_dead_workers(Path(directory))
    registry = CollectorRegistry()
    registry.register(WorkerFiles(Path(directory)))
    registry.register(WorkerProcesses(Path(directory)))
    registry.register(PLATFORM)
    return generate_latest(registry), CONTENT_TYPE_LATEST


class WorkerFiles:
    """prometheus-client's multiprocess collector, minus files a worker is creating right now.

    A worker (one just started, say) creates its file empty and sizes it a moment later;
    reading it in between fails the whole scrape. An empty file holds no samples: skip it.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def collect(self) -> Iterable[Metric]:
        files = [str(path) for path in self.directory.glob("*.db") if _has_content(path)]
        merged: Iterable[Metric] = multiprocess.MultiProcessCollector.merge(files)  # type: ignore[no-untyped-call]
        return merged


# python_info: the same in every worker. (python_gc_* is not exported: a worker can only read
# its own collector's counts, and one worker's counts would pass for the server's.)
PLATFORM = PlatformCollector(registry=None)
# Where several workers' process_* figures are combined by other than a sum.
_EARLIEST = frozenset({"process_start_time_seconds"})


class WorkerProcesses:
    """The standard process_* metrics of the whole server: every live worker's, summed.

    In multiprocess mode the default registry's ProcessCollector would describe only the worker
    that answers the scrape, a different one each time. Memory, CPU seconds and file descriptors
    (open and the limit alike) are summed over the workers writing to the directory and the one
    answering; the start time is the earliest. A replaced worker takes its CPU seconds with it:
    the counter then drops, which rate() reads as a reset.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def collect(self) -> Iterable[Metric]:
        combined: dict[str, Metric] = {}
        values: dict[str, float] = {}
        for pid in sorted(self._workers()):
            for family in ProcessCollector(pid=_constant(pid), registry=None).collect():
                combined.setdefault(family.name, family)
                for sample in family.samples:
                    seen = values.get(sample.name)
                    if seen is None:
                        values[sample.name] = sample.value
                    elif sample.name in _EARLIEST:
                        values[sample.name] = min(seen, sample.value)
                    else:
                        values[sample.name] = seen + sample.value
        for family in combined.values():
            merged = Metric(family.name, family.documentation, family.type)
            for sample in family.samples:
                merged.add_sample(sample.name, {}, values[sample.name])
            yield merged

    def _workers(self) -> set[int]:
        """This process and every live one with a file in the directory (`<kind>_<pid>.db`)."""
        pids = {os.getpid()}
        for path in self.directory.glob("*_*.db"):
            pid = path.stem.rsplit("_", 1)[1]
            if pid.isdigit() and int(pid) not in pids and _alive(int(pid)):
                pids.add(int(pid))
        return pids


def _constant(pid: int) -> Callable[[], int]:
    return lambda: pid


def forget_dead_workers(directory: Path) -> None:
    """Drop the live-gauge files of workers that are gone, so their last values do not linger."""
    for path in directory.glob("gauge_live*_*.db"):
        pid = int(path.stem.rsplit("_", 1)[1])
        if not _alive(pid):
            # Another worker's scrape may be forgetting the same one at this instant.
            with contextlib.suppress(FileNotFoundError):
                multiprocess.mark_process_dead(pid, str(directory))  # type: ignore[no-untyped-call]


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:  # a dead worker's live gauges, just forgotten
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
