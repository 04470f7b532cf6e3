"""Every Prometheus metric termsgate exports: termsgate_ prefix, bounded labels only.

`termsgate serve` runs prometheus-client in multiprocess mode: counters and histograms are
summed across workers; gauges that every worker measures alike report the live maximum.
"""

from __future__ import annotations

import os
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

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


def exposition() -> tuple[bytes, str]:
    """The metrics text: summed over worker files in multiprocess mode."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
    forget_dead_workers(Path(directory))
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    return generate_latest(registry), CONTENT_TYPE_LATEST


def forget_dead_workers(directory: Path) -> None:
    """Drop the live-gauge files of workers that are gone, so their last values do not linger."""
    for path in directory.glob("gauge_live*_*.db"):
        pid = int(path.stem.rsplit("_", 1)[1])
        if not _alive(pid):
            multiprocess.mark_process_dead(pid, str(directory))  # type: ignore[no-untyped-call]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
