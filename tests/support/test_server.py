"""A test talks to the server it started, never to another one on the same port."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.postgres import free_port
from tests.support.server import Server

pytestmark = pytest.mark.process


def test_a_server_whose_port_another_server_holds_fails_to_start(
    sqlite_database: str, tmp_path: Path
) -> None:
    holder = Server(sqlite_database, tmp_path / "holder.log").start()
    try:
        late = Server(sqlite_database, tmp_path / "late.log")
        late.port, late.base_url = holder.port, holder.base_url
        late.args[late.args.index("--port") + 1] = str(holder.port)
        # The holder answers /healthz/ready with 200 all along; start() must not take that.
        with pytest.raises(RuntimeError, match="address already in use"):
            late.start(timeout=30)
        assert late.process is not None
        assert late.process.poll() is not None
    finally:
        holder.stop()


def test_processes_are_handed_ports_from_blocks_of_their_own() -> None:
    here = {free_port() for _ in range(50)}
    probe = "from tests.support.postgres import free_port; print(*(free_port() for _ in range(50)))"
    other = "gw8" if os.environ.get("PYTEST_XDIST_WORKER") == "gw9" else "gw9"
    other_worker = {**os.environ, "PYTEST_XDIST_WORKER": other}
    printed = subprocess.run(
        [sys.executable, "-c", probe], env=other_worker, capture_output=True, check=True
    ).stdout.split()
    there = {int(port) for port in printed}

    assert len(here) == len(there) == 50
    assert all(port < 32768 for port in here | there)  # below the kernel's ephemeral range
    assert max(here) < min(there) or max(there) < min(here)
