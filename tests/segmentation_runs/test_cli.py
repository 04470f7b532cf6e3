"""`termsgate segment`: a dry run by default, applied with --apply."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.store import Store
from tests.support.audit import audit_trail
from tests.support.payment_history import AS_OF, looked_up, three_customers
from tests.support.server import termsgate

RUNS = "/v1/segmentation-runs"


def wait_for(check: Any, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_cli_segment_previews_by_default_and_applies_with_apply(
    client: TestClient,
    store: Store,
    settings: Settings,
    reader: dict[str, str],
    ops: dict[str, str],
) -> None:
    three_customers(store)
    env = {"TERMSGATE_DATABASE_URL": settings.database_url.get_secret_value()}
    dry = termsgate("segment", "--as-of", AS_OF.isoformat(), env=env)
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.strip().splitlines()
    run_id = lines[-1]
    assert run_id.startswith("run_")
    assert "dry run" in lines[0]
    assert "moved 3, held 0" in dry.stdout
    assert any(line.split()[:4] == ["net_30", "0", "->", "1"] for line in lines)
    assert client.get(f"{RUNS}/{run_id}", headers=ops).json()["dry_run"] is True
    assert looked_up(client, reader, "c-good") == ("pay_on_order", "default")
    applied = termsgate("segment", "--as-of", AS_OF.isoformat(), "--apply", env=env)
    assert applied.returncode == 0, applied.stderr
    assert "applied" in applied.stdout.splitlines()[0]
    wait_for(lambda: looked_up(client, reader, "c-good") == ("net_30", "segment"))
    actors = {actor for actor, _, _, _ in audit_trail(store, "segmentation_run")}
    assert all(actor.startswith("cli:") for actor in actors)
    refused = termsgate("segment", "--as-of", date(2999, 1, 1).isoformat(), env=env)
    assert refused.returncode == 1
    assert "after today" in refused.stderr
