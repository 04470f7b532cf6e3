"""`termsgate relay` as a process of its own, as the relay Deployment runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from tests.support.postgres import free_port
from tests.support.server import TERMSGATE

__all__ = ["RelayProcess"]

_START_WITHIN_SECONDS = 60.0
_STOP_WITHIN_SECONDS = 15.0


class RelayProcess:
    """One relay on `database_url`, its metrics on a free loopback port; SIGTERM to stop."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.metrics_port = free_port()
        self.metrics_url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RelayProcess:
        """Start it and return once its metrics answer (it has imported and connected)."""
        # A relay's metrics are its own: never a replica's multiprocess directory.
        env = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [TERMSGATE, "relay", "--metrics-port", str(self.metrics_port)],
                env={**env, "TERMSGATE_DATABASE_URL": self.database_url},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + _START_WITHIN_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"termsgate relay exited; see {self.log_path}")
            try:
                if httpx.get(self.metrics_url, timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"termsgate relay did not serve {self.metrics_url}")

    def stop(self) -> None:
        """SIGTERM: it finishes the deliveries under way; SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=_STOP_WITHIN_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=_STOP_WITHIN_SECONDS)
