"""/metrics in multiprocess mode: one worker's half-made file never fails a scrape, and the
standard process_* figures are the whole server's, every live worker's summed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.core import metrics


def test_a_scrape_skips_a_file_a_starting_worker_has_only_just_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "counter_4194305.db").touch()
    (tmp_path / "gauge_livemax_4194305.db").touch()

    payload, content_type = metrics.exposition()

    assert content_type.startswith("text/plain")
    assert not [name for name in samples(payload) if name.startswith("termsgate_")]
    assert not (tmp_path / "gauge_livemax_4194305.db").exists()  # a dead worker's, forgotten


def samples(payload: bytes) -> dict[str, list[tuple[dict[str, str], float]]]:
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(payload.decode()):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


# What the stand-in worker holds in memory of its own: it writes every page.
OTHER_WORKER_HOLDS = 64 << 20


@pytest.fixture
def other_worker() -> Iterator[int]:
    """A live process standing in for another worker (it inherits this one's fd limit), once it
    holds OTHER_WORKER_HOLDS bytes. A `sleep` just started holds one page (4 KiB): this
    worker's own memory shrinking by as much between two scrapes made the sum look unchanged
    (a CI run's failure)."""
    hold = f"held = b'x' * {OTHER_WORKER_HOLDS}; print(flush=True); import time; time.sleep(60)"
    process = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()  # the memory is written
    yield process.pid
    process.kill()
    process.wait()
    process.stdout.close()


def test_process_metrics_sum_the_live_workers_and_skip_the_dead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other_worker: int
) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    alone = samples(metrics.exposition()[0])
    (tmp_path / "counter_4194305.db").touch()  # a worker that is gone
    (tmp_path / f"counter_{other_worker}.db").touch()

    both = samples(metrics.exposition()[0])

    [(_, max_fds)] = alone["process_max_fds"]
    assert both["process_max_fds"] == [({}, 2 * max_fds)]
    [(_, resident)] = both["process_resident_memory_bytes"]
    assert resident > alone["process_resident_memory_bytes"][0][1] + OTHER_WORKER_HOLDS / 2
    assert both["process_start_time_seconds"] == alone["process_start_time_seconds"]
    assert both["process_cpu_seconds_total"][0][1] >= alone["process_cpu_seconds_total"][0][1]
    [(python, one)] = both["python_info"]
    assert (python["implementation"], one) == ("CPython", 1.0)
