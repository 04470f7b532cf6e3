"""/metrics in multiprocess mode: one worker's half-made file never fails a scrape."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import metrics


def test_a_scrape_skips_a_file_a_starting_worker_has_only_just_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "counter_4194305.db").touch()
    (tmp_path / "gauge_livemax_4194305.db").touch()

    payload, content_type = metrics.exposition()

    assert content_type.startswith("text/plain")
    assert payload == b""
    assert not (tmp_path / "gauge_livemax_4194305.db").exists()  # a dead worker's, forgotten
