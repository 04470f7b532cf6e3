"""Fixtures for the tests that start `termsgate serve`: a store of their own, and servers
stopped at teardown. A plugin (tests/conftest.py loads it), so every package has them."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.pg_pool import DatabasePool
from tests.support.postgres import PostgresCluster
from tests.support.server import Server

Launch = Callable[..., Server]


@pytest.fixture
def pg_database(pg_cluster: PostgresCluster, pg_databases: DatabasePool) -> Iterator[str]:
    """A migrated PostgreSQL database of the test's own, on the session's cluster."""
    name = pg_databases.acquire()
    yield pg_cluster.url(name)
    pg_databases.release(name)


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated SQLite file of the test's own."""
    path = tmp_path / "termsgate.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Launch]:
    """Start `termsgate serve` (arguments as `Server` takes them); every one is stopped after."""
    servers: list[Server] = []

    def start(
        database_url: str,
        *extra_args: str,
        workers: int = 1,
        env: dict[str, str] | None = None,
        wait_ready: bool = True,
    ) -> Server:
        log_path = tmp_path / f"serve-{len(servers)}.log"
        server = Server(database_url, log_path, workers=workers, extra_args=extra_args, env=env)
        servers.append(server)
        return server.start(wait_ready=wait_ready, timeout=30)

    yield start
    for server in servers:
        server.stop()
