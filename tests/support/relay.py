"""`termsgate relay` as a real process, and the outbox it works on, written as the app writes it."""

from __future__ import annotations

import os
import signal
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core.models import OutboxEvent, Workflow
from app.deliveries.outbox import enqueue, event_row
from app.workflows.service import new_secret
from tests.support.harness import app_transaction
from tests.support.server import TERMSGATE

RELAY_ENV = {
    "TERMSGATE_WEBHOOK_ALLOW_PRIVATE": "true",
    "TERMSGATE_RELAY_LEASE_SECONDS": "1",
    "TERMSGATE_WEBHOOK_TIMEOUT_SECONDS": "1",
    "TERMSGATE_RELAY_IDLE_POLL_SECONDS": "0.05",
}


class RelayProcess:
    """`termsgate relay` in a session of its own, logging to a file; killed on exit at latest."""

    def __init__(self, database_url: str, log_path: Path, *args: str) -> None:
        env = {**os.environ, "TERMSGATE_DATABASE_URL": database_url, **RELAY_ENV}
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [TERMSGATE, "relay", *args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def signal(self, signum: int) -> None:
        os.killpg(self.process.pid, signum)

    def __enter__(self) -> RelayProcess:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        if self.process.poll() is None:
            self.signal(signal.SIGKILL)
        self.process.wait(timeout=15)


def point_at(database_url: str, url: str) -> str:
    """Point net_30 at `url` (as a PUT would, allowed private); returns its secret."""
    secret = new_secret()
    with app_transaction(database_url) as (connection, _version):
        connection.execute(
            update(Workflow).where(Workflow.key == "net_30").values(webhook_url=url, secret=secret)
        )
    return secret


def write_events(database_url: str, count: int) -> list[str]:
    """`count` events for net_30, written in one transaction as routing writes them."""
    now = datetime.now(UTC)
    rows = [
        event_row("invoice.routed", "net_30", {"invoice_id": f"inv-{n}"}, now) for n in range(count)
    ]
    with app_transaction(database_url) as (connection, _version):
        enqueue(Session(bind=connection), rows)
    return [row["event_id"] for row in rows]


def statuses(database_url: str) -> dict[str, int]:
    with app_transaction(database_url) as (connection, _version):
        rows = connection.execute(
            select(OutboxEvent.status, func.count()).group_by(OutboxEvent.status)
        )
        return {str(status): int(count) for status, count in rows}
