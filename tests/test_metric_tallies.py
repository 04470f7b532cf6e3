"""Tallies: the hot path's counts reach prometheus-client whole, once, in the right buckets."""

from __future__ import annotations

import threading

from prometheus_client import CollectorRegistry, Counter, Histogram

from app.core import tallies

BUCKETS = (0.001, 0.01)
AMOUNTS = (0.0005, 0.001, 0.005, 0.5)


def test_a_histogram_tally_fills_the_buckets_observe_would() -> None:
    registry = CollectorRegistry()
    direct = Histogram("direct_seconds", "observed directly", buckets=BUCKETS, registry=registry)
    tallied = Histogram(
        "tallied_seconds", "observed via a tally", buckets=BUCKETS, registry=registry
    )
    tally = tallies.histogram_tally(tallied)
    for amount in AMOUNTS:
        direct.observe(amount)
        tally.observe(amount)
    assert registry.get_sample_value("tallied_seconds_count") == 0

    tallies.flush()
    tallies.flush()  # nothing new: nothing added

    for le in ("0.001", "0.01", "+Inf"):
        expected = registry.get_sample_value("direct_seconds_bucket", {"le": le})
        assert registry.get_sample_value("tallied_seconds_bucket", {"le": le}) == expected
    assert registry.get_sample_value("tallied_seconds_sum") == sum(AMOUNTS)


def test_a_counter_tally_loses_nothing_to_a_concurrent_flusher() -> None:
    registry = CollectorRegistry()
    tally = tallies.counter_tally(Counter("tallied", "counted via a tally", registry=registry))
    done = threading.Event()

    def flush_until_done() -> None:
        while not done.is_set():
            tallies.flush()

    flusher = threading.Thread(target=flush_until_done)
    flusher.start()
    for _ in range(100_000):
        tally.inc()
    done.set()
    flusher.join()
    tallies.flush()

    assert registry.get_sample_value("tallied_total") == 100_000
