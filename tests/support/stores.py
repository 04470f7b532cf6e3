"""The stores every test runs on, and the names the suite gives them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pytest

if TYPE_CHECKING:
    from tests.support.pg_pool import DatabasePool
    from tests.support.postgres import PostgresCluster

# The migrated PostgreSQL database each test's own database is copied from.
TEMPLATE_DB: Final = "termsgate_template"
BACKENDS: Final = ("sqlite", "postgresql")


@contextmanager
def fresh_database(backend: str, request: pytest.FixtureRequest, directory: Path) -> Iterator[str]:
    """A freshly migrated, empty store: a copy of the SQLite template in `directory`, or a
    PostgreSQL database from the session's pool, given back when done; its URL."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = directory / "termsgate.db"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
        return
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    pool: DatabasePool = request.getfixturevalue("pg_databases")
    name = pool.acquire()
    try:
        yield cluster.url(name)
    finally:
        pool.release(name)
